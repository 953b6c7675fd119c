import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { recipientsSql, type SendTarget } from './hold-backs.js';

export interface RecipientRow {
  id: number;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string;
  timezone: string;
  address: unknown;
  attributes: unknown;
  reason: string | null;
}

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
