// On a route whose body is optional (a launch, a share link), a POST with `Content-Type: application/json` and no body
// at all (`curl -X POST -H 'content-type: application/json'`, many HTTP clients) means "no body", not malformed JSON:
// the content type is dropped, so the body validates as absent. A body that is there and malformed is still a 400.
// Applied route by route: where a body is required, an empty one must stay an error.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

export const emptyJsonIsNoBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return next();
  const length = c.req.header('content-length');
  const empty = length === '0' || (length === undefined && !c.req.header('transfer-encoding') && c.req.raw.body === null);
  if (!empty) return next();
  const headers = new Headers(c.req.raw.headers);
  headers.delete('content-type');
  c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, signal: c.req.raw.signal });
  return next();
};
