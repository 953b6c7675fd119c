// The contracts of the tracking URLs in messages (plain Hono routes, described in the OpenAPI document).
import { createRoute, z } from '@hono/zod-openapi';

const tags = ['Tracking'];

const TokenParam = z.object({
  token: z.string().openapi({
    param: { name: 'token', in: 'path' },
    description: 'An opaque, HMAC-signed token naming one message (and, for a click, one link of it)',
    example: 'ay4wMTkzNGY2YTJjOGQ0ZTFhOWIyYy4w.3q2-7u_y1Sk0M1rPe1xHcg',
  }),
});
const notFound = { 404: { description: 'A tampered or foreign token, or a message that no longer exists (a JSON error)' } };
const kept =
  ' Every request is kept as a raw hit (time, method, user agent, IP prefix, the headers the rules read) and classified ' +
  'human or machine with the rule that fired (docs/TRACKING.md). Never cached; HEAD is answered and recorded as a machine.';

export const openPixelRoute = createRoute({
  method: 'get', path: '/t/o/{token}', tags,
  summary: 'The open pixel of a message',
  description: 'A 1×1 transparent GIF in every marketing email, unless the campaign sets `track_opens: false`.' + kept,
  request: { params: TokenParam },
  responses: { 200: { content: { 'image/gif': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The pixel' }, ...notFound },
});

export const clickRoute = createRoute({
  method: 'get', path: '/t/c/{token}', tags,
  summary: 'Follow a tracked link',
  description:
    'Redirects to the URL recorded for that link of that message when it was sent, never to one taken from the ' +
    'request, so there is no open redirect. Unsubscribe, preference and confirmation links are not rewritten. The ' +
    'hidden honeypot link answers 204.' + kept,
  request: { params: TokenParam },
  responses: {
    302: { description: 'To the link\'s recorded URL (Location)' },
    204: { description: 'The honeypot link: no person follows it' },
    ...notFound,
  },
});

export const trackingRoutes = [openPixelRoute, clickRoute];
