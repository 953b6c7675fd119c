import { sql, type RawBuilder } from 'kysely';
import type { Executor as Db, Trx } from '../db/transaction.js';
import type { Audience } from './audience.js';

export const campaignColumns = [
  'id', 'name', 'channel', 'kind', 'priority', 'on_cap', 'deadline', 'track_opens', 'template_id', 'topic_id', 'audience', 'status', 'created_at',
  'updated_at', 'scheduled_at', 'launched_at', 'completed_at', 'cancelled_at', 'paused_at', 'paused_reason',
  'ab_test', 'ab_decide_at', 'winner', 'winner_chosen_at', 'winner_chosen_by', 'endpoint_id', 'reply_coupon',
] as const;

export async function insertCampaign(
  db: Db,
  c: {
    name: string; channel: string; template_id: number; topic_id: number; audience: Audience;
    kind: string; priority: string; on_cap: string; deadline: Date | null; track_opens: boolean; ab_test?: unknown; endpoint_id?: number | null; reply_coupon?: boolean;
  },
  at: Date,
) {
  return db
    .insertInto('campaigns')
    .values({ ...c, audience: JSON.stringify(c.audience), ab_test: c.ab_test == null ? null : JSON.stringify(c.ab_test), created_at: at, updated_at: at })
    .returning(campaignColumns)
    .executeTakeFirstOrThrow();
}

export async function findCampaign(db: Db, id: number) {
  return db.selectFrom('campaigns').select([...campaignColumns, 'content']).where('id', '=', id).executeTakeFirst();
}

export async function lockCampaign(trx: Trx, id: number) {
  return trx.selectFrom('campaigns').select([...campaignColumns, 'content']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listCampaigns(db: Db, page: { after?: number; limit: number }) {
  let q = db.selectFrom('campaigns').select(campaignColumns).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

/** Campaigns sending now; paused ones wait for a resume. */
export async function listSendingCampaignIds(db: Db) {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'sending').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

/** Scheduled campaigns whose time has come, in one statement (campaigns_scheduled_idx). */
export async function listDueCampaignIds(db: Db, at: Date) {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'scheduled').where('scheduled_at', '<=', at).orderBy('scheduled_at').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

/**
 * A launch at a local time, for the snapshot: the recipients' columns it needs (their zone), and `notBefore`, over a
 * recipient row `r`: the next `localTime` (HH:MM) in the contact's zone after `at`, or, once today's has passed,
 * tomorrow's (`next_day`) or null, send now (`now`). A zone PostgreSQL does not know is read as UTC, as quiet hours do
 * (safeZone); pg_timezone_names is read once per statement (a hashed subplan).
 */
export function localTimeSql(localTime: string, ifPassed: 'now' | 'next_day', at: Date): { columns: RawBuilder<unknown>; notBefore: RawBuilder<Date | null> } {
  const zone = sql`(case when r.timezone in (select name from pg_timezone_names) then r.timezone else 'UTC' end)`;
  const today = sql`((date_trunc('day', ${at}::timestamptz at time zone ${zone}) + ${localTime}::time) at time zone ${zone})`;
  const tomorrow = sql`((date_trunc('day', ${at}::timestamptz at time zone ${zone}) + interval '1 day' + ${localTime}::time) at time zone ${zone})`;
  const passed = ifPassed === 'now' ? sql`null::timestamptz` : tomorrow;
  return { columns: sql`c.id, c.timezone`, notBefore: sql<Date | null>`(case when ${today} > ${at}::timestamptz then ${today} else ${passed} end)` };
}

/**
 * Moves a campaign from one of `from` to `to`; false when it was in none of them. Sending (launch or resume) keeps the
 * first launch time and clears the pause; pausing records why; scheduling records when.
 */
export async function setCampaignStatus(
  db: Db,
  id: number,
  from: string[],
  to: 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled',
  at: Date,
  extra: { content?: unknown; reason?: string; scheduledAt?: Date } = {},
) {
  const stamp =
    to === 'scheduled' ? { scheduled_at: extra.scheduledAt ?? at }
    : to === 'sending' ? { launched_at: sql<Date>`coalesce(launched_at, ${at}::timestamptz)`, paused_at: null, paused_reason: null }
    : to === 'paused' ? { paused_at: at, paused_reason: extra.reason ?? null }
    : to === 'sent' ? { completed_at: at }
    : { cancelled_at: at };
  const r = await db
    .updateTable('campaigns')
    .set({ status: to, updated_at: at, ...stamp, ...(extra.content !== undefined ? { content: JSON.stringify(extra.content) } : {}) })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Pauses every campaign sending on the channel (its transport refuses everything), with the reason; returns their ids. */
export async function pauseSendingCampaigns(db: Db, channel: string, reason: string, at: Date) {
  const rows = await db
    .updateTable('campaigns')
    .set({ status: 'paused', paused_at: at, paused_reason: reason, updated_at: at })
    .where('channel', '=', channel)
    .where('status', '=', 'sending')
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}
