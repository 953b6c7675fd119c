// Opaque, HMAC-signed tokens for links in messages (unsubscribe, preferences).
// Bound to one contact, one message and one topic; rotating the workspace secret revokes them all.

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm';

export interface TokenClaims {
  purpose: TokenPurpose;
  contactId: number;
  messageId: string;
  topicId: number;
}

const PURPOSE_CODE: Record<TokenPurpose, string> = { unsubscribe: 'u', preferences: 'p', confirm: 'c' };

async function hmac(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const payload = `${PURPOSE_CODE[claims.purpose]}.${claims.contactId}.${claims.messageId}.${claims.topicId}`;
  const body = base64url(encoder.encode(payload));
  // 128 bits of the MAC: forging one is out of reach, and the URL stays short.
  const mac = (await hmac(secret, body)).slice(0, 16);
  return `${body}.${base64url(mac)}`;
}

/** Returns the claims of a genuine token for `purpose`, or undefined for anything tampered or foreign. */
export async function verifyToken(secret: string, token: string, purpose: TokenPurpose): Promise<TokenClaims | undefined> {
  if (token.length > 300) return undefined;
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const given = fromBase64url(mac);
  const raw = fromBase64url(body);
  // Only the canonical spelling is accepted: base64's spare low bits would let a changed token decode the same.
  if (!given || !raw || base64url(given) !== mac || base64url(raw) !== body) return undefined;
  if (!timingSafeEqual(given, (await hmac(secret, body)).slice(0, 16))) return undefined;
  const m = /^([upc])\.(\d{1,15})\.([A-Za-z0-9_-]{8,64})\.(\d{1,15})$/.exec(new TextDecoder().decode(raw));
  if (!m || m[1] !== PURPOSE_CODE[purpose]) return undefined;
  return { purpose, contactId: Number(m[2]), messageId: m[3], topicId: Number(m[4]) };
}

export function newSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** A form token for a page reached with `pageToken`: only our own rendered form carries it. */
export async function csrfToken(secret: string, pageToken: string): Promise<string> {
  return base64url((await hmac(secret, `csrf:${pageToken}`)).slice(0, 16));
}

export async function verifyCsrf(secret: string, pageToken: string, given: unknown): Promise<boolean> {
  if (typeof given !== 'string') return false;
  const a = fromBase64url(given);
  const b = fromBase64url(await csrfToken(secret, pageToken));
  return !!a && !!b && timingSafeEqual(a, b);
}
