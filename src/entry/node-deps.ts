// Builds the Node process's dependencies; the server, the CLI and the tests share it.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createBackground, sleep, type Deps } from '../deps.js';
import { consoleSink, createLogger } from '../http/log.js';
import { createOutboxEmailTransport, createOutboxPostalTransport, createOutboxSmsTransport } from '../channels/outbox.js';
import { createTransports } from '../channels/index.js';
import { createSafePost } from '../channels/webhook/safe-post.js';
import { createCompiledRenderer } from '../templates/index.js';
import { createBufferedHitWriter } from '../tracking/index.js';
import { nodeDocsAssets } from './node-runtime.js';

export function createNodeDeps(config: Config, db: Database, options: { clock?: () => Date } = {}): Deps {
  const clock = options.clock ?? (() => new Date());
  const domain = config.emailFrom.address.split('@')[1] ?? 'localhost';
  // Without a provider, messages are written to the outbox folder.
  const transports = createTransports(config, {
    email: () => createOutboxEmailTransport({ dir: config.outboxDir, domain, clock }),
    sms: () => createOutboxSmsTransport({ dir: config.outboxDir, clock }),
    postal: () => createOutboxPostalTransport({ dir: config.outboxDir }),
    webhookPost: createSafePost({ allowPrivate: config.webhookAllowPrivate }),
  });
  const log = createLogger(consoleSink, config.logLevel);
  return {
    db,
    config,
    clock,
    sleep,
    transports,
    fetch: (input, init) => fetch(input, init),
    renderer: createCompiledRenderer(),
    background: createBackground(log),
    hits: createBufferedHitWriter(db, log, { flushMs: config.trackingFlushMs, classifier: config.classifier }),
    log,
    docsAssets: nodeDocsAssets(),
    runtime: { name: 'node', database: config.databaseUrl ? 'postgres' : 'pglite' },
  };
}
