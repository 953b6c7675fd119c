import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/transaction.js';

/** How many recipients each hold-back reason (null: eligible) covers, by contact locale: a recipientsSql query selecting `c.locale`. */
export async function countByReasonAndLocale(db: Executor, recipients: RawBuilder<unknown>) {
  const r = await sql<{ reason: string | null; locale: string | null; n: number }>`
    select r.reason, r.locale, count(*) as n from (${recipients}) r group by r.reason, r.locale`.execute(db);
  return r.rows.map((row) => ({ reason: row.reason, locale: row.locale, n: Number(row.n) }));
}
