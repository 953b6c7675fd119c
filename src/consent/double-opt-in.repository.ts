import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

/** Of these (contact, topic) pairs, the ones whose email subscription is already confirmed. */
export async function confirmedEmailSubscriptions(db: Db, pairs: Array<{ contactId: number; topicId: number }>) {
  if (!pairs.length) return new Set<string>();
  const r = await sql<{ contact_id: number; topic_id: number }>`
    select s.contact_id, s.topic_id from subscriptions s
    join unnest(${pairs.map((p) => p.contactId)}::bigint[], ${pairs.map((p) => p.topicId)}::bigint[]) as x(c, t)
      on s.contact_id = x.c and s.topic_id = x.t
    where s.channel = 'email' and s.status = 'subscribed'`.execute(db);
  return new Set(r.rows.map((row) => `${Number(row.contact_id)}:${Number(row.topic_id)}`));
}

export async function doubleOptInTopicIds(db: Db) {
  const rows = await db.selectFrom('topics').select('id').where('double_opt_in', '=', true).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** Pending email subscriptions on double opt-in topics that have not been sent a confirmation yet. */
export async function unconfirmedToAsk(db: Db, limit: number) {
  return db
    .selectFrom('subscriptions')
    .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
    .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
    .select(['contacts.id as contact_id', 'contacts.email', 'contacts.first_name', 'contacts.locale', 'topics.id as topic_id', 'topics.name as topic_name', 'topics.names as topic_names'])
    .where('subscriptions.channel', '=', 'email')
    .where('subscriptions.status', '=', 'pending')
    .where('subscriptions.confirmation_sent_at', 'is', null)
    .where('topics.double_opt_in', '=', true)
    .where('contacts.email', 'is not', null)
    .orderBy('contacts.id')
    .limit(limit)
    .execute();
}

/** Claims the right to send one confirmation: true for exactly one caller (the column says when it was queued). */
export async function claimConfirmation(db: Db, contactId: number, topicId: number, at: Date) {
  const r = await db
    .updateTable('subscriptions')
    .set({ confirmation_sent_at: at })
    .where('contact_id', '=', contactId)
    .where('topic_id', '=', topicId)
    .where('channel', '=', 'email')
    .where('confirmation_sent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function subscriptionStatus(db: Db, contactId: number, topicId: number) {
  const row = await db
    .selectFrom('subscriptions')
    .select('status')
    .where('contact_id', '=', contactId)
    .where('topic_id', '=', topicId)
    .where('channel', '=', 'email')
    .executeTakeFirst();
  return row?.status;
}
