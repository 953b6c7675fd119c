// The one app factory: both runtime entries call it with their own dependencies.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { keysRouter, requireApiKey, requirePermission } from './access/index.js';
import { auditRouter } from './audit/index.js';
import { callsRouter, campaignsRouter, schedulesRouter, testSendRouter } from './campaigns/index.js';
import { topicsRouter } from './consent/index.js';
import { contactsRouter } from './contacts/index.js';
import { webhookEndpointsRouter } from './delivery/index.js';
import type { Deps } from './deps.js';
import type { AppEnv } from './http/app-env.js';
import { DEFAULT_BODY_LIMIT, limitBody } from './http/body-limit.js';
import { emptyJsonIsNoBody } from './http/empty-body.js';
import { docsRouter } from './http/docs.js';
import { errorResponse, handleError } from './http/errors.js';
import { healthRouter } from './http/health.js';
import { logRequests } from './http/log.js';
import { emailInboundRouter, printHouseWebhookRouter, sesWebhookRouter, smsInboundRouter, webhookRoutes } from './inbound/index.js';
import { linksRouter } from './links/index.js';
import { eventsRouter, reclassifyRouter, responsesRouter, trackingRouter, trackingRoutes } from './tracking/index.js';
import { confirmRouter, couponRouter, pageRoutes, preferencesRouter, sendConfirmations, unsubscribeRouter } from './preference-center/index.js';
import { pressureSettingsRouter } from './pressure/index.js';
import { privacyRouter } from './privacy/index.js';
import { reportPageRoutes, reportPagesRouter, reportShareRouter, reportsRouter, workspaceReportRouter } from './reporting/index.js';
import { workspacePagesRouter, workspaceReportPageRoutes, workspaceShareRouter } from './reporting/index.js';
import { listsRouter, segmentsRouter } from './segments/index.js';
import { suppressionsRouter } from './suppressions/index.js';
import { templatesRouter } from './templates/index.js';

/**
 * Dependencies made for each request (the Worker: its database connection and its waitUntil), with what must
 * happen once the response is out.
 */
export type RequestDeps = (c: Context<AppEnv>) => { deps: Deps; settle(): Promise<void> };

/** Node passes one Deps for the process; the Worker builds the app once per isolate and passes RequestDeps. */
export function buildApp(deps: Deps | RequestDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    if (typeof deps !== 'function') {
      c.set('deps', deps);
      return next();
    }
    const scoped = deps(c);
    c.set('deps', scoped.deps);
    try {
      await next();
    } finally {
      c.executionCtx.waitUntil(scoped.settle());
    }
  });
  // Opens and clicks (the pixel, the redirects of tracked and short links) come before the request log and the body
  // limit: they are the hottest and most numerous requests, they carry no body, and a line per open would drown the
  // log. Their failures are still logged (onError), and every hit is kept in tracking_hits.
  app.route('/', trackingRouter());
  // One JSON line per request (method, route pattern, status, duration, request id); no bodies, no parameters.
  app.use('*', logRequests);
  // Every body is counted as it streams in; routes that take more (CSV imports) or less (webhooks) say so.
  app.use('*', limitBody(DEFAULT_BODY_LIMIT));
  app.onError(handleError);
  app.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));

  app.route('/', healthRouter());

  const v1 = new OpenAPIHono<AppEnv>();
  v1.use('*', requireApiKey);
  // The routes whose body is optional: an empty JSON body is no body there (elsewhere it is a 400, as it should be).
  for (const path of ['/campaigns/:id/launch', '/campaigns/:id/report/share', '/reports/workspace/share']) v1.use(path, emptyJsonIsNoBody);
  const content = requirePermission('content');
  const admin = requirePermission('admin');
  // Keys, changes to workspace settings (caps, quiet hours, lifecycle), webhook endpoints and reclassifying hits are for
  // admins.
  const adminOnly = (path: string, method: string) =>
    path.startsWith('/v1/api-keys') || path.startsWith('/v1/tracking/') || (path.startsWith('/v1/settings') && method !== 'GET' && method !== 'HEAD') ||
    // An endpoint is where contacts' data will be posted: admins choose it.
    (path.startsWith('/v1/webhook-endpoints') && method !== 'GET' && method !== 'HEAD');
  // A report's share link shares what any key may read: its POST counts as a read, so analysts may create one.
  const sharesAReport = (path: string, method: string) =>
    method === 'POST' && (/^\/v1\/campaigns\/[^/]+\/report\/share$/.test(path) || path === '/v1/reports/workspace/share');
  v1.use('*', (c, next) => (adminOnly(c.req.path, c.req.method) ? admin(c, next) : sharesAReport(c.req.path, c.req.method) ? next() : content(c, next)));
  // New consents to double opt-in topics get their confirmation email right after the change.
  v1.use('/contacts*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300) {
      const d = c.get('deps');
      d.background.run('double opt-in confirmations', async () => void (await sendConfirmations(d)));
    }
  });
  for (const router of [
    contactsRouter(), privacyRouter(), auditRouter(), topicsRouter(), templatesRouter(), campaignsRouter(), callsRouter(), schedulesRouter(), testSendRouter(), webhookEndpointsRouter(), reportsRouter(), reportShareRouter(), listsRouter(),
    segmentsRouter(), pressureSettingsRouter(), linksRouter(), suppressionsRouter(), keysRouter(), eventsRouter(), responsesRouter(), reclassifyRouter(), workspaceReportRouter(),
    workspaceShareRouter(),
  ]) v1.route('/', router);
  app.route('/v1', v1);

  // Public, unauthenticated: reached from links in messages.
  app.route('/', unsubscribeRouter());
  app.route('/', preferencesRouter());
  app.route('/', confirmRouter());
  app.route('/', couponRouter());
  // Report pages, of a campaign and of the workspace: an API key, or a signed share link.
  app.route('/', reportPagesRouter());
  app.route('/', workspacePagesRouter());
  // Provider callbacks: authenticated by their own signatures, never by API keys.
  app.route('/', sesWebhookRouter());
  app.route('/', smsInboundRouter());
  app.route('/', emailInboundRouter());
  app.route('/', printHouseWebhookRouter());
  // Plain Hono routes (forms, HTML, raw bodies), described in the OpenAPI document by their contracts.
  for (const route of [...pageRoutes, ...trackingRoutes, ...webhookRoutes, ...reportPageRoutes, ...workspaceReportPageRoutes]) app.openAPIRegistry.registerPath(route);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'smsWebhookSecret', { type: 'http', scheme: 'bearer', description: 'SMS_WEBHOOK_SECRET (the JSON form of POST /webhooks/sms)' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'inboundEmailSecret', { type: 'http', scheme: 'bearer', description: 'INBOUND_EMAIL_SECRET (POST /webhooks/email)' });
  app.doc31('/openapi.json', (c) => {
    const { config } = c.get('deps');
    return {
      openapi: '3.1.0',
      info: {
        title: `${config.brandName} campaign platform API`,
        version: '0.1.0',
        description: 'Contacts, templates and campaigns by email and SMS. Errors are {error: {code, message, details}}.',
      },
      servers: [{ url: config.publicUrl }],
    };
  });
  // The API reference, served from the installed swagger-ui-dist: it works on a closed network.
  app.route('/', docsRouter());
  return app;
}

export type App = ReturnType<typeof buildApp>;
