import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Fetcher, Transports } from './channels/index.js';
import type { MergeRenderer } from './templates/index.js';

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
  /** One transport per sendable channel; the sender finds a message's through the channel registry. */
  transports: Transports;
  renderer: MergeRenderer;
  /** Outbound HTTP to providers (SNS certificates and subscription confirmations); tests replace it. */
  fetch: Fetcher;
  background: Background;
  /** Extra health facts from the runtime entry, e.g. which database is in use. */
  runtime: { name: 'node' | 'worker'; database: 'postgres' | 'pglite' };
}

export function createBackground(onError: (name: string, err: unknown) => void): Background {
  const running = new Set<Promise<void>>();
  return {
    run(name, task) {
      const p: Promise<void> = task()
        .catch((err) => onError(name, err))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
