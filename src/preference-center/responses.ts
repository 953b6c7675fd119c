// What every page here shares: headers for pages reached by personal links, and who made the request.
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { clientIp } from '../http/client-ip.js';

/** Never cached or framed, and the token-bearing URL never leaks as a referrer. */
export const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

/** The preference center also forbids scripts and anything not inline, and posts to other origins. */
export const PREFERENCES_HEADERS = { ...NO_STORE, 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" };

/** Recorded with each consent change: the address only as far as it can be trusted (TRUSTED_PROXIES). */
export function requestInfo(c: Context<AppEnv>) {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent') };
}
