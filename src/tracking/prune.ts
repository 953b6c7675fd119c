// Raw hits carry a user agent and an IP prefix: they are kept TRACKING_HITS_RETENTION_DAYS (data minimisation), then
// deleted; the rollups keep every count. Bounded per run: the daily job deletes at most MAX_BATCHES × BATCH rows and
// takes the rest the next day.
import type { Executor as Db } from '../db/transaction.js';
import { deleteHitsBefore } from './tracking.repository.js';

const BATCH = 10_000;
const MAX_BATCHES = 100;
const DAY = 86_400_000;

export function hitsCutoff(now: Date, retentionDays: number): Date | undefined {
  return retentionDays > 0 ? new Date(now.getTime() - retentionDays * DAY) : undefined;
}

export async function pruneOldHits(db: Db, now: Date, retentionDays: number): Promise<{ deleted: number }> {
  const cutoff = hitsCutoff(now, retentionDays);
  let deleted = 0;
  if (!cutoff) return { deleted };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await deleteHitsBefore(db, cutoff, BATCH);
    deleted += n;
    if (n < BATCH) break;
  }
  return { deleted };
}
