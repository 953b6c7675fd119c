// What a campaign report reads: the rollups the ingestion keeps (a few hundred rows per campaign, whatever its size),
// and for breakdowns the campaign's sent messages grouped by a contact's locale or attribute.
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export interface MetricTotals {
  events: number;
  uniques: number;
  value: number;
}

/** Every metric of the campaign summed over its hours. */
export async function campaignTotals(db: Db, campaignId: number): Promise<Map<string, MetricTotals>> {
  const r = await sql<{ metric: string; events: string; uniques: string; value: string }>`
    select metric, sum(events) as events, sum(uniques) as uniques, sum(value) as value
    from campaign_hourly where campaign_id = ${campaignId} group by metric`.execute(db);
  return new Map(r.rows.map((row) => [row.metric, { events: Number(row.events), uniques: Number(row.uniques), value: Number(row.value) }]));
}

/** The hourly rows of these metrics, in time order. */
export async function campaignHours(db: Db, campaignId: number, metrics: readonly string[]) {
  const r = await sql<{ metric: string; hour: Date; events: string; uniques: string }>`
    select metric, hour, events, uniques from campaign_hourly
    where campaign_id = ${campaignId} and metric = any(${metrics}::text[]) order by hour`.execute(db);
  return r.rows.map((row) => ({ metric: row.metric, hour: new Date(row.hour), events: Number(row.events), uniques: Number(row.uniques) }));
}

/** Clicks per link (the honeypot is never one), the most clicked first. */
export async function campaignLinks(db: Db, campaignId: number, limit = 100) {
  const rows = await db.selectFrom('campaign_links').select(['link_index', 'url', 'human', 'machine'])
    .where('campaign_id', '=', campaignId)
    .orderBy(sql`human + machine`, 'desc').orderBy('link_index').limit(limit).execute();
  return rows.map((r) => ({ link: r.link_index, url: r.url, human: Number(r.human), machine: Number(r.machine) }));
}

export interface BreakdownRow {
  key: string | null;
  sent: number;
  opened: number;
  clicked: number;
  replied: number;
  converted: number;
  revenue: number;
  unsubscribed: number;
}

/**
 * The campaign's sent messages grouped by the recipient's locale, or by one attribute's value (as text), with the
 * people's engagement of each group; the `limit` largest groups.
 */
export async function sentMessagesBy(db: Db, campaignId: number, by: { locale: true } | { attribute: string }, limit = 50): Promise<BreakdownRow[]> {
  const key = 'locale' in by ? sql`c.locale` : sql`c.attributes ->> ${by.attribute}`;
  const r = await sql<Record<keyof BreakdownRow, string | null>>`
    select ${key} as key, count(*) as sent, count(e.first_open_human_at) as opened, count(e.first_click_human_at) as clicked,
      count(e.replied_at) as replied, count(e.converted_at) as converted, coalesce(sum(e.revenue), 0) as revenue,
      count(e.unsubscribed_at) as unsubscribed
    from messages m
      left join message_engagement e on e.message_id = m.id
      left join contacts c on c.id = m.contact_id
    where m.campaign_id = ${campaignId} and m.status = 'sent'
    group by 1 order by count(*) desc, 1 limit ${limit}`.execute(db);
  return r.rows.map((row) => ({
    key: row.key, sent: Number(row.sent), opened: Number(row.opened), clicked: Number(row.clicked), replied: Number(row.replied),
    converted: Number(row.converted), revenue: Number(row.revenue), unsubscribed: Number(row.unsubscribed),
  }));
}

/** A breakdown kept earlier, with when it was computed. */
export async function cachedBreakdown(db: Db, campaignId: number, dimension: string) {
  const row = await db.selectFrom('report_breakdowns').select(['rows', 'computed_at'])
    .where('campaign_id', '=', campaignId).where('dimension', '=', dimension).executeTakeFirst();
  return row ? { rows: row.rows as unknown as BreakdownRow[], computedAt: new Date(row.computed_at) } : undefined;
}

export async function saveBreakdown(db: Db, campaignId: number, dimension: string, rows: BreakdownRow[], at: Date) {
  await db.insertInto('report_breakdowns').values({ campaign_id: campaignId, dimension, rows: JSON.stringify(rows), computed_at: at })
    .onConflict((oc) => oc.columns(['campaign_id', 'dimension']).doUpdateSet({ rows: JSON.stringify(rows), computed_at: at }))
    .execute();
}
