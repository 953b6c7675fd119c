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

/** Adds existing contacts; unknown ids are returned so the caller can report them. */
export async function addMembers(db: Database, listId: number, contactIds: number[], at: Date) {
  if (!contactIds.length) return { added: 0, unknown: [] as number[] };
  const found = await db.selectFrom('contacts').select('id').where('id', 'in', contactIds).execute();
  const known = new Set(found.map((r) => Number(r.id)));
  const toAdd = [...known];
  const inserted = toAdd.length
    ? await db
        .insertInto('list_members')
        .values(toAdd.map((contact_id) => ({ list_id: listId, contact_id, added_at: at })))
        .onConflict((oc) => oc.doNothing())
        .returning('contact_id')
        .execute()
    : [];
  return { added: inserted.length, unknown: contactIds.filter((id) => !known.has(id)) };
}
