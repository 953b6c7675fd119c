// Cloudflare Worker entry: dependencies are built per request (a module-level pool hangs the second request).
import type { ExecutionContext } from 'hono';
import { buildApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { createPostgresDatabase } from '../db/database.js';
import { createBackground, type Deps } from '../deps.js';
import { createSesEmailTransport } from '../channels/ses.js';
import { createTwilioSmsTransport, createUnconfiguredSmsTransport } from '../channels/twilio.js';
import { createInterpretedRenderer } from '../templates/render/interpreter.js';
import { resumeSending } from '../campaigns/resume.js';
import { purgeInactiveProspects } from '../consent/privacy.service.js';

/** Must match the daily trigger in wrangler.toml. */
const RETENTION_CRON = '17 3 * * *';

interface Env {
  HYPERDRIVE: { connectionString: string };
  [key: string]: unknown;
}


function createWorkerDeps(env: Env): Deps {
  const config: Config = loadConfig({ EMAIL_TRANSPORT: 'ses', ...env });
  if (!config.ses) throw new Error('The Worker sends email through SES: set SES_REGION (and credentials) in wrangler.toml or secrets');
  const db = createPostgresDatabase(env.HYPERDRIVE.connectionString, { max: 1 });
  return {
    db,
    config,
    clock: () => new Date(),
    email: createSesEmailTransport({ ...config.ses, fromDomain: config.emailFrom.address.split('@')[1] ?? 'localhost' }),
    sms: config.twilio ? createTwilioSmsTransport(config.twilio) : createUnconfiguredSmsTransport(),
    // Code generation from strings is disallowed in workerd: merge with the AST interpreter.
    renderer: createInterpretedRenderer(),
    background: createBackground((name, err) => console.error(`[background] ${name} failed:`, err)),
    runtime: { name: 'worker', database: 'postgres' },
  };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const deps = createWorkerDeps(env);
    const response = await buildApp(deps).fetch(request, env, ctx);
    // Sending started by this request continues after the response; then the connection closes.
    ctx.waitUntil(deps.background.idle().finally(() => deps.db.destroy()));
    return response;
  },

  /** Cron trigger: resumes campaigns whose sending outlived a request. */
  async scheduled(event: { cron?: string }, env: Env, ctx: ExecutionContext): Promise<void> {
    const deps = createWorkerDeps(env);
    if (event.cron === RETENTION_CRON) {
      ctx.waitUntil(purgeInactiveProspects(deps.db, { now: deps.clock(), years: deps.config.retentionYears }).finally(() => deps.db.destroy()));
      return;
    }
    const work = resumeSending(deps)
      .then(() => deps.background.idle())
      .finally(() => deps.db.destroy());
    ctx.waitUntil(work);
  },
};
