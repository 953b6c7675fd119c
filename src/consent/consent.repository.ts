import { sql } from 'kysely';
import type { ChannelName } from '../channels/index.js';
import type { Executor as Db, Trx } from '../db/transaction.js';
import { subscribedNowSql } from './subscribed-now.js';
import type { TopicNames } from './topic-names.js';

export type SubscriptionStatus = 'subscribed' | 'unsubscribed' | 'pending' | 'paused';

const TOPIC_COLUMNS = ['id', 'key', 'name', 'names', 'double_opt_in', 'created_at'] as const;

export async function listTopics(db: Db) {
  return db.selectFrom('topics').select(TOPIC_COLUMNS).orderBy('id').execute();
}

export async function insertTopic(db: Db, topic: { key: string; name: string; names?: TopicNames; double_opt_in?: boolean }) {
  return db
    .insertInto('topics')
    .values({ ...topic, names: JSON.stringify(topic.names ?? {}) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning(TOPIC_COLUMNS)
    .executeTakeFirst();
}

/** Renames a topic: a new default name, translations set, translations removed. Undefined when the key is unknown. */
export async function updateTopicNames(db: Db, key: string, change: { name?: string; set: TopicNames; remove: string[] }) {
  return db
    .updateTable('topics')
    .set((eb) => ({
      ...(change.name !== undefined ? { name: change.name } : {}),
      names: sql<string>`(${eb.ref('names')} || ${JSON.stringify(change.set)}::jsonb) - ${change.remove}::text[]`,
    }))
    .where('key', '=', key)
    .returning(TOPIC_COLUMNS)
    .executeTakeFirst();
}

export async function findTopicByKey(db: Db, key: string) {
  return db.selectFrom('topics').select(['id', 'key', 'name']).where('key', '=', key).executeTakeFirst();
}

export interface ConsentChange {
  contactId: number;
  channel: ChannelName;
  topicId: number;
  status: SubscriptionStatus;
  source: string;
  ip?: string | null;
  userAgent?: string | null;
  wordingVersion?: string | null;
}

/**
 * Sets subscriptions and appends one consent record per change that actually changes the status.
 * The record is the proof of consent: it is only ever appended.
 */
export async function applyConsentChanges(trx: Trx, changes: ConsentChange[], at: Date) {
  if (!changes.length) return 0;
  // unnest() keeps a 500-contact import at a handful of parameters instead of thousands.
  const changed = await sql<{ contact_id: number; channel: string; topic_id: number }>`
    insert into subscriptions (contact_id, channel, topic_id, status, updated_at)
    select c, ch, t, st, ${at}::timestamptz
    from unnest(${changes.map((c) => c.contactId)}::bigint[], ${changes.map((c) => c.channel)}::text[],
                ${changes.map((c) => c.topicId)}::bigint[], ${changes.map((c) => c.status)}::text[]) as x(c, ch, t, st)
    on conflict (contact_id, channel, topic_id) do update
      set status = excluded.status, updated_at = excluded.updated_at
      where subscriptions.status is distinct from excluded.status
    returning contact_id, channel, topic_id
  `.execute(trx);
  const key = (c: { contact_id: number; channel: string; topic_id: number }) => `${Number(c.contact_id)}:${c.channel}:${Number(c.topic_id)}`;
  const changedKeys = new Set(changed.rows.map(key));
  const records = changes.filter((c) => changedKeys.has(key({ contact_id: c.contactId, channel: c.channel, topic_id: c.topicId })));
  if (records.length) {
    const col = <T>(f: (c: ConsentChange) => T) => records.map(f);
    await sql`
      insert into consent_records (contact_id, channel, topic_id, status, source, ip, user_agent, wording_version, occurred_at)
      select c, ch, t, st, src, ip, ua, wv, ${at}::timestamptz
      from unnest(${col((c) => c.contactId)}::bigint[], ${col((c) => c.channel)}::text[], ${col((c) => c.topicId)}::bigint[],
                  ${col((c) => c.status)}::text[], ${col((c) => c.source)}::text[], ${col((c) => c.ip ?? null)}::text[],
                  ${col((c) => c.userAgent ?? null)}::text[], ${col((c) => c.wordingVersion ?? null)}::text[])
        as x(c, ch, t, st, src, ip, ua, wv)
    `.execute(trx);
  }
  return records.length;
}

/** The topics a contact still gets on a channel (not unsubscribed), locked for the change that follows. */
export async function subscriptionsOnChannel(trx: Db, contactId: number, channel: string): Promise<number[]> {
  const rows = await trx.selectFrom('subscriptions').select('topic_id').where('contact_id', '=', contactId).where('channel', '=', channel)
    .where('status', '<>', 'unsubscribed').orderBy('topic_id').forUpdate().execute();
  return rows.map((r) => Number(r.topic_id));
}

export async function listSubscriptions(db: Db, contactId: number) {
  return db
    .selectFrom('subscriptions')
    .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
    .select(['subscriptions.channel', 'topics.key as topic', 'subscriptions.status', 'subscriptions.updated_at'])
    .where('subscriptions.contact_id', '=', contactId)
    .orderBy('topics.key')
    .orderBy('subscriptions.channel')
    .execute();
}

/** Every topic, with this contact's status on each channel (null when never asked) and whether it allows marketing now. */
export async function topicsWithStatus(db: Db, contactId: number, now: Date) {
  const r = await sql<{ topic_id: number; key: string; name: string; names: unknown; channel: string | null; status: string | null; paused_until: Date | null; subscribed_now: boolean | null }>`
    select t.id as topic_id, t.key, t.name, t.names, s.channel, s.status, s.paused_until, ${subscribedNowSql(now)} as subscribed_now
    from topics t left join subscriptions s on s.topic_id = t.id and s.contact_id = ${contactId}
    order by t.id, s.channel`.execute(db);
  return r.rows;
}

export async function findTopic(db: Db, id: number) {
  return db.selectFrom('topics').select(['id', 'key', 'name', 'names']).where('id', '=', id).executeTakeFirst();
}

export async function setPausedUntil(db: Db, contactId: number, until: Date) {
  await db.updateTable('subscriptions').set({ paused_until: until }).where('contact_id', '=', contactId).where('status', '=', 'paused').execute();
}

/** The email subscriptions of the contacts holding these addresses that are not already unsubscribed. */
export async function emailSubscriptionsOfAddresses(db: Db, addresses: string[]) {
  if (!addresses.length) return [];
  const rows = await db
    .selectFrom('subscriptions')
    .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
    .select(['subscriptions.contact_id', 'subscriptions.topic_id'])
    .where('contacts.email', 'in', addresses)
    .where('subscriptions.channel', '=', 'email')
    .where('subscriptions.status', '!=', 'unsubscribed')
    .execute();
  return rows.map((r) => ({ contactId: Number(r.contact_id), topicId: Number(r.topic_id) }));
}
