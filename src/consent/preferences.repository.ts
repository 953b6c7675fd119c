import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';

type Db = Database | Transaction<DB>;

/** Every topic, with this contact's status on each channel (null when never asked). */
export async function topicsWithStatus(db: Db, contactId: number) {
  const r = await sql<{ topic_id: number; key: string; name: string; channel: string | null; status: string | null; paused_until: Date | null }>`
    select t.id as topic_id, t.key, t.name, s.channel, s.status, s.paused_until
    from topics t left join subscriptions s on s.topic_id = t.id and s.contact_id = ${contactId}
    order by t.id, s.channel`.execute(db);
  return r.rows;
}

export async function contactPreferences(db: Db, contactId: number) {
  return db.selectFrom('contact_preferences').select(['channel', 'max_messages', 'period', 'days']).where('contact_id', '=', contactId).execute();
}

export async function deleteContactPreference(db: Db, contactId: number, channel: string) {
  await db.deleteFrom('contact_preferences').where('contact_id', '=', contactId).where('channel', '=', channel).execute();
}

export async function updateNameAndLocale(db: Db, contactId: number, c: { first_name: string | null; last_name: string | null; locale: string }, at: Date) {
  await db.updateTable('contacts').set({ ...c, updated_at: at }).where('id', '=', contactId).execute();
}

export async function setPausedUntil(db: Db, contactId: number, until: Date) {
  await db.updateTable('subscriptions').set({ paused_until: until }).where('contact_id', '=', contactId).where('status', '=', 'paused').execute();
}
