// Provider callbacks processed once: each one's id is recorded with its effects.
import type { Executor as Db } from '../db/transaction.js';

/** Records a provider callback; false when it was already processed (a redelivery). */
export async function markProviderEvent(db: Db, provider: string, eventId: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('provider_events')
    .values({ provider, event_id: eventId, received_at: at })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}
