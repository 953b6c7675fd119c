// The contracts of the report pages and of their share links. The share route is a JSON route of /v1; the pages are
// plain Hono routes (HTML), described in the OpenAPI document by these contracts (registered in app.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { commonErrors, ErrorSchema, IdParam, notFound, security } from '../http/schemas.js';
import { SHARE_DAYS } from './share.service.js';

const tags = ['Reports'];
const page = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const Lang = z.enum(['fr', 'en']);

const PageQuery = z.object({
  lang: z.string().optional().openapi({ description: 'fr or en; otherwise the browser\'s Accept-Language, else French', example: 'en' }),
  by: z.string().optional().openapi({ description: 'A declared attribute to break the sent messages down by, as in the JSON report', example: 'host' }),
});

const pageDescription =
  'The campaign\'s report as a page, in the style of the preference center: the funnel from targeted to converted ' +
  '(SVG, with each number printed), opens and clicks over time, human and machine (SVG line chart), clicks per link ' +
  'and the breakdowns (by channel, language variant, contact language, and attribute with `?by=`). Every chart has ' +
  'its numbers in a table under it; no JavaScript. French or English (`?lang=`, else Accept-Language). Never cached, ' +
  'indexed or framed, and sends no referrer.';

export const reportPageRoute = createRoute({
  method: 'get', path: '/reports/campaigns/{id}', tags, security,
  summary: 'Show a campaign\'s report page',
  description: `${pageDescription} Any API key may read it (\`Authorization: Bearer <key>\`), as \`GET /v1/campaigns/{id}/report\`.`,
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: page('The report page'),
    401: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Missing or unknown API key' },
    ...notFound,
  },
});

export const sharedReportPageRoute = createRoute({
  method: 'get', path: '/reports/shared/{token}', tags,
  summary: 'Show a campaign\'s report page from a share link',
  description: `${pageDescription} No API key: the token (from \`POST /v1/campaigns/{id}/report/share\`) names the campaign and an expiry, signed with the workspace's signing secret.`,
  request: {
    params: z.object({
      token: z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'The signed share token', example: 'ci43LjE3OTk5OTk5OTk.Yk3r9QxXl2cT0aBq1W3eVg' }),
    }),
    query: PageQuery,
  },
  responses: {
    200: page('The report page'),
    404: page('The token fails its signature, has expired, or its campaign is gone (or the signing secret was rotated): an "invalid link" page'),
  },
});

const ShareBody = z.object({
  expires_in_days: z.number().int().min(SHARE_DAYS.min).max(SHARE_DAYS.max).optional()
    .openapi({ description: `How long the link works, in days (${SHARE_DAYS.default} by default)`, example: 7 }),
  lang: Lang.optional().openapi({ description: 'The page\'s language; otherwise that of the reader\'s browser' }),
}).strict();

const ShareSchema = z.object({
  url: z.string().openapi({ description: 'Opens the report page with no API key, until expires_at' }),
  expires_at: z.string(),
}).openapi('ReportShareLink');

export const shareReportRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/report/share', tags, security,
  summary: 'Create a share link to a campaign\'s report page',
  description:
    'A link to the campaign\'s report page (`GET /reports/shared/{token}`) that opens with no API key until it expires ' +
    `(${SHARE_DAYS.min} to ${SHARE_DAYS.max} days, ${SHARE_DAYS.default} by default). Any key may create one, analysts ` +
    'included: it shares what the key can read. Recorded in the audit log (`report.shared`), without the link. A link ' +
    'cannot be revoked alone: rotating the signing secret ends every one, and every link in messages already sent. ' +
    '404 for an unknown campaign.',
  request: {
    params: IdParam,
    body: { ...exampleBody(ShareBody, { expires_in_days: 7, lang: 'fr' }).body, required: false },
  },
  responses: {
    201: exampleResponse(ShareSchema, 'The link and when it stops working', {
      url: 'https://mail.example.test/reports/shared/ci43LjE3OTk5OTk5OTk.Yk3r9QxXl2cT0aBq1W3eVg', expires_at: '2026-11-10T09:00:00.000Z',
    }),
    ...commonErrors, ...notFound,
  },
});

/** The pages, for the OpenAPI document (their handlers are plain Hono routes). */
export const reportPageRoutes = [reportPageRoute, sharedReportPageRoute];
