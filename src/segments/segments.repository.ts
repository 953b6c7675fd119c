import { sql } from 'kysely';
import { CHANNEL_NAMES, CHANNELS } from '../channels/index.js';
import { subscribedNowSql } from '../consent/index.js';
import type { Executor as Db } from '../db/transaction.js';
import { holdBackParts } from '../delivery/index.js';
import type { Sql } from './fields.js';

export const segmentColumns = ['id', 'name', 'rule', 'created_at', 'updated_at'] as const;

export async function insertSegment(db: Db, s: { name: string; rule: unknown }, at: Date) {
  return db
    .insertInto('segments')
    .values({ name: s.name, rule: JSON.stringify(s.rule), created_at: at, updated_at: at })
    .returning(segmentColumns)
    .executeTakeFirstOrThrow();
}

export async function updateSegment(db: Db, id: number, s: { name?: string; rule?: unknown }, at: Date) {
  return db
    .updateTable('segments')
    .set({ ...(s.name !== undefined ? { name: s.name } : {}), ...(s.rule !== undefined ? { rule: JSON.stringify(s.rule) } : {}), updated_at: at })
    .where('id', '=', id)
    .returning(segmentColumns)
    .executeTakeFirst();
}

export async function findSegment(db: Db, id: number) {
  return db.selectFrom('segments').select(segmentColumns).where('id', '=', id).executeTakeFirst();
}

export async function findSegmentRules(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('segments').select(['id', 'rule']).where('id', 'in', ids).execute();
}

export async function listSegments(db: Db, page: { after?: number; limit: number }) {
  let q = db.selectFrom('segments').select(segmentColumns).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

export async function deleteSegment(db: Db, id: number) {
  const r = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listAllSegmentRules(db: Db) {
  return db.selectFrom('segments').select(['id', 'rule']).orderBy('id').execute();
}

export async function countMatching(db: Db, predicate: Sql) {
  const r = await sql<{ n: number }>`select count(*) as n from contacts c where ${predicate}`.execute(db);
  return Number(r.rows[0].n);
}

export async function sampleMatching(db: Db, predicate: Sql, limit: number) {
  const r = await sql<Record<string, unknown>>`
    select c.id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale
    from contacts c where ${predicate} order by c.id limit ${limit}`.execute(db);
  return r.rows;
}

/**
 * Per channel: how many have an address, and of those how many are suppressed (the same hold-back reasons a
 * transactional send would give); per channel and topic, how many are subscribed now.
 */
export async function reachability(db: Db, predicate: Sql, at: Date) {
  const parts = CHANNEL_NAMES.map((channel) => ({ channel, ...holdBackParts({ channel, topicId: null, kind: 'transactional' }, at) }));
  const counts = parts.flatMap(({ channel, reason }) => [
    sql`count(*) filter (where ${reason} is distinct from 'no_address') as ${sql.ref(`${channel}_with_address`)}`,
    ...(CHANNELS[channel].suppressible ? [sql`count(*) filter (where ${reason} = 'suppressed') as ${sql.ref(`${channel}_suppressed`)}`] : []),
  ]);
  const totals = await sql<Record<string, number>>`
    select ${sql.join(counts)} from contacts c ${sql.join(parts.map((p) => p.joins), sql` `)} where ${predicate}`.execute(db);
  const subscribed = await sql<{ channel: string; topic: string; n: number }>`
    select s.channel, t.key as topic, count(*) as n
    from subscriptions s join topics t on t.id = s.topic_id
    where ${subscribedNowSql(at)} and s.contact_id in (select c.id from contacts c where ${predicate})
    group by s.channel, t.key order by s.channel, t.key`.execute(db);
  return { totals: totals.rows[0], subscribed: subscribed.rows };
}

/** Freezes the current members into a list in one statement. */
export async function copyIntoList(db: Db, listId: number, predicate: Sql, at: Date) {
  const r = await sql`insert into list_members (list_id, contact_id, added_at)
    select ${listId}, c.id, ${at}::timestamptz from contacts c where ${predicate}
    on conflict do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
