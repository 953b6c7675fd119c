// Cloudflare Worker entry. The app, configuration, transports and caches (SNS certificates) live for the isolate;
// the database client is made per request and closed once its work is done (a module-level pool hangs the second
// request).
import type { ExecutionContext } from 'hono';
import { buildApp } from '../app.js';
import { createNullEmailTransport, createNullSmsTransport, createSesEmailTransport, createTwilioSmsTransport, createUnconfiguredSmsTransport } from '../channels/index.js';
import { loadConfig } from '../config.js';
import { createPostgresDatabase } from '../db/database.js';
import { createBackground, sleep, type Deps } from '../deps.js';
import { consoleSink, createLogger, describeError } from '../http/log.js';
import { daily, everyMinute } from '../jobs.js';
import { createInterpretedRenderer } from '../templates/index.js';
import { createQueueHitWriter, ingestHits, isRawHit, type HitQueueBinding } from '../tracking/index.js';
import { workerDocsAssets } from './worker-docs-assets.js';

/** Must match the daily trigger in wrangler.toml. */
const RETENTION_CRON = '17 3 * * *';

interface Env {
  HYPERDRIVE: { connectionString: string };
  /** Opens and clicks on their way to the database ([[queues]] in wrangler.toml). */
  TRACKING_QUEUE: HitQueueBinding;
  [key: string]: unknown;
}

/** A batch the queue hands to the consumer (the parts used here). */
interface QueueBatch {
  messages: ReadonlyArray<{ body: unknown }>;
  ackAll(): void;
  retryAll(): void;
}

type Shared = Omit<Deps, 'db' | 'background' | 'hits'>;

function createShared(env: Env): Shared {
  const config = loadConfig({ EMAIL_TRANSPORT: 'ses', ...env });
  if (!config.ses && config.emailTransport !== 'null') throw new Error('The Worker sends email through SES: set SES_REGION (and credentials) in wrangler.toml or secrets');
  return {
    config,
    clock: () => new Date(),
    sleep,
    transports: {
      email: config.emailTransport === 'null' || !config.ses ? createNullEmailTransport()
        : createSesEmailTransport({ ...config.ses, fromDomain: config.emailFrom.address.split('@')[1] ?? 'localhost' }),
      sms: config.smsTransport === 'null' ? createNullSmsTransport() : config.twilio ? createTwilioSmsTransport(config.twilio) : createUnconfiguredSmsTransport(),
    },
    fetch: (input, init) => fetch(input, init),
    // Code generation from strings is disallowed in workerd: merge with the AST interpreter.
    renderer: createInterpretedRenderer(),
    // Workers Logs read the console; one JSON object a line is indexed field by field.
    log: createLogger(consoleSink, config.logLevel),
    docsAssets: workerDocsAssets,
    runtime: { name: 'worker', database: 'postgres' },
  };
}

/** A request's (or a cron run's) own database connection and background work, over the isolate's shared parts. */
function open(shared: Shared, env: Env) {
  const deps: Deps = {
    ...shared,
    db: createPostgresDatabase(env.HYPERDRIVE.connectionString, { max: 1 }),
    background: createBackground(shared.log),
    hits: createQueueHitWriter(env.TRACKING_QUEUE),
  };
  // Sending started here continues after the response; then the connection closes.
  return { deps, settle: () => deps.background.idle().finally(() => deps.db.destroy()) };
}

// One per isolate: env is the same object for every request an isolate serves.
let isolate: { env: Env; shared: Shared; app: ReturnType<typeof buildApp> } | undefined;

function forIsolate(env: Env) {
  if (isolate?.env !== env) {
    const shared = createShared(env);
    isolate = { env, shared, app: buildApp((c) => open(shared, c.env as Env)) };
  }
  return isolate;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return forIsolate(env).app.fetch(request, env, ctx);
  },

  /** Cron triggers: every minute, resume sending and retries; daily, the retention purge. */
  async scheduled(event: { cron?: string }, env: Env, ctx: ExecutionContext): Promise<void> {
    const { deps, settle } = open(forIsolate(env).shared, env);
    const work = (event.cron === RETENTION_CRON ? daily(deps) : everyMinute(deps)).catch((err: unknown) => {
      // The cron's outcome only says "exception": the log says which and why.
      deps.log.error('scheduled run failed', { cron: event.cron ?? null, ...describeError(err) });
      throw err;
    });
    ctx.waitUntil(work.finally(settle));
  },

  /** The tracking queue's consumer: one batch of hits, written together; a failed batch is delivered again. */
  async queue(batch: QueueBatch, env: Env): Promise<void> {
    const { deps, settle } = open(forIsolate(env).shared, env);
    try {
      const bodies = batch.messages.map((m) => m.body);
      const hits = bodies.filter(isRawHit);
      // Not ours, or from an older version: dropped and logged, never retried with the good ones.
      if (hits.length < bodies.length) deps.log.error('tracking queue: malformed hits dropped', { dropped: bodies.length - hits.length });
      await ingestHits(deps.db, hits, deps.config.classifier);
      batch.ackAll();
    } catch (err) {
      deps.log.error('tracking batch not written, retried', { hits: batch.messages.length, ...describeError(err) });
      batch.retryAll();
    } finally {
      await settle();
    }
  },
};
