import { sql } from 'kysely';
import { subscribedNowSql } from '../consent/index.js';
import type { Executor as Db, Trx } from '../db/transaction.js';

/**
 * Takes the row locks for (contact, channel) of these contacts in one statement (an upsert locks the rows it touches),
 * in contact order: two batches that share contacts never deadlock. Every sender counting against these contacts' caps
 * waits here.
 */
export async function lockPressureCounters(trx: Trx, contactIds: number[], channel: string) {
  if (!contactIds.length) return;
  await sql`insert into pressure_counters (contact_id, channel)
    select id, ${channel} from unnest(${[...contactIds].sort((a, b) => a - b)}::bigint[]) with ordinality as u(id, n) order by n
    on conflict (contact_id, channel) do update set channel = excluded.channel`.execute(trx);
}

/**
 * Records a batch of messages, one per contact, in the ledger, each only if, for every one of its windows, fewer than
 * `allow` messages are already counted since `since`. Runs after lockPressureCounters, so its snapshot includes every
 * send committed before. Returns each message's outcome: 'counted', 'already' (a retry of a counted message), 'capped'
 * or 'unsubscribed'.
 */
export async function countAllIfAllowed(
  trx: Trx,
  channel: string,
  items: Array<{ messageId: number; contactId: number; topicId: number; windows: Array<{ since: Date; allow: number }> }>,
  at: Date,
): Promise<Map<number, 'counted' | 'already' | 'capped' | 'unsubscribed'>> {
  if (!items.length) return new Map();
  const rows = JSON.stringify(items.map((i) => ({
    message_id: i.messageId, contact_id: i.contactId, topic_id: i.topicId, since: i.windows.map((w) => w.since.toISOString()), allow: i.windows.map((w) => w.allow),
  })));
  const r = await sql<{ message_id: string; outcome: string }>`
    with v as (
      select * from jsonb_to_recordset(${rows}::jsonb) as v(message_id bigint, contact_id bigint, topic_id bigint, since timestamptz[], allow int[])
    ),
    judged as (
      select v.message_id, v.contact_id,
        exists (select 1 from pressure_ledger l where l.message_id = v.message_id) as already,
        -- Consent is read here, right before the hand-over, so an opt-out committed during sending always wins.
        exists (select 1 from subscriptions s where s.contact_id = v.contact_id and s.channel = ${channel}
          and s.topic_id = v.topic_id and ${subscribedNowSql(at)}) as consented,
        coalesce((select bool_and(w.allow > (select count(*) from pressure_ledger l
          where l.contact_id = v.contact_id and l.channel = ${channel} and l.counted_at >= w.since))
          from unnest(v.since, v.allow) as w(since, allow)), true) as allowed
      from v
    ),
    ins as (
      insert into pressure_ledger (message_id, contact_id, channel, counted_at)
      select message_id, contact_id, ${channel}, ${at}::timestamptz from judged where not already and consented and allowed
      returning message_id
    )
    select j.message_id, case when not j.consented then 'unsubscribed' when j.already then 'already'
      when exists (select 1 from ins where ins.message_id = j.message_id) then 'counted' else 'capped' end as outcome
    from judged j`.execute(trx);
  return new Map(r.rows.map((row) => [Number(row.message_id), row.outcome as 'counted' | 'already' | 'capped' | 'unsubscribed']));
}

/** Messages never delivered give their cap slots back. */
export async function uncountMessages(db: Db, messageIds: number[]) {
  if (!messageIds.length) return;
  await sql`delete from pressure_ledger where message_id = any(${messageIds}::bigint[])`.execute(db);
}

export async function countedSince(trx: Db, contactId: number, channel: string, since: Date) {
  const rows = await trx
    .selectFrom('pressure_ledger')
    .select('counted_at')
    .where('contact_id', '=', contactId)
    .where('channel', '=', channel)
    .where('counted_at', '>=', since)
    .execute();
  return rows.map((r) => new Date(r.counted_at));
}

/** A message that was never delivered gives its slot back. */
export async function getContactPreferences(db: Db, contactIds: number[], channel: string) {
  if (!contactIds.length) return [];
  return db
    .selectFrom('contact_preferences')
    .select(['contact_id', 'max_messages', 'period', 'days'])
    .where('contact_id', 'in', contactIds)
    .where('channel', '=', channel)
    .execute();
}

export async function putContactPreference(db: Db, p: { contactId: number; channel: string; max: number; period: string; days?: number | null }) {
  await db
    .insertInto('contact_preferences')
    .values({ contact_id: p.contactId, channel: p.channel, max_messages: p.max, period: p.period, days: p.days ?? null })
    .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ max_messages: p.max, period: p.period, days: p.days ?? null }))
    .execute();
}


export async function contactPreferences(db: Db, contactId: number) {
  return db.selectFrom('contact_preferences').select(['channel', 'max_messages', 'period', 'days']).where('contact_id', '=', contactId).execute();
}

export async function deleteContactPreference(db: Db, contactId: number, channel: string) {
  await db.deleteFrom('contact_preferences').where('contact_id', '=', contactId).where('channel', '=', channel).execute();
}
