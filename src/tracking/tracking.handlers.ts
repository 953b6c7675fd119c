import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { clientIp } from '../http/client-ip.js';
import { errorResponse } from '../http/errors.js';
import { KEPT_HEADERS } from './classify.js';
import { SHORT_CODE } from './instrument-sms.js';
import { acceptHit, acceptShortLinkHit, type HitRequest } from './tracking.service.js';

// The smallest transparent GIF (43 bytes).
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) => c.charCodeAt(0));
/** Never cached, so each open reaches us; the token-bearing URL never leaks as a referrer. */
const HEADERS = { 'Cache-Control': 'no-store, private', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' };

function hitRequest(c: Context<AppEnv>): HitRequest {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers[name] = value.slice(0, 300);
  }
  // Cut here, not when written: a hit waits in memory or on a queue before it is stored.
  return { method: c.req.method, userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null, ip: clientIp(c), headers };
}

function notFound(c: Context<AppEnv>) {
  for (const [name, value] of Object.entries(HEADERS)) c.header(name, value);
  return errorResponse(c, 404, 'not_found', 'No such tracking link');
}

/**
 * /t/o/{token}: the open pixel; /t/c/{token}: the click redirect; /s/{code}: an SMS's short link. GET and HEAD are
 * all recorded (HEAD as a machine).
 */
export function trackingRouter() {
  const app = new Hono<AppEnv>();
  app.get('/t/o/:token', async (c) => {
    const { db, clock, hits } = c.get('deps');
    const outcome = await acceptHit(db, hits, 'open', c.req.param('token'), hitRequest(c), clock());
    if (!outcome.found) return notFound(c);
    return c.body(PIXEL, 200, { ...HEADERS, 'Content-Type': 'image/gif' });
  });
  app.get('/t/c/:token', async (c) => {
    const { db, clock, hits } = c.get('deps');
    const outcome = await acceptHit(db, hits, 'click', c.req.param('token'), hitRequest(c), clock());
    if (!outcome.found) return notFound(c);
    // The honeypot leads nowhere.
    if (!outcome.redirectTo) return c.body(null, 204, HEADERS);
    return c.redirect(outcome.redirectTo, 302);
  });
  app.get('/s/:code', async (c) => {
    const code = c.req.param('code');
    // A code that cannot be one is not looked up.
    if (!SHORT_CODE.test(code)) return notFound(c);
    const { db, clock, hits } = c.get('deps');
    const outcome = await acceptShortLinkHit(db, hits, code, hitRequest(c), clock());
    if (!outcome.found || !outcome.redirectTo) return notFound(c);
    return c.redirect(outcome.redirectTo, 302);
  });
  return app;
}
