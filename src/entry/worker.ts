// Cloudflare Worker entry. The app, configuration, transports and caches (SNS certificates) live for the isolate;
// the database client is made per request and closed once its work is done (a module-level pool hangs the second
// request).
import type { ExecutionContext } from 'hono';
import { buildApp } from '../app.js';
import { consumeDescriptors, type QueueMessage } from '../campaigns/index.js';
import { createFetchPost, createNullEmailTransport, createSesEmailTransport, createTransports, createUnconfiguredPostalTransport, createUnconfiguredSmsTransport } from '../channels/index.js';
import { loadConfig } from '../config.js';
import { createPostgresDatabase } from '../db/database.js';
import { createCloudflareSendQueue, isSendDescriptor, type SendDescriptor, type SendQueueBinding } from '../delivery/index.js';
import { createBackground, sleep, type Deps } from '../deps.js';
import { consoleSink, createLogger, describeError } from '../http/log.js';
import { daily, everyMinute } from '../jobs.js';
import { createInterpretedRenderer } from '../templates/index.js';
import { createQueueHitWriter, ingestHits, isRawHit, type HitQueueBinding, type RawHit } from '../tracking/index.js';
import { workerDocsAssets } from './worker-docs-assets.js';

/** Must match the daily trigger in wrangler.toml. */
const RETENTION_CRON = '17 3 * * *';

interface Env {
  HYPERDRIVE: { connectionString: string };
  /** Opens and clicks on their way to the database ([[queues]] in wrangler.toml). */
  TRACKING_QUEUE: HitQueueBinding;
  /** Campaigns' batch descriptors on their way to the consumer (delivery/send-queue.ts). Without it, sending runs in waitUntil. */
  SEND_QUEUE?: SendQueueBinding;
  [key: string]: unknown;
}

/** A batch a queue hands to the consumer (the parts used here). */
interface QueueBatch {
  queue: string;
  messages: ReadonlyArray<QueueMessage>;
}

type Shared = Omit<Deps, 'db' | 'background' | 'hits'>;

function createShared(env: Env): Shared {
  const config = loadConfig({ EMAIL_TRANSPORT: 'ses', ...env });
  if (!config.ses && config.emailTransport !== 'null') throw new Error('The Worker sends email through SES: set SES_REGION (and credentials) in wrangler.toml or secrets');
  return {
    config,
    clock: () => new Date(),
    sleep,
    // No outbox folder on the Worker: email goes through SES (checked above) unless EMAIL_TRANSPORT=null, whatever
    // else it says; SMS without a provider fails clearly.
    transports: createTransports(config, {
      email: () => (config.ses ? createSesEmailTransport({ ...config.ses, fromDomain: config.emailFrom.address.split('@')[1] ?? 'localhost' }) : createNullEmailTransport()),
      sms: createUnconfiguredSmsTransport,
      postal: createUnconfiguredPostalTransport,
      webhookPost: createFetchPost({ allowPrivate: config.webhookAllowPrivate }),
    }),
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
    ...(env.SEND_QUEUE ? { sendQueue: createCloudflareSendQueue(env.SEND_QUEUE) } : {}),
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

  /**
   * Both queues' consumer; each message says by its shape which it is. Send descriptors are sent one by one, each
   * acknowledged or retried on its own (campaigns/queue-sender.ts). Hits are written together; a failed write is
   * delivered again. A message that is neither is dropped and logged, never retried with the good ones.
   */
  async queue(batch: QueueBatch, env: Env): Promise<void> {
    const { deps, settle } = open(forIsolate(env).shared, env);
    try {
      const descriptors = batch.messages.filter((m): m is QueueMessage & { body: SendDescriptor } => isSendDescriptor(m.body));
      const hits = batch.messages.filter((m) => isRawHit(m.body));
      const malformed = batch.messages.filter((m) => !isSendDescriptor(m.body) && !isRawHit(m.body));
      if (malformed.length) {
        deps.log.error('queue: malformed messages dropped', { queue: batch.queue, dropped: malformed.length });
        for (const m of malformed) m.ack();
      }
      if (hits.length) await writeHits(deps, hits);
      if (descriptors.length) await consumeDescriptors(deps, descriptors);
    } finally {
      await settle();
    }
  },
};

/** Opens and clicks from the tracking queue, written in one batch; a failed batch is delivered again. */
async function writeHits(deps: Deps, messages: QueueMessage[]) {
  try {
    await ingestHits(deps.db, messages.map((m) => m.body as RawHit), deps.config.classifier);
    for (const m of messages) m.ack();
  } catch (err) {
    deps.log.error('tracking batch not written, retried', { hits: messages.length, ...describeError(err) });
    for (const m of messages) m.retry();
  }
}
