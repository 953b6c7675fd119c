// Where the send queue's descriptors come from: a campaign's due pending messages, cut by id.
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';
import type { IdRange } from './ledger.repository.js';

/**
 * The campaign's pending messages due at `at`, in stretches of at most `size` by message id, in one statement: the
 * k-th stretch holds the due ids numbered k·size … (k+1)·size − 1 in id order, so n due messages make ⌈n / size⌉
 * stretches (a million, 10,000 of 100). It walks messages_campaign_idx in id order (status and not_before are included
 * in it): no sort. A stretch names its first and last due id; messages in between that are not pending (sent,
 * deferred) are left alone by the claim.
 */
export async function dueRanges(db: Db, campaignId: number, at: Date, size: number): Promise<IdRange[]> {
  const r = await sql<{ from_id: string | number; to_id: string | number }>`
    select min(id) as from_id, max(id) as to_id
    from (
      select id, (row_number() over (order by id) - 1) / ${size}::int as stretch
      from messages
      where campaign_id = ${campaignId} and status = 'pending' and (not_before is null or not_before <= ${at}::timestamptz)
    ) due
    group by stretch
    order by stretch`.execute(db);
  return r.rows.map((row) => ({ fromId: Number(row.from_id), toId: Number(row.to_id) }));
}

/**
 * Whether a descriptor of the campaign has anything to do now or is at it: a pending message due at `at`, or one
 * claimed (`sending`).
 */
export async function hasDueOrClaimed(db: Db, campaignId: number, at: Date): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where((w) => w.or([
      w('status', '=', 'sending'),
      w.and([w('status', '=', 'pending'), w.or([w('not_before', 'is', null), w('not_before', '<=', at)])]),
    ]))
    .limit(1)
    .executeTakeFirst();
  return !!row;
}
