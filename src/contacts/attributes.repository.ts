import { sql } from 'kysely';
import type { Executor as Db, Trx } from '../db/transaction.js';
import type { AttributeDefinition, AttributeType } from './attribute-values.js';
import { attributeIndexExpression } from './attribute-index.js';

export async function listAttributeDefinitions(db: Db): Promise<AttributeDefinition[]> {
  const rows = await db.selectFrom('attributes').select(['name', 'type', 'enum_values', 'aliases']).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, type: r.type as AttributeType, values: (r.enum_values as string[] | null) ?? null, aliases: r.aliases }));
}

/** The declaration, locked until the transaction ends: two redeclarations of one attribute run one after the other. */
export async function lockAttributeDefinition(trx: Trx, name: string): Promise<AttributeDefinition | undefined> {
  const r = await trx.selectFrom('attributes').select(['name', 'type', 'enum_values', 'aliases']).where('name', '=', name).forUpdate().executeTakeFirst();
  return r && { name: r.name, type: r.type as AttributeType, values: (r.enum_values as string[] | null) ?? null, aliases: r.aliases };
}

export async function upsertAttributeDefinition(db: Db, def: AttributeDefinition, at: Date) {
  const values = def.values ? JSON.stringify(def.values) : null;
  const aliases = def.aliases ?? [];
  await db
    .insertInto('attributes')
    .values({ name: def.name, type: def.type, enum_values: values, aliases, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ type: def.type, enum_values: values, aliases, updated_at: at }))
    .execute();
  await indexAttribute(db, def);
}

/**
 * Numbers and dates get an expression index, so segment ranges, "top 20% by" and birthdays read an index instead
 * of every contact's JSON. The name is interpolated (DDL takes no parameters): callers allow only [a-z0-9_].
 */
async function indexAttribute(db: Db, def: AttributeDefinition) {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(def.name)) throw new Error(`unsafe attribute name ${def.name}`);
  const name = `contacts_attr_${def.name}_idx`.slice(0, 63);
  await sql.raw(`drop index if exists ${name}`).execute(db);
  const expression = attributeIndexExpression(def.name, def.type);
  if (expression) await sql`create index ${sql.id(name)} on contacts ((${expression}))`.execute(db);
}

/** A page of the contacts holding a value for the attribute, in id order after `afterId`. */
export async function storedAttributeValues(db: Db, name: string, afterId: number, limit: number) {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', sql<unknown>`attributes -> ${name}`.as('value')])
    .where(sql<boolean>`attributes ? ${name}`)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), value: r.value }));
}

/** Rewrites one attribute's value on many contacts in one statement. */
export async function rewriteAttributeValues(db: Db, name: string, rows: Array<{ id: number; value: unknown }>) {
  if (!rows.length) return;
  await sql`
    update contacts set attributes = jsonb_set(contacts.attributes, array[${name}::text], x.v)
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => JSON.stringify(r.value))}::jsonb[]) as x(id, v)
    where contacts.id = x.id
  `.execute(db);
}
