// What every page here shares: headers for pages reached by personal links, and who made the request.
import type { Context } from 'hono';

/** Never cached or framed, and the token-bearing URL never leaks as a referrer. */
export const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

/** The preference center also forbids scripts and anything not inline, and posts to other origins. */
export const PREFERENCES_HEADERS = { ...NO_STORE, 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" };

/** Recorded with each consent change. */
export function requestInfo(c: Context) {
  return { ip: c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim(), userAgent: c.req.header('user-agent') };
}
