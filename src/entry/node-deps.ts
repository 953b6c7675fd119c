// Builds the Node process's dependencies; the server, the CLI and the tests share it.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createBackground, type Deps } from '../deps.js';
import { createOutboxEmailTransport, createOutboxSmsTransport } from '../channels/outbox.js';
import { createSesEmailTransport } from '../channels/ses.js';
import { createTwilioSmsTransport } from '../channels/twilio.js';
import { createCompiledRenderer } from '../templates/render/compiled-renderer.js';

export function createNodeDeps(config: Config, db: Database, options: { clock?: () => Date } = {}): Deps {
  const clock = options.clock ?? (() => new Date());
  const domain = config.emailFrom.address.split('@')[1] ?? 'localhost';
  const email =
    config.emailTransport === 'ses' && config.ses
      ? createSesEmailTransport({ ...config.ses, fromDomain: domain })
      : createOutboxEmailTransport({ dir: config.outboxDir, domain, clock });
  return {
    db,
    config,
    clock,
    email,
    sms: config.smsTransport === 'twilio' && config.twilio
      ? createTwilioSmsTransport(config.twilio)
      : createOutboxSmsTransport({ dir: config.outboxDir, clock }),
    renderer: createCompiledRenderer(),
    background: createBackground((name, err) => console.error(`[background] ${name} failed:`, err)),
    runtime: { name: 'node', database: config.databaseUrl ? 'postgres' : 'pglite' },
  };
}
