// The signed links every message carries: unsubscribe (RFC 8058), preference center, double opt-in confirmation.
import type { Executor } from '../db/transaction.js';
import { getSigningSecret } from './signing-secret.js';
import { signToken, verifyToken, type TokenClaims, type TokenPurpose } from './tokens.js';

const PATHS: Record<TokenPurpose, string> = { unsubscribe: 'u', preferences: 'p', confirm: 'c', coupon: 'q' };

/** The public URL of a signed link for one contact, message and topic. */
export async function signedLink(secret: string, publicUrl: string, claims: TokenClaims): Promise<string> {
  return `${publicUrl}/${PATHS[claims.purpose]}/${await signToken(secret, claims)}`;
}

/** The claims of a genuine token for `purpose`, read with the workspace's current secret. */
export async function readLinkToken(db: Executor, token: string, purpose: TokenPurpose) {
  return verifyToken(await getSigningSecret(db), token, purpose);
}
