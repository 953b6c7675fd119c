// The Node side of ingestion: hits wait in memory and are written together, every FLUSH_MS or every BATCH hits, so a
// burst of opens costs one insert per batch and never a lock on the ledger. A failed write keeps its hits and tries
// again; SIGTERM flushes (entry/node.ts). A kill -9 loses at most what arrived in the last FLUSH_MS.
import type { ClassifierSettings } from './classify.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../http/log.js';
import { describeError } from '../http/log.js';
import { ingestHits, type HitQueue, type RawHit } from './ingest.js';

export const FLUSH_MS = 25;
const BATCH = 1000;
/** Past this many unwritten hits (the database down for long), new hits are refused, and counted in the log. */
const MAX_BUFFERED = 200_000;
/** At shutdown, how long a failing database is given before what is left is given up (and logged). */
const CLOSE_DEADLINE_MS = 10_000;

export function createBufferedHitWriter(db: Database, log: Logger, options: { flushMs?: number; classifier?: ClassifierSettings } = {}): HitQueue {
  const flushMs = options.flushMs ?? FLUSH_MS;
  const buffer: RawHit[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<boolean> | undefined;
  let failures = 0;
  let refused = 0;

  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void write();
    }, ms);
    // Pending hits do not keep the process alive: shutdown flushes them.
    (timer as { unref?: () => void }).unref?.();
  };

  /** Writes until the buffer is empty (true) or a write fails (false: a retry is scheduled with a backoff). One at a time. */
  const writeAll = async (): Promise<boolean> => {
    while (buffer.length) {
      const batch = buffer.slice(0, BATCH);
      try {
        await ingestHits(db, batch, options.classifier);
      } catch (err) {
        failures++;
        log.error('tracking hits not written, will retry', { hits: buffer.length, failures, ...describeError(err) });
        clearTimeout(timer);
        timer = undefined;
        schedule(Math.min(flushMs * 2 ** failures, 30_000));
        return false;
      }
      // Only this loop removes hits, and only from the front: new ones are appended behind the batch.
      buffer.splice(0, batch.length);
      failures = 0;
    }
    return true;
  };

  /** Writes until the buffer is empty (true) or a write fails (false: a retry is scheduled with a backoff). One at a time. */
  const write = (): Promise<boolean> => {
    // Cleared only once settled (a microtask after it is set), so a write never sees a stale one.
    running ??= writeAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    async enqueue(hit) {
      if (buffer.length >= MAX_BUFFERED) {
        if (refused++ % 10_000 === 0) log.error('tracking hits refused: the buffer is full', { refused });
        return;
      }
      buffer.push(hit);
      // While a write is running or backing off, its loop will take these too.
      if (running || failures) return;
      schedule(buffer.length >= BATCH ? 0 : flushMs);
    },
    async flush() {
      if (running) await running;
      await write();
    },
    async close() {
      const deadline = Date.now() + CLOSE_DEADLINE_MS;
      if (running) await running;
      while (!(await write()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      clearTimeout(timer);
      timer = undefined;
      if (buffer.length) log.error('tracking hits lost at shutdown: the database would not take them', { hits: buffer.length });
    },
  };
}

/** A Cloudflare Queue's producer, as the Worker's binding offers it. */
export interface HitQueueBinding {
  send(body: RawHit): Promise<void>;
}

/** The Workers side: each hit goes on the queue inside the request; the queue consumer writes batches (ingestHits). */
export function createQueueHitWriter(queue: HitQueueBinding): HitQueue {
  return {
    enqueue: (hit) => queue.send(hit),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
