// The Node side of ingestion: hits wait in memory and are written together, every FLUSH_MS or every BATCH hits, so a
// burst of opens costs one insert per batch and never a lock on the ledger. A failed write keeps its hits and tries
// again; SIGTERM flushes (entry/node.ts). A kill -9 loses at most what arrived in the last FLUSH_MS.
import type { Database } from '../db/database.js';
import type { Logger } from '../http/log.js';
import { describeError } from '../http/log.js';
import { ingestHits, type HitQueue, type RawHit } from './ingest.js';

export const FLUSH_MS = 25;
const BATCH = 1000;
/** Past this many unwritten hits (the database down for long), the oldest are dropped, and logged. */
const MAX_BUFFERED = 200_000;

export function createBufferedHitWriter(db: Database, log: Logger, options: { flushMs?: number } = {}): HitQueue {
  const flushMs = options.flushMs ?? FLUSH_MS;
  let buffer: RawHit[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failures = 0;

  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => void flush(), ms);
    // Pending hits do not keep the process alive: shutdown flushes them.
    (timer as { unref?: () => void }).unref?.();
  };

  const writeOnce = async () => {
    clearTimeout(timer);
    timer = undefined;
    while (buffer.length) {
      const batch = buffer.slice(0, BATCH);
      try {
        await ingestHits(db, batch);
        buffer = buffer.slice(batch.length);
        failures = 0;
      } catch (err) {
        failures++;
        log.error('tracking hits not written, will retry', { hits: batch.length, failures, ...describeError(err) });
        schedule(Math.min(flushMs * 2 ** failures, 30_000));
        return;
      }
    }
  };

  // One write at a time, in order: a flush waits for the write before it.
  const flush = () => (writing = writing.then(writeOnce));

  return {
    async enqueue(hit) {
      buffer.push(hit);
      if (buffer.length > MAX_BUFFERED) {
        const dropped = buffer.length - MAX_BUFFERED;
        buffer = buffer.slice(dropped);
        log.error('tracking hits dropped: the buffer is full', { dropped });
      }
      if (buffer.length >= BATCH) void flush();
      else schedule(flushMs);
    },
    flush,
    async close() {
      await flush();
      clearTimeout(timer);
      timer = undefined;
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
