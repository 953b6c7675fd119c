// Opaque, HMAC-signed tokens for links in messages (unsubscribe, preferences).
// Bound to one contact, one message and one topic; rotating the workspace secret revokes them all.

import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';

const encoder = new TextEncoder();

// Buffer's own base64url: a sender signs about six tokens a message, and a loop of String.fromCharCode, btoa and three
// replaces cost twice as much (node:buffer is there on Node and, with nodejs_compat, on Workers).
function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
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

/** `coupon`: a letter's reply coupon, the URL its QR code holds. */
export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm' | 'coupon';

export interface TokenClaims {
  purpose: TokenPurpose;
  contactId: number;
  messageId: string;
  topicId: number;
}

const PURPOSE_CODE: Record<TokenPurpose, string> = { unsubscribe: 'u', preferences: 'p', confirm: 'c', coupon: 'q' };

// node:crypto's HMAC is synchronous and costs a few microseconds; WebCrypto's sign() goes through the thread pool and
// costs tens, on every tracked open and click. node:crypto is there on Node and, with nodejs_compat, on Workers.
async function hmac(secret: string, data: string): Promise<Uint8Array> {
  return createHmac('sha256', secret).update(data).digest();
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  // 128 bits of the MAC: forging one is out of reach, and the URL stays short.
  return sealed(secret, `${PURPOSE_CODE[claims.purpose]}.${claims.contactId}.${claims.messageId}.${claims.topicId}`);
}

/** Returns the claims of a genuine token for `purpose`, or undefined for anything tampered or foreign. */
export async function verifyToken(secret: string, token: string, purpose: TokenPurpose): Promise<TokenClaims | undefined> {
  const payload = await opened(secret, token);
  const m = payload ? /^([upcq])\.(\d{1,15})\.([A-Za-z0-9_-]{8,64})\.(\d{1,15})$/.exec(payload) : null;
  if (!m || m[1] !== PURPOSE_CODE[purpose]) return undefined;
  return { purpose, contactId: Number(m[2]), messageId: m[3], topicId: Number(m[4]) };
}

/** A payload and its MAC, each base64url. */
async function sealed(secret: string, payload: string): Promise<string> {
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  return `${body}.${base64url((await hmac(secret, body)).subarray(0, 16))}`;
}

/** The payload of a genuine sealed token, or undefined. */
async function opened(secret: string, token: string): Promise<string | undefined> {
  if (token.length > 300) return undefined;
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const given = fromBase64url(mac);
  const raw = fromBase64url(body);
  // Only the canonical spelling is accepted: base64's spare low bits would let a changed token decode the same.
  if (!given || !raw || base64url(given) !== mac || base64url(raw) !== body) return undefined;
  if (!timingSafeEqual(given, (await hmac(secret, body)).slice(0, 16))) return undefined;
  return new TextDecoder().decode(raw);
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

/** An open pixel or a click link of one message (the click names the link's index in the message). */
export type HitClaims = { kind: 'open'; messageId: string } | { kind: 'click'; messageId: string; link: number };

/** The token of a tracking URL (`/t/o/…`, `/t/c/…`): opaque, signed, bound to one message and one link. */
export async function signHitToken(secret: string, claims: HitClaims): Promise<string> {
  return sealed(secret, claims.kind === 'open' ? `o.${claims.messageId}` : `k.${claims.messageId}.${claims.link}`);
}

/** The claims of a genuine tracking token of this kind, or undefined for anything tampered, foreign or of the other kind. */
export async function verifyHitToken<K extends HitClaims['kind']>(secret: string, token: string, kind: K): Promise<Extract<HitClaims, { kind: K }> | undefined> {
  const payload = await opened(secret, token);
  const m = payload ? /^([ok])\.([A-Za-z0-9_-]{8,64})(?:\.(\d{1,4}))?$/.exec(payload) : null;
  if (!m) return undefined;
  if (kind === 'open' && m[1] === 'o' && m[3] === undefined) return { kind, messageId: m[2] } as Extract<HitClaims, { kind: K }>;
  if (kind === 'click' && m[1] === 'k' && m[3] !== undefined) return { kind, messageId: m[2], link: Number(m[3]) } as Extract<HitClaims, { kind: K }>;
  return undefined;
}

/** A campaign report's share link: the campaign, when the link stops working, and the language it was shared in. */
export interface ShareClaims {
  campaignId: number;
  /** Whole seconds: the token carries the Unix time. */
  expiresAt: Date;
  lang?: 'fr' | 'en';
}

/** The token of `/reports/shared/{token}`: signed like the others, its purpose (`r`) apart from theirs. */
export async function signShareToken(secret: string, claims: ShareClaims): Promise<string> {
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  return sealed(secret, `r.${claims.campaignId}.${seconds}${claims.lang ? `.${claims.lang}` : ''}`);
}

/** The claims of a genuine share token that has not expired at `now`; undefined for anything tampered, foreign or past. */
export async function verifyShareToken(secret: string, token: string, now: Date): Promise<ShareClaims | undefined> {
  const payload = await opened(secret, token);
  const m = payload ? /^r\.(\d{1,15})\.(\d{1,12})(?:\.(fr|en))?$/.exec(payload) : null;
  if (!m) return undefined;
  const expiresAt = new Date(Number(m[2]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  return { campaignId: Number(m[1]), expiresAt, ...(m[3] ? { lang: m[3] as 'fr' | 'en' } : {}) };
}

/** A workspace report's share link: the period [from, to) and channel it shows, its expiry and language. */
export interface WorkspaceShareClaims {
  from: Date;
  to: Date;
  /** Absent: every channel. */
  channel?: string;
  /** Whole seconds: the token carries the Unix time. */
  expiresAt: Date;
  lang?: 'fr' | 'en';
}

/**
 * The token of `/reports/workspace/shared/{token}`: signed like the others, its purpose (`w`) apart from theirs.
 * `w.<from ms>.<to ms>.<channel or ->.<expiry s>[.<lang>]`: the period is carried to the millisecond, as it was asked.
 */
export async function signWorkspaceShareToken(secret: string, claims: WorkspaceShareClaims): Promise<string> {
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  return sealed(secret, `w.${claims.from.getTime()}.${claims.to.getTime()}.${claims.channel ?? '-'}.${seconds}${claims.lang ? `.${claims.lang}` : ''}`);
}

/** The claims of a genuine workspace share token that has not expired at `now`; undefined for anything else. */
export async function verifyWorkspaceShareToken(secret: string, token: string, now: Date): Promise<WorkspaceShareClaims | undefined> {
  const payload = await opened(secret, token);
  const m = payload ? /^w\.(-?\d{1,15})\.(-?\d{1,15})\.([a-z]{1,16}|-)\.(\d{1,12})(?:\.(fr|en))?$/.exec(payload) : null;
  if (!m) return undefined;
  const expiresAt = new Date(Number(m[4]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  return {
    from: new Date(Number(m[1])), to: new Date(Number(m[2])), ...(m[3] === '-' ? {} : { channel: m[3] }), expiresAt, ...(m[5] ? { lang: m[5] as 'fr' | 'en' } : {}),
  };
}

/**
 * The local part of a reply address, reply+<public id>-<MAC>: lower-case hex only, since mail systems may change the
 * case of a local part. 64 bits of MAC: a guessed address links a reply to a message at worst, and stays under the
 * 64-character limit of a local part.
 */
export async function signReplyAddress(secret: string, publicId: string): Promise<string> {
  const mac = [...(await hmac(secret, `reply.${publicId}`)).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `reply+${publicId}-${mac}`;
}

/** The message public id a reply address names, when the address is genuine. */
export async function verifyReplyAddress(secret: string, address: string): Promise<string | undefined> {
  const m = /^reply\+([0-9a-f]{8,64})-([0-9a-f]{16})@/.exec(address.trim().toLowerCase());
  if (!m) return undefined;
  const expected = await signReplyAddress(secret, m[1]);
  return timingSafeEqual(encoder.encode(expected), encoder.encode(`reply+${m[1]}-${m[2]}`)) ? m[1] : undefined;
}
