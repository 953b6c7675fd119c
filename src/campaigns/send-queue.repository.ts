// A campaign's `enqueued_until`: until then, its descriptors are taken to be on the Worker's send queue or being sent
// (queue-sender.ts says why and how long).
import type { Executor as Db } from '../db/transaction.js';

/** The campaigns sending, with when their descriptors are taken to be done. */
export async function listSendingCampaignsEnqueued(db: Db) {
  const rows = await db.selectFrom('campaigns').select(['id', 'enqueued_until']).where('status', '=', 'sending').orderBy('id').execute();
  return rows.map((r) => ({ id: Number(r.id), enqueuedUntil: r.enqueued_until ? new Date(r.enqueued_until) : null }));
}

/**
 * Sets `enqueued_until` on a campaign sending: always, or with `ifPassedAt`, only if the one it has is over by then (or
 * unset), so that of two overlapping cron runs one enqueues. Returns whether it was set.
 */
export async function holdEnqueued(db: Db, id: number, until: Date, ifPassedAt?: Date): Promise<boolean> {
  const r = await db
    .updateTable('campaigns')
    .set({ enqueued_until: until })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .$if(!!ifPassedAt, (q) => q.where((eb) => eb.or([eb('enqueued_until', 'is', null), eb('enqueued_until', '<=', ifPassedAt!)])))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Ends the hold of a campaign sending: the one set at `until` if given (descriptors that never reached the queue), else
 * any. A campaign done keeps its last, a record of when the queue last had it.
 */
export async function releaseEnqueued(db: Db, id: number, until?: Date) {
  await db
    .updateTable('campaigns')
    .set({ enqueued_until: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('enqueued_until', 'is not', null)
    .$if(!!until, (q) => q.where('enqueued_until', '=', until!))
    .execute();
}

/**
 * A consumer at work on the campaign: its hold is moved to `until`, written only when less than `slack` is left of it
 * (about a write per `slack`, whatever the number of consumers). A campaign with no hold (its enqueue failed) is left
 * for the next cron run.
 */
export async function extendEnqueued(db: Db, id: number, at: Date, until: Date, slackMs: number) {
  await db
    .updateTable('campaigns')
    .set({ enqueued_until: until })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('enqueued_until', '<', new Date(at.getTime() + slackMs))
    .execute();
}

/** The hold is brought down to `until` if it ran later: the cron may enqueue again once it has passed. */
export async function shortenEnqueued(db: Db, id: number, until: Date) {
  await db
    .updateTable('campaigns')
    .set({ enqueued_until: until })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('enqueued_until', '>', until)
    .execute();
}
