import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Sql } from './fields.js';
import { isSuppressedSql } from '../consent/suppression.repository.js';

type Db = Database | Transaction<DB>;

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

/** Contacts `c` with an address on the channel that is not suppressed. */
export function reachableOn(channel: 'email' | 'sms'): Sql {
  const address = sql.ref(channel === 'email' ? 'c.email' : 'c.phone');
  return sql`(${address} is not null and not ${isSuppressedSql(channel, address)})`;
}

export async function reachability(db: Db, predicate: Sql) {
  const totals = await sql<{ email: number; sms: number; postal: number; email_suppressed: number; sms_suppressed: number }>`
    select count(*) filter (where c.email is not null) as email,
           count(*) filter (where c.phone is not null) as sms,
           count(*) filter (where ${isSuppressedSql('email', sql.ref('c.email'))}) as email_suppressed,
           count(*) filter (where ${isSuppressedSql('sms', sql.ref('c.phone'))}) as sms_suppressed,
           count(*) filter (where c.address ->> 'line1' is not null and c.address ->> 'city' is not null) as postal
    from contacts c where ${predicate}`.execute(db);
  const subscribed = await sql<{ channel: string; topic: string; n: number }>`
    select s.channel, t.key as topic, count(*) as n
    from subscriptions s join topics t on t.id = s.topic_id
    where s.status = 'subscribed' and s.contact_id in (select c.id from contacts c where ${predicate})
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

export async function getLifecycleSettings(db: Db) {
  const row = await db.selectFrom('workspace_settings').select('value').where('key', '=', 'lifecycle').executeTakeFirst();
  return row?.value as Record<string, number> | undefined;
}

export async function putLifecycleSettings(db: Db, value: Record<string, number>, at: Date) {
  await db
    .insertInto('workspace_settings')
    .values({ key: 'lifecycle', value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at }))
    .execute();
}
