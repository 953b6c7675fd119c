import { sql } from 'kysely';
import type { Executor as Database } from '../db/transaction.js';

export async function listExistingListIds(db: Database, ids: number[]) {
  if (!ids.length) return [];
  const rows = await db.selectFrom('lists').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => Number(r.id));
}

export async function insertList(db: Database, name: string, at: Date) {
  return db.insertInto('lists').values({ name, created_at: at }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
}

export async function findList(db: Database, id: number) {
  return db
    .selectFrom('lists')
    .select((eb) => [
      'id', 'name', 'created_at',
      eb.selectFrom('list_members').select(eb.fn.countAll<number>().as('n')).whereRef('list_members.list_id', '=', 'lists.id').as('members'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listLists(db: Database, page: { after?: number; limit: number }) {
  let q = db
    .selectFrom('lists')
    .select((eb) => [
      'id', 'name', 'created_at',
      eb.selectFrom('list_members').select(eb.fn.countAll<number>().as('n')).whereRef('list_members.list_id', '=', 'lists.id').as('members'),
    ])
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

/** Adds existing contacts; unknown ids are returned so the caller can report them. Ids go as one array parameter each. */
export async function addMembers(db: Database, listId: number, contactIds: number[], at: Date) {
  if (!contactIds.length) return { added: 0, unknown: [] as number[] };
  const ids = [...new Set(contactIds)];
  const found = await sql<{ id: string }>`select id from contacts where id = any(${ids}::bigint[])`.execute(db);
  const known = new Set(found.rows.map((r) => Number(r.id)));
  const inserted = known.size
    ? await sql<{ contact_id: string }>`
        insert into list_members (list_id, contact_id, added_at)
        select ${listId}, id, ${at}::timestamptz from unnest(${[...known]}::bigint[]) as id
        on conflict do nothing returning contact_id`.execute(db)
    : { rows: [] };
  return { added: inserted.rows.length, unknown: contactIds.filter((id) => !known.has(id)) };
}
