import { sql } from 'kysely';
import type { ContactRecord } from '../contacts/index.js';
import type { Executor } from '../db/transaction.js';
import { recipientsSql, type SendTarget } from './hold-backs.js';

export type RecipientRow = ContactRecord & { reason: string | null };

/**
 * These contacts as the sender sees them at hand-over: merge fields, and why each would be held back now (the
 * same definition as the launch snapshot). A contact erased meanwhile is missing.
 */
export async function recipientsAtHandOver(db: Executor, target: SendTarget, contactIds: number[], at: Date): Promise<Map<number, RecipientRow>> {
  if (!contactIds.length) return new Map();
  const columns = sql`c.id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale, c.timezone, c.address, c.attributes`;
  const r = await sql<RecipientRow>`${recipientsSql(target, sql`c.id = any(${contactIds}::bigint[])`, at, columns)}`.execute(db);
  return new Map(r.rows.map((row) => [Number(row.id), { ...row, id: Number(row.id) }]));
}
