import { sql } from 'kysely';
import type { Database } from '../db/database.js';

/** The ledger of one campaign, grouped by outcome, with how many of each group were opened, clicked, … */
export async function campaignOutcomes(db: Database, campaignId: number) {
  const r = await sql<{
    status: string; skip_reason: string | null; capped_by: string | null; deferred: boolean;
    n: number; opened: number; clicked: number; replied: number; converted: number;
  }>`
    select status, skip_reason, capped_by, (status = 'pending' and not_before is not null) as deferred, count(*) as n,
      count(opened_at) as opened, count(clicked_at) as clicked, count(replied_at) as replied, count(converted_at) as converted
    from messages where campaign_id = ${campaignId}
    group by status, skip_reason, capped_by, (status = 'pending' and not_before is not null)`.execute(db);
  return r.rows.map((row) => ({
    ...row, n: Number(row.n), opened: Number(row.opened), clicked: Number(row.clicked), replied: Number(row.replied), converted: Number(row.converted),
  }));
}
