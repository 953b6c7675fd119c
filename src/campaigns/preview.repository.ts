import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/transaction.js';

/** How many recipients each hold-back reason covers (reason null: eligible), from a recipientsSql query. */
export async function countByReason(db: Executor, recipients: RawBuilder<unknown>) {
  const r = await sql<{ reason: string | null; n: number }>`select r.reason, count(*) as n from (${recipients}) r group by r.reason`.execute(db);
  return new Map(r.rows.map((row) => [row.reason, Number(row.n)]));
}
