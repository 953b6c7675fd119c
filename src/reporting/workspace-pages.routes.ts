// The contracts of the workspace report page and of its share links. The share route is a JSON route of /v1; the
// pages are plain Hono routes (HTML), described in the OpenAPI document by these contracts (registered in app.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { commonErrors, ErrorSchema, queryTimeout, security } from '../http/schemas.js';
import { SHARE_DAYS } from './share.service.js';
import { parseInstant } from './workspace-report.routes.js';

const tags = ['Reports'];
const page = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const Instant = z.string().max(64).refine((s) => parseInstant(s) !== undefined, {
  error: 'must be a date (2026-11-01, midnight UTC) or a date and time with an offset (2026-11-01T09:30:00+01:00), from 1900 to 9999',
});

const LangQuery = z.string().optional().openapi({ description: 'fr or en; otherwise the share link\'s, then the browser\'s Accept-Language, else French', example: 'en' });

const pageDescription =
  'The workspace report (`GET /v1/reports/workspace`) as a page, in the style of the preference center: the period and ' +
  'channel; the campaigns launched in it side by side (a table, and their open and click rates drawn, the 20 newest); ' +
  'human opens and clicks per day and channel (SVG line charts); the audience (contacts, opt-ins, opt-outs); marketing ' +
  'pressure (capped and deferred messages, per channel and rule); and email deliverability against SES\'s thresholds, ' +
  'each status in words and colour. Every chart has its numbers in a table under it; no JavaScript. French or English. ' +
  'Never cached, indexed or framed, and sends no referrer.';

export const workspaceReportPageRoute = createRoute({
  method: 'get', path: '/reports/workspace', tags, security,
  summary: 'Show the workspace report page',
  description:
    `${pageDescription} Any API key may read it (\`Authorization: Bearer <key>\`), as \`GET /v1/reports/workspace\`. ` +
    'A query the page cannot use (a date it cannot read, a period that ends before it starts or is longer than 366 days, ' +
    'a channel that cannot send) is said in a notice on the page, which then shows the last 30 days or every channel.',
  request: {
    query: z.object({
      from: z.string().optional().openapi({ description: 'Start of the period, included (default: 30 days before to)', example: '2026-11-01' }),
      to: z.string().optional().openapi({ description: 'End of the period, excluded (default: now)', example: '2026-11-15' }),
      channel: z.string().optional().openapi({ description: 'email or sms: only this channel (default: all)', example: 'email' }),
      lang: LangQuery,
    }),
  },
  responses: {
    200: page('The report page'),
    401: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Missing or unknown API key' },
    ...queryTimeout,
  },
});

export const sharedWorkspaceReportPageRoute = createRoute({
  method: 'get', path: '/reports/workspace/shared/{token}', tags,
  summary: 'Show the workspace report page from a share link',
  description:
    `${pageDescription} No API key: the token (from \`POST /v1/reports/workspace/share\`) carries the period, the channel ` +
    'and an expiry, signed with the workspace\'s signing secret; the period and channel cannot be changed from the URL.',
  request: {
    params: z.object({
      token: z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'The signed share token', example: 'dy4xNzkzNDkxMjAwMDAwLjE3OTQ3MDA4MDAwMDAuLS4xNzk3MjkyODAw.Yk3r9QxXl2cT0aBq1W3eVg' }),
    }),
    query: z.object({ lang: LangQuery }),
  },
  responses: {
    200: page('The report page'),
    404: page('The token fails its signature or has expired (or the signing secret was rotated): an "invalid link" page'),
    ...queryTimeout,
  },
});

const ShareBody = z.object({
  from: Instant.optional().openapi({ description: 'Start of the period, included (default: 30 days before to)', example: '2026-11-01' }),
  to: Instant.optional().openapi({ description: 'End of the period, excluded (default: now, as the link is created)', example: '2026-11-15' }),
  channel: z.enum(SENDABLE_CHANNELS).optional().openapi({ description: 'Only this channel (default: all)' }),
  expires_in_days: z.number().int().min(SHARE_DAYS.min).max(SHARE_DAYS.max).optional()
    .openapi({ description: `How long the link works, in days (${SHARE_DAYS.default} by default)`, example: 7 }),
  lang: z.enum(['fr', 'en']).optional().openapi({ description: 'The page\'s language; otherwise that of the reader\'s browser' }),
}).strict();

const ShareSchema = z.object({
  url: z.string().openapi({ description: 'Opens the workspace report page with no API key, until expires_at' }),
  expires_at: z.string(),
}).openapi('WorkspaceReportShareLink');

export const shareWorkspaceReportRoute = createRoute({
  method: 'post', path: '/reports/workspace/share', tags, security,
  summary: 'Create a share link to the workspace report page',
  description:
    'A link to the workspace report page (`GET /reports/workspace/shared/{token}`) over a period and channel, that opens ' +
    `with no API key until it expires (${SHARE_DAYS.min} to ${SHARE_DAYS.max} days, ${SHARE_DAYS.default} by default). ` +
    'The period is resolved when the link is created, as `GET /v1/reports/workspace` reads it (30 days up to now by ' +
    'default; 422 naming the field for a period it refuses), and the link always shows that period. Any key may create ' +
    'one, analysts included: it shares what the key can read. Recorded in the audit log (`report.shared`, subject ' +
    '`workspace`), without the link. A link cannot be revoked alone: rotating the signing secret ends every one, and ' +
    'every link in messages already sent.',
  request: {
    body: { ...exampleBody(ShareBody, { from: '2026-11-01', to: '2026-11-15', channel: 'email', expires_in_days: 7, lang: 'fr' }).body, required: false },
  },
  responses: {
    201: exampleResponse(ShareSchema, 'The link and when it stops working', {
      url: 'https://mail.example.test/reports/workspace/shared/dy4xNzkzNDkxMjAwMDAwLjE3OTQ3MDA4MDAwMDAuLS4xNzk3MjkyODAw.Yk3r9QxXl2cT0aBq1W3eVg',
      expires_at: '2026-11-10T09:00:00.000Z',
    }),
    ...commonErrors,
  },
});

/** The pages, for the OpenAPI document (their handlers are plain Hono routes). */
export const workspaceReportPageRoutes = [workspaceReportPageRoute, sharedWorkspaceReportPageRoute];
