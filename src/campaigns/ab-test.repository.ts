// What an A/B test reads and writes besides the ledger's own statements: the split at launch (an SQL expression the
// snapshot inserts with), the decision time and the winner on the campaign, the tests that are due, and each
// variant's results (its messages sent, with their engagement rollups).
import { sql, type RawBuilder } from 'kysely';
import type { Executor as Db, Trx } from '../db/transaction.js';
import type { VariantResult } from './ab-test.js';

/**
 * The split, over a recipient row `r` of the snapshot (`r.id` the contact, `r.reason` why held back): null for a
 * recipient held back, 1…n the variant of one in the test group, 0 for the rest (held until the winner).
 *
 * The eligible recipients are put in a random order that is the same at every run: by md5('<campaign id>:<contact
 * id>') (byte order). The first max(⌊eligible × share / 100⌋, min(n, eligible)) of them are the test group: at least
 * one per variant when there are enough. Its k-th member (from 1) gets variant ((k − 1) mod n) + 1, so the variants'
 * sizes differ by at most one, the lower variants getting one more.
 */
export function abSplitSql(campaignId: number, variants: number, sharePercent: number): RawBuilder<number | null> {
  const position = sql`row_number() over (order by r.reason is not null, md5(${String(campaignId)}::text || ':' || r.id::text) collate "C", r.id)`;
  const eligible = sql`count(*) filter (where r.reason is null) over ()`;
  const testSize = sql`greatest(${eligible} * ${sharePercent}::int / 100, least(${variants}::int, ${eligible}))`;
  return sql<number | null>`(case when r.reason is null then case when ${position} <= ${testSize} then ((${position} - 1) % ${variants}::int + 1)::int else 0 end end)`;
}

/** At launch: when the winner will be chosen. The campaign's row must be locked. */
export async function setAbDecideAt(trx: Trx, campaignId: number, decideAt: Date) {
  await trx.updateTable('campaigns').set({ ab_decide_at: decideAt }).where('id', '=', campaignId).execute();
}

/** Records the winner, once: false when one was already chosen. */
export async function setWinner(trx: Trx, campaignId: number, winner: number, by: 'auto' | 'manual', at: Date) {
  const r = await trx
    .updateTable('campaigns')
    .set({ winner, winner_chosen_at: at, winner_chosen_by: by, updated_at: at })
    .where('id', '=', campaignId)
    .where('winner', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Launched tests past their decision time with no winner yet, in one statement (campaigns_ab_due_idx). */
export async function listDueAbTests(db: Db, at: Date, statuses: readonly string[]) {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('winner', 'is', null)
    .where('ab_decide_at', '<=', at)
    .where('status', 'in', [...statuses])
    .orderBy('ab_decide_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * The test group's results per variant, and the rest's (whatever variant it got): messages sent, and of them those a
 * person opened, a person clicked (message_engagement's first human open and click: machine ones never count), and
 * those with an attributed conversion; and the rest still waiting for the winner.
 */
export async function variantResults(db: Db, campaignId: number) {
  const r = await sql<{ variant: number | null; rest: boolean; sent: string; opened: string; clicked: string; converted: string; revenue: string; waiting: string }>`
    select m.variant, coalesce(m.ab_rest, false) as rest,
      count(*) filter (where m.status = 'sent') as sent,
      count(e.first_open_human_at) filter (where m.status = 'sent') as opened,
      count(e.first_click_human_at) filter (where m.status = 'sent') as clicked,
      count(e.converted_at) filter (where m.status = 'sent') as converted,
      coalesce(sum(e.revenue) filter (where m.status = 'sent'), 0) as revenue,
      count(*) filter (where m.status = 'pending' and m.deferred_by = 'ab_winner') as waiting
    from messages m left join message_engagement e on e.message_id = m.id
    where m.campaign_id = ${campaignId} and (m.variant is not null or m.ab_rest)
    group by 1, 2`.execute(db);
  const rows = r.rows.map((row) => ({
    variant: row.variant === null ? null : Number(row.variant), rest: row.rest, sent: Number(row.sent), opened: Number(row.opened),
    clicked: Number(row.clicked), converted: Number(row.converted), revenue: Number(row.revenue), waiting: Number(row.waiting),
  }));
  const variants: VariantResult[] = rows.filter((row) => !row.rest && row.variant !== null).map(({ rest: _r, waiting: _w, ...v }) => ({ ...v, variant: v.variant! }));
  const rest = rows.filter((row) => row.rest).reduce(
    (sum, row) => ({
      sent: sum.sent + row.sent, opened: sum.opened + row.opened, clicked: sum.clicked + row.clicked, converted: sum.converted + row.converted,
      revenue: sum.revenue + row.revenue, waiting: sum.waiting + row.waiting,
    }),
    { sent: 0, opened: 0, clicked: 0, converted: 0, revenue: 0, waiting: 0 },
  );
  return { variants, rest };
}

/** Whether some of the test group's messages are still to be sent (held by quiet hours or a cap, retrying, in flight). */
export async function testGroupUnfinished(db: Db, campaignId: number) {
  const r = await sql<{ n: number }>`
    select 1 as n from messages where campaign_id = ${campaignId} and variant is not null and not coalesce(ab_rest, false)
      and status in ('pending', 'sending') limit 1`.execute(db);
  return r.rows.length > 0;
}
