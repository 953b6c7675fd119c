import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Fetcher, Transports } from './channels/index.js';
import type { DocsAssets } from './http/docs.js';
import type { MergeRenderer } from './templates/index.js';
import type { SendQueue } from './delivery/index.js';
import type { HitQueue } from './tracking/index.js';
import { describeError, type Logger } from './http/log.js';

/** Work that outlives the request (sending). Node runs it in-process; the Worker hands it to waitUntil. */
export interface Background {
  run(name: string, task: () => Promise<void>): void;
  /** Resolves once every task started so far has settled. */
  idle(): Promise<void>;
}

/** Everything the app needs from the outside world, built per process (Node) or per request (Worker). */
export interface Deps {
  db: Database;
  config: Config;
  clock: () => Date;
  /** Waits (the sender, for its send rate); tests advance their clock instead. */
  sleep(ms: number): Promise<void>;
  /** One transport per sendable channel; the sender finds a message's through the channel registry. */
  transports: Transports;
  renderer: MergeRenderer;
  /** Outbound HTTP to providers (SNS certificates and subscription confirmations); tests replace it. */
  fetch: Fetcher;
  background: Background;
  /** Where opens and clicks go to be written in batches: a buffer on Node, a Cloudflare Queue on Workers. */
  hits: HitQueue;
  /**
   * The Worker's send queue (Cloudflare Queues): campaigns are sent by its consumer, a descriptor at a time. Node has
   * none: its senders claim from the ledger themselves.
   */
  sendQueue?: SendQueue;
  /** Structured lines without personal data (http/log.ts); its sink is the console on both runtimes. */
  log: Logger;
  /** The API reference's files (swagger-ui-dist): node_modules on Node, modules bundled into the Worker. */
  docsAssets: DocsAssets;
  /** Extra health facts from the runtime entry, e.g. which database is in use. */
  runtime: { name: 'node' | 'worker'; database: 'postgres' | 'pglite' };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failed task is logged by its name (`campaign 12`), with the error described as http/log.ts allows. */
export function createBackground(log: Logger): Background {
  const running = new Set<Promise<void>>();
  return {
    run(name, task) {
      const p: Promise<void> = task()
        .catch((err) => log.error('background task failed', { task: name, ...describeError(err) }))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
