// The engagement rollups: one row per message with something done to it, one per campaign, metric and hour, one per
// campaign and link. Written by the ingestion only (engagement.ts), in key order.
import { sql } from 'kysely';
import type { Trx } from '../db/transaction.js';

export interface EngagementRow {
  message_id: number;
  first_open_human_at: Date | null;
  first_open_machine_at: Date | null;
  first_click_human_at: Date | null;
  first_click_machine_at: Date | null;
  opens_human: number;
  opens_machine: number;
  clicks_human: number;
  clicks_machine: number;
  replied_at: Date | null;
  replies: number;
  converted_at: Date | null;
  conversions: number;
  revenue: number;
  delivered_at: Date | null;
  bounced_at: Date | null;
  bounce: 'hard' | 'soft' | null;
  complained_at: Date | null;
  unsubscribed_at: Date | null;
}

const TIMES = [
  'first_open_human_at', 'first_open_machine_at', 'first_click_human_at', 'first_click_machine_at', 'replied_at', 'converted_at',
  'delivered_at', 'bounced_at', 'complained_at', 'unsubscribed_at',
] as const;
const COUNTS = ['opens_human', 'opens_machine', 'clicks_human', 'clicks_machine', 'replies', 'conversions'] as const;

/** Creates the rows not there yet, in message order. */
export async function ensureEngagementRows(trx: Trx, rows: Array<{ message_id: number; campaign_id: number | null; contact_id: number | null }>) {
  if (!rows.length) return;
  await sql`
    insert into message_engagement (message_id, campaign_id, contact_id)
    select v.message_id, v.campaign_id, c.id from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(message_id bigint, campaign_id bigint, contact_id bigint)
      -- an erased contact's message keeps its counts, tied to no one
      left join contacts c on c.id = v.contact_id
    order by v.message_id
    on conflict (message_id) do nothing`.execute(trx);
}

/** Reads and locks the rows, in message order. */
export async function lockEngagementRows(trx: Trx, ids: number[]): Promise<EngagementRow[]> {
  const r = await sql<Record<string, unknown>>`
    select * from message_engagement where message_id = any(${ids}::bigint[]) order by message_id for update`.execute(trx);
  return r.rows.map((row) => {
    const out: Record<string, unknown> = { message_id: Number(row.message_id), revenue: Number(row.revenue), bounce: row.bounce ?? null };
    for (const t of TIMES) out[t] = row[t] ? new Date(row[t] as string) : null;
    for (const c of COUNTS) out[c] = Number(row[c]);
    return out as unknown as EngagementRow;
  });
}

export async function updateEngagementRows(trx: Trx, rows: EngagementRow[]) {
  if (!rows.length) return;
  const json = JSON.stringify(rows.map((r) => ({ ...r, ...Object.fromEntries(TIMES.map((t) => [t, r[t]?.toISOString() ?? null])) })));
  await sql`
    update message_engagement e set
      first_open_human_at = v.first_open_human_at, first_open_machine_at = v.first_open_machine_at,
      first_click_human_at = v.first_click_human_at, first_click_machine_at = v.first_click_machine_at,
      opens_human = v.opens_human, opens_machine = v.opens_machine, clicks_human = v.clicks_human, clicks_machine = v.clicks_machine,
      replied_at = v.replied_at, replies = v.replies, converted_at = v.converted_at, conversions = v.conversions, revenue = v.revenue,
      delivered_at = v.delivered_at, bounced_at = v.bounced_at, bounce = v.bounce, complained_at = v.complained_at, unsubscribed_at = v.unsubscribed_at
    from jsonb_to_recordset(${json}::jsonb) as v(
      message_id bigint, first_open_human_at timestamptz, first_open_machine_at timestamptz, first_click_human_at timestamptz,
      first_click_machine_at timestamptz, opens_human integer, opens_machine integer, clicks_human integer, clicks_machine integer,
      replied_at timestamptz, replies integer, converted_at timestamptz, conversions integer, revenue numeric, delivered_at timestamptz,
      bounced_at timestamptz, bounce text, complained_at timestamptz, unsubscribed_at timestamptz)
    where e.message_id = v.message_id`.execute(trx);
}

/** Adds to the hourly rows; the caller gives them in key order. */
export async function addCampaignHourly(trx: Trx, rows: Array<{ campaign_id: number; metric: string; hour: Date; events: number; uniques: number; value: number }>) {
  if (!rows.length) return;
  await sql`
    insert into campaign_hourly (campaign_id, metric, hour, events, uniques, value)
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(campaign_id bigint, metric text, hour timestamptz, events bigint, uniques bigint, value numeric)
    order by campaign_id, metric, hour
    on conflict (campaign_id, metric, hour) do update set
      events = campaign_hourly.events + excluded.events, uniques = campaign_hourly.uniques + excluded.uniques,
      value = campaign_hourly.value + excluded.value`.execute(trx);
}

/** Adds clicks per link; a link whose URL differs between messages is named by its URL without the query. */
export async function addLinkClicks(trx: Trx, rows: Array<{ campaign_id: number; link_index: number; url: string; human: number; machine: number }>) {
  if (!rows.length) return;
  await sql`
    insert into campaign_links (campaign_id, link_index, url, human, machine)
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(campaign_id bigint, link_index integer, url text, human bigint, machine bigint)
    order by campaign_id, link_index
    on conflict (campaign_id, link_index) do update set
      url = case when campaign_links.url = excluded.url then campaign_links.url else split_part(excluded.url, '?', 1) end,
      human = campaign_links.human + excluded.human, machine = campaign_links.machine + excluded.machine`.execute(trx);
}

/** Keeps a provider's delivery event once; false when its key was seen before. */
export async function insertDeliveryEvent(trx: Trx, e: {
  event_key: string; message_id: number; campaign_id: number | null; contact_id: number | null; type: string; occurred_at: Date; detail: Record<string, unknown>;
}): Promise<boolean> {
  const row = await trx.insertInto('delivery_events').values({ ...e, detail: JSON.stringify(e.detail) })
    .onConflict((oc) => oc.column('event_key').doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}
