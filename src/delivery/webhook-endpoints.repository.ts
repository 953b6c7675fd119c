import type { Executor as Db } from '../db/transaction.js';

export interface EndpointRow {
  id: number;
  name: string;
  url: string;
  secret: string;
  fields: string[];
  created_at: Date;
}

const COLUMNS = ['id', 'name', 'url', 'secret', 'fields', 'created_at'] as const;

export async function insertEndpoint(db: Db, e: { name: string; url: string; secret: string; fields: string[] }, at: Date): Promise<EndpointRow> {
  return (await db.insertInto('webhook_endpoints').values({ ...e, fields: JSON.stringify(e.fields), created_at: at }).returning(COLUMNS).executeTakeFirstOrThrow()) as EndpointRow;
}

export async function findEndpoint(db: Db, id: number): Promise<EndpointRow | undefined> {
  return (await db.selectFrom('webhook_endpoints').select(COLUMNS).where('id', '=', id).executeTakeFirst()) as EndpointRow | undefined;
}

export async function listEndpoints(db: Db, after: number, limit: number): Promise<EndpointRow[]> {
  return (await db.selectFrom('webhook_endpoints').select(COLUMNS).where('id', '>', after).orderBy('id').limit(limit).execute()) as EndpointRow[];
}

export async function updateEndpoint(db: Db, id: number, change: { name?: string; url?: string; secret?: string; fields?: string[] }): Promise<EndpointRow | undefined> {
  const set = { ...change, ...(change.fields ? { fields: JSON.stringify(change.fields) } : {}) };
  if (!Object.keys(set).length) return findEndpoint(db, id);
  return (await db.updateTable('webhook_endpoints').set(set).where('id', '=', id).returning(COLUMNS).executeTakeFirst()) as EndpointRow | undefined;
}

/** Deletes an endpoint no campaign names; false when one does (or it is not there). */
export async function deleteUnusedEndpoint(db: Db, id: number): Promise<'deleted' | 'in_use' | 'missing'> {
  const used = await db.selectFrom('campaigns').select('id').where('endpoint_id', '=', id).limit(1).executeTakeFirst();
  if (used) return 'in_use';
  const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) ? 'deleted' : 'missing';
}
