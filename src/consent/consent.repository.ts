import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';

type Db = Database | Transaction<DB>;

export const CHANNELS = ['email', 'sms', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];
export type SubscriptionStatus = 'subscribed' | 'unsubscribed' | 'pending' | 'paused';

export async function listTopics(db: Db) {
  return db.selectFrom('topics').select(['id', 'key', 'name', 'created_at']).orderBy('id').execute();
}

export async function insertTopic(db: Db, topic: { key: string; name: string }) {
  return db
    .insertInto('topics')
    .values(topic)
    .onConflict((oc) => oc.column('key').doNothing())
    .returning(['id', 'key', 'name', 'created_at'])
    .executeTakeFirst();
}

export async function findTopicByKey(db: Db, key: string) {
  return db.selectFrom('topics').select(['id', 'key', 'name']).where('key', '=', key).executeTakeFirst();
}

export interface ConsentChange {
  contactId: number;
  channel: Channel;
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
export async function applyConsentChanges(trx: Transaction<DB>, changes: ConsentChange[], at: Date) {
  if (!changes.length) return 0;
  const changed = await trx
    .insertInto('subscriptions')
    .values(changes.map((c) => ({ contact_id: c.contactId, channel: c.channel, topic_id: c.topicId, status: c.status, updated_at: at })))
    .onConflict((oc) =>
      oc
        .columns(['contact_id', 'channel', 'topic_id'])
        .doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_at: eb.ref('excluded.updated_at') }))
        .whereRef('subscriptions.status', 'is distinct from', 'excluded.status'),
    )
    .returning(['contact_id', 'channel', 'topic_id'])
    .execute();
  const key = (c: { contact_id: number; channel: string; topic_id: number }) => `${c.contact_id}:${c.channel}:${c.topic_id}`;
  const changedKeys = new Set(changed.map(key));
  const records = changes.filter((c) => changedKeys.has(key({ contact_id: c.contactId, channel: c.channel, topic_id: c.topicId })));
  if (records.length) {
    await trx
      .insertInto('consent_records')
      .values(
        records.map((c) => ({
          contact_id: c.contactId,
          channel: c.channel,
          topic_id: c.topicId,
          status: c.status,
          source: c.source,
          ip: c.ip ?? null,
          user_agent: c.userAgent ?? null,
          wording_version: c.wordingVersion ?? null,
          occurred_at: at,
        })),
      )
      .execute();
  }
  return records.length;
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
