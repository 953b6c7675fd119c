// The contracts of the tracking URLs in messages (plain Hono routes, described in the OpenAPI document).
import { createRoute, z } from '@hono/zod-openapi';
import { SHORT_CODE } from './instrument-sms.js';

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

const CodeParam = z.object({
  code: z.string().regex(SHORT_CODE).openapi({
    param: { name: 'code', in: 'path' },
    description: 'A short random code (letters and digits) naming one link of one SMS',
    example: 'aZ3k9Qx',
  }),
});

export const shortLinkRoute = createRoute({
  method: 'get', path: '/s/{code}', tags,
  summary: 'Follow a shortened SMS link',
  description:
    'Each web link of a marketing SMS is shortened to this URL when the message is sent, so it costs few characters ' +
    'of the message\'s segments. Redirects to the URL recorded for that link of that message, never to one taken from ' +
    'the request. Unsubscribe, preference and confirmation links are not shortened. An SMS has no honeypot link.' + kept,
  request: { params: CodeParam },
  responses: {
    302: { description: 'To the link\'s recorded URL (Location)' },
    404: { description: 'An unknown code, or a message whose links were erased (a JSON error)' },
  },
});

export const trackingRoutes = [openPixelRoute, clickRoute, shortLinkRoute];
