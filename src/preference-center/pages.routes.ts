// The contracts of the pages people reach from links in messages. The handlers are plain Hono routes (forms and
// HTML, not JSON); these describe them in the OpenAPI document (registered in app.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { payloadTooLarge } from '../http/schemas.js';
import { FREQUENCIES, PAUSE_DAYS } from './preferences.service.js';

const tags = ['Pages for contacts'];

const TokenParam = z.object({
  token: z.string().openapi({
    param: { name: 'token', in: 'path' },
    description: 'The signed token of a link in a message (HMAC, bound to one contact and message)',
    example: 'eyJ2IjoxLCJjIjo0Mn0.Yk3r9Q',
  }),
});

const page = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const invalidLink = { 404: page('The token fails its signature, names another purpose or another contact: an "invalid link" page') };
const noStore = ' Pages are never cached or framed, and send no referrer.';

export const unsubscribePageRoute = createRoute({
  method: 'get', path: '/u/{token}', tags,
  summary: 'Show the unsubscribe confirmation page',
  description:
    'The visible unsubscribe link of a message: names the topic and the masked address, with one button. GET and ' +
    'HEAD never change anything, since mail scanners prefetch links. French or English, after the contact\'s locale.' + noStore,
  request: { params: TokenParam },
  responses: { 200: page('The confirmation page'), ...invalidLink },
});

export const unsubscribeRoute = createRoute({
  method: 'post', path: '/u/{token}', tags,
  summary: 'Unsubscribe at once (RFC 8058 one-click, or the page\'s button)',
  description:
    'Unsubscribes the contact from the link\'s topic on the message\'s channel and records the consent change (IP and ' +
    'user agent). Mail clients post `List-Unsubscribe=One-Click` (RFC 8058); the page posts its button. No cookies, no ' +
    'API key, no redirect; doing it twice changes nothing more.' + noStore,
  request: {
    params: TokenParam,
    body: {
      content: {
        'application/x-www-form-urlencoded': {
          schema: z.object({ 'List-Unsubscribe': z.literal('One-Click').optional() }),
          example: { 'List-Unsubscribe': 'One-Click' },
        },
      },
      required: false,
    },
  },
  responses: { 200: page('Unsubscribed: the page says so'), ...invalidLink },
});

export const preferencesPageRoute = createRoute({
  method: 'get', path: '/p/{token}', tags,
  summary: 'Show the preference center',
  description:
    'The `{{preferences_url}}` of a message: topics per channel, a frequency per channel, a pause, the name and ' +
    'language, the data download and the erasure request. Server-rendered, no JavaScript, in the contact\'s language.' + noStore,
  request: {
    params: TokenParam,
    query: z.object({
      done: z.string().optional().openapi({ description: 'The notice to show after a post (saved, paused, unsubscribed_all…)', example: 'saved' }),
      step: z.string().optional().openapi({ description: 'A confirmation step of the page, such as confirm_erase' }),
    }),
  },
  responses: { 200: page('The preference center'), ...invalidLink },
});

const frequencies = Object.keys(FREQUENCIES).join(', ');
const pauses = PAUSE_DAYS.map((d) => `pause_${d}`).join(', ');

export const savePreferencesRoute = createRoute({
  method: 'post', path: '/p/{token}', tags,
  summary: 'Save the preference center\'s form',
  description:
    `The page's own form. \`action\` is save (the default), ${pauses}, unsubscribe_all or erase. For save: ` +
    '`sub:<topic id>:<channel>` present means subscribed, absent unsubscribed (for the topics and channels the page ' +
    `shows); \`freq:<channel>\` is one of ${frequencies}; first_name, last_name and locale correct the contact. A field ` +
    'the form cannot use is left as it was and the rest is saved. `csrf` is required, and posts from another origin ' +
    'are refused. Answers 303 to the page with `?done=<outcome>`.' + noStore,
  request: {
    params: TokenParam,
    body: {
      content: {
        'application/x-www-form-urlencoded': {
          schema: z
            .object({
              csrf: z.string(),
              action: z.string().optional().openapi({ example: 'save' }),
              first_name: z.string().optional(),
              last_name: z.string().optional(),
              locale: z.string().optional(),
            })
            .catchall(z.string()),
          example: { csrf: 'mUq0…', action: 'save', 'sub:1:email': 'on', 'freq:email': '1w', first_name: 'Léa', locale: 'fr' },
        },
      },
      required: true,
    },
  },
  responses: {
    303: { description: 'Saved (or paused, unsubscribed, erasure requested): back to the page with ?done=<outcome>', headers: { Location: { schema: { type: 'string' }, description: '<token>?done=saved' } } },
    403: page('The form token is missing or stale, or the post came from another origin: a "form expired" page'),
    ...invalidLink, ...payloadTooLarge,
  },
});

export const preferencesExportRoute = createRoute({
  method: 'get', path: '/p/{token}/export', tags,
  summary: 'Download my data (right of access)',
  description:
    'Everything held about the contact, as `GET /v1/contacts/{id}/export` gives staff, as a JSON attachment ' +
    '(my-data.json). Recorded in the audit log.' + noStore,
  request: { params: TokenParam },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.record(z.string(), z.unknown()),
          example: {
            exported_at: '2026-11-04T16:00:00.000Z',
            contact: { id: 42, email: 'marie.dupont@example.fr', first_name: 'Marie', locale: 'fr' },
            subscriptions: [
              { channel: 'email', topic: 'newsletter', status: 'subscribed', paused_until: null, updated_at: '2026-03-01T08:30:00.000Z' },
            ],
            consent_records: [], messages: [], events: [], responses: [], tracked_hits: [], lists: [], preferences: [], pressure_ledger: [], purchase_summary: null, suppressions: [],
          },
        },
      },
      description: 'The contact\'s data, as an attachment',
    },
    ...invalidLink,
  },
});

export const confirmPageRoute = createRoute({
  method: 'get', path: '/c/{token}', tags,
  summary: 'Show the double opt-in confirmation page',
  description:
    'The link of a double opt-in confirmation email: names the topic and the masked address, with one button. GET ' +
    'changes nothing (mail scanners prefetch links).' + noStore,
  request: { params: TokenParam },
  responses: { 200: page('The confirmation page'), ...invalidLink },
});

export const confirmRoute = createRoute({
  method: 'post', path: '/c/{token}', tags,
  summary: 'Confirm a pending subscription (double opt-in)',
  description:
    'Turns the pending subscription into a subscribed one and records the consent (IP and user agent). Confirming ' +
    'twice changes nothing more.' + noStore,
  request: { params: TokenParam },
  responses: { 200: page('Confirmed: the page says so'), ...invalidLink },
});

/** Every public page, for the OpenAPI document. */
export const pageRoutes = [
  unsubscribePageRoute, unsubscribeRoute, preferencesPageRoute, savePreferencesRoute, preferencesExportRoute, confirmPageRoute, confirmRoute,
];
