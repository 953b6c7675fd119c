import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { sql } from 'kysely';
import { requireApiKey, requirePermission } from './access/auth.middleware.js';
import { keysRouter } from './access/keys.handlers.js';
import { campaignsRouter } from './campaigns/campaigns.handlers.js';
import { listsRouter } from './segments/lists.handlers.js';
import { segmentsRouter } from './segments/segments.handlers.js';
import { settingsRouter } from './consent/settings.handlers.js';
import { suppressionsRouter } from './consent/suppression.handlers.js';
import { sesWebhookRouter } from './consent/ses-webhook.handlers.js';
import { smsInboundRouter } from './consent/sms-inbound.handlers.js';
import { preferencesRouter } from './consent/preferences.handlers.js';
import { confirmRouter } from './consent/confirm.handlers.js';
import { privacyRouter } from './consent/privacy.handlers.js';
import { auditRouter } from './consent/audit.handlers.js';
import { exportContact } from './consent/privacy.service.js';
import { contactsRouter } from './contacts/contacts.handlers.js';
import { topicsRouter } from './consent/topics.handlers.js';
import { unsubscribeRouter } from './consent/unsubscribe.handlers.js';
import type { Deps } from './deps.js';
import type { AppEnv } from './http/app-env.js';
import { errorResponse, handleError } from './http/errors.js';
import { templatesRouter } from './templates/templates.handlers.js';
import { reportsRouter } from './reporting/campaign-report.handlers.js';

/** The one app factory: both runtime entries call this with their own dependencies. */
export function buildApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.onError(handleError);
  app.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));

  app.get('/health', async (c) => {
    let database = 'ok';
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      database = 'unreachable';
    }
    const status = database === 'ok' ? 200 : 503;
    return c.json(
      {
        status: status === 200 ? 'ok' : 'degraded',
        runtime: deps.runtime.name,
        database: { kind: deps.runtime.database, status: database },
        transports: { email: deps.email.name, sms: deps.sms.name },
        renderer: deps.renderer.name,
      },
      status,
    );
  });

  const v1 = new OpenAPIHono<AppEnv>();
  v1.use('*', requireApiKey);
  const content = requirePermission('content');
  const admin = requirePermission('admin');
  // Keys, and changes to workspace settings (caps, quiet hours, lifecycle), are for admins.
  const adminOnly = (path: string, method: string) => path.startsWith('/v1/api-keys') || (path.startsWith('/v1/settings') && method !== 'GET' && method !== 'HEAD');
  v1.use('*', (c, next) => (adminOnly(c.req.path, c.req.method) ? admin(c, next) : content(c, next)));
  v1.route('/', contactsRouter());
  v1.route('/', privacyRouter({ retentionYears: deps.config.retentionYears }));
  v1.route('/', auditRouter());
  v1.route('/', topicsRouter());
  v1.route('/', templatesRouter());
  v1.route('/', campaignsRouter());
  v1.route('/', reportsRouter());
  v1.route('/', listsRouter());
  v1.route('/', segmentsRouter());
  v1.route('/', settingsRouter());
  v1.route('/', suppressionsRouter());
  v1.route('/', keysRouter());
  app.route('/v1', v1);

  // Public, unauthenticated: reached from links in messages.
  app.route('/', unsubscribeRouter());
  // The person's own download: the same export staff get, recorded in the audit log.
  app.route('/', preferencesRouter((db, id) => exportContact(db, id, 'contact (preference center)', deps.clock())));
  app.route('/', confirmRouter());
  // Provider callbacks: authenticated by their own signatures, never by API keys.
  app.route('/', sesWebhookRouter({ softBounceLimit: deps.config.softBounceLimit, topicArns: deps.config.sesSnsTopicArns }));
  app.route(
    '/',
    smsInboundRouter({
      secret: deps.config.smsWebhookSecret,
      twilioAuthToken: deps.config.twilio?.authToken,
      publicUrl: deps.config.publicUrl,
      defaultCountry: deps.config.smsDefaultCountry as never,
      helpContact: deps.config.smsHelpContact,
    }),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: `${deps.config.brandName} campaign platform API`,
      version: '0.1.0',
      description: 'Contacts, templates and campaigns by email and SMS. Errors are {error: {code, message, details}}.',
    },
    servers: [{ url: deps.config.publicUrl }],
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  return app;
}

export type App = ReturnType<typeof buildApp>;
