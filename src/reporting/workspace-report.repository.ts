// What the workspace report reads over a period. Every query is grouped in SQL and returns a bounded number of rows
// (per campaign listed, per channel and day, per channel and rule); none runs once per campaign. Costs are noted on
// each: the report may read a whole table where the schema has no index for a period (consent records).
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export interface Period {
  from: Date;
  to: Date;
}

/** Kept in the campaign list; a period with more says how many in `total`. */
export const MAX_CAMPAIGNS = 100;

const onChannel = (column: string, channel: string | undefined) => (channel ? sql`and ${sql.ref(column)} = ${channel}` : sql``);

export interface LaunchedCampaign {
  id: number;
  name: string;
  channel: string;
  kind: string;
  launched_at: Date;
}

/**
 * Campaigns launched in [from, to), newest first, the first `limit`; and how many there are in all. campaigns has no
 * index on launched_at: it is a small table (one row per campaign), read whole.
 */
export async function campaignsLaunchedIn(db: Db, p: Period, channel: string | undefined, limit = MAX_CAMPAIGNS) {
  const r = await sql<LaunchedCampaign & { total: string }>`
    select id, name, channel, kind, launched_at, count(*) over () as total from campaigns
    where launched_at >= ${p.from} and launched_at < ${p.to} ${onChannel('channel', channel)}
    order by launched_at desc, id desc limit ${limit}`.execute(db);
  return {
    total: r.rows.length ? Number(r.rows[0].total) : 0,
    campaigns: r.rows.map((c) => ({ id: Number(c.id), name: c.name, channel: c.channel, kind: c.kind, launched_at: new Date(c.launched_at) })),
  };
}

export interface MetricTotals {
  events: number;
  uniques: number;
  value: number;
}

/** Every metric of each campaign summed over all its hours: the primary key (campaign_id, metric, hour) serves it. */
export async function campaignMetricTotals(db: Db, ids: number[]): Promise<Map<number, Map<string, MetricTotals>>> {
  const out = new Map<number, Map<string, MetricTotals>>();
  if (!ids.length) return out;
  const r = await sql<{ campaign_id: string; metric: string; events: string; uniques: string; value: string }>`
    select campaign_id, metric, sum(events) as events, sum(uniques) as uniques, sum(value) as value
    from campaign_hourly where campaign_id = any(${ids}::bigint[]) group by campaign_id, metric`.execute(db);
  for (const row of r.rows) {
    const id = Number(row.campaign_id);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(row.metric, { events: Number(row.events), uniques: Number(row.uniques), value: Number(row.value) });
  }
  return out;
}

/**
 * Messages sent by each campaign, in one grouped statement; each campaign's ledger rows are reached through the
 * (campaign_id, contact_id, channel) unique key.
 */
export async function sentByCampaign(db: Db, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const r = await sql<{ campaign_id: string; sent: string }>`
    select campaign_id, count(*) as sent from messages
    where campaign_id = any(${ids}::bigint[]) and status = 'sent' group by campaign_id`.execute(db);
  return new Map(r.rows.map((row) => [Number(row.campaign_id), Number(row.sent)]));
}

export interface DailyMetric extends MetricTotals {
  channel: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  metric: string;
}

/**
 * These metrics per channel (the campaign's) and UTC day, over the hours that start in the period: read through
 * campaign_hourly's index on hour. At most channels × days × metrics rows.
 */
export async function dailyMetrics(db: Db, p: Period, channel: string | undefined, metrics: readonly string[]): Promise<DailyMetric[]> {
  const r = await sql<{ channel: string; day: string; metric: string; events: string; uniques: string; value: string }>`
    select c.channel, to_char(h.hour at time zone 'UTC', 'YYYY-MM-DD') as day, h.metric,
      sum(h.events) as events, sum(h.uniques) as uniques, sum(h.value) as value
    from campaign_hourly h join campaigns c on c.id = h.campaign_id
    where h.hour >= ${p.from} and h.hour < ${p.to} and h.metric = any(${metrics}::text[]) ${onChannel('c.channel', channel)}
    group by 1, 2, 3`.execute(db);
  return r.rows.map((row) => ({
    channel: row.channel, day: row.day, metric: row.metric, events: Number(row.events), uniques: Number(row.uniques), value: Number(row.value),
  }));
}

/**
 * Campaign messages sent per channel and UTC day of the period. The ledger has no index on sent_at (adding one would
 * cost every hand-over a write), so this reads the ledger rows of the campaigns that were sending during the period —
 * launched before its end, and not completed before its start — through the (campaign_id, contact_id, channel) unique
 * key: the cost is the size of those campaigns, not of the ledger. Messages of no campaign (double opt-in
 * confirmations, keyword answers) are not counted.
 */
export async function dailySent(db: Db, p: Period, channel: string | undefined) {
  const r = await sql<{ channel: string; day: string; sent: string }>`
    select c.channel, to_char(m.sent_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as sent
    from campaigns c join messages m on m.campaign_id = c.id
    where c.launched_at < ${p.to} and (c.completed_at is null or c.completed_at >= ${p.from}) ${onChannel('c.channel', channel)}
      and m.status = 'sent' and m.sent_at >= ${p.from} and m.sent_at < ${p.to}
    group by 1, 2`.execute(db);
  return r.rows.map((row) => ({ channel: row.channel, day: row.day, sent: Number(row.sent) }));
}

/**
 * Contacts on file now created before `from`, before `to`, and in between: an index-only scan of
 * contacts_created_at_idx up to `to`.
 */
export async function contactsCreated(db: Db, p: Period) {
  const r = await sql<{ before_from: string; before_to: string }>`
    select count(*) filter (where created_at < ${p.from}) as before_from, count(*) as before_to
    from contacts where created_at < ${p.to}`.execute(db);
  const row = r.rows[0];
  return { beforeFrom: Number(row.before_from), beforeTo: Number(row.before_to) };
}

/**
 * Erasures recorded since `from` and since `to` (the audit log's 'contact.erased' entries, one per contact erased,
 * by request or by the retention purge), through audit_log_time_idx.
 */
export async function erasuresSince(db: Db, p: Period) {
  const r = await sql<{ since_from: string; since_to: string }>`
    select count(*) as since_from, count(*) filter (where occurred_at >= ${p.to}) as since_to
    from audit_log where action = 'contact.erased' and occurred_at >= ${p.from}`.execute(db);
  const row = r.rows[0];
  return { sinceFrom: Number(row.since_from), sinceTo: Number(row.since_to) };
}

/**
 * Per channel, from the consent records (one per change of a subscription's status, so each says what it became):
 * - subscribed_at_start: subscriptions (contact, channel, topic) whose last record before `from` is subscribed or
 *   paused;
 * - opt_ins: records in the period turning a subscription subscribed from anything but paused (new, a confirmed
 *   double opt-in, back after an unsubscribe); a pause ending is not one;
 * - opt_outs: records in the period turning a subscribed or paused subscription unsubscribed (a link, the preference
 *   center, STOP, a complaint, the API).
 * Records of erased contacts (contact_id cleared) or deleted topics say no longer whose subscription they were: left
 * out. consent_records has no index on occurred_at: this reads the table up to `to` and sorts it by subscription
 * once (a window over each subscription's history), so its cost grows with the consent history.
 */
export async function consentChanges(db: Db, p: Period, channel: string | undefined) {
  const r = await sql<{ channel: string; subscribed_at_start: string; opt_ins: string; opt_outs: string }>`
    select channel,
      count(*) filter (where occurred_at < ${p.from} and (next_at is null or next_at >= ${p.from}) and status in ('subscribed', 'paused')) as subscribed_at_start,
      count(*) filter (where occurred_at >= ${p.from} and status = 'subscribed' and previous is distinct from 'paused') as opt_ins,
      count(*) filter (where occurred_at >= ${p.from} and status = 'unsubscribed' and previous in ('subscribed', 'paused')) as opt_outs
    from (
      select channel, status, occurred_at, lag(status) over w as previous, lead(occurred_at) over w as next_at
      from consent_records
      where occurred_at < ${p.to} and contact_id is not null and topic_id is not null ${onChannel('channel', channel)}
      window w as (partition by contact_id, channel, topic_id order by occurred_at, id)
    ) r
    group by channel`.execute(db);
  return r.rows.map((row) => ({
    channel: row.channel, subscribedAtStart: Number(row.subscribed_at_start), optIns: Number(row.opt_ins), optOuts: Number(row.opt_outs),
  }));
}

export interface CapOutcome {
  channel: string;
  status: string;
  skip_reason: string | null;
  capped_by: string | null;
  n: number;
}

/**
 * The ledger of the marketing campaigns launched in the period (transactional ones are never capped), grouped by
 * channel, status, skip reason and the cap that held the message: a few rows per channel and rule. Reads those
 * campaigns' ledger rows through the (campaign_id, contact_id, channel) unique key.
 */
export async function capOutcomes(db: Db, p: Period, channel: string | undefined): Promise<CapOutcome[]> {
  const r = await sql<Omit<CapOutcome, 'n'> & { n: string }>`
    select c.channel, m.status, m.skip_reason, m.capped_by, count(*) as n
    from campaigns c join messages m on m.campaign_id = c.id
    where c.kind = 'marketing' and c.launched_at >= ${p.from} and c.launched_at < ${p.to} ${onChannel('c.channel', channel)}
    group by 1, 2, 3, 4`.execute(db);
  return r.rows.map((row) => ({ ...row, n: Number(row.n) }));
}
