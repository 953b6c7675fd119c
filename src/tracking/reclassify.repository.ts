// What reclassifying reads and rewrites: a campaign's raw hits, message by message, and its hit rollups.
import { sql } from 'kysely';
import type { Trx, Executor as Db } from '../db/transaction.js';
import type { HitRow } from './tracking.repository.js';

/** A kept hit (tracking.repository's HitRow, by its row id), with what classifying it again needs from its message. */
export interface StoredHit extends Omit<HitRow, 'hit_id' | 'source'> {
  id: number;
  source: 'tracker' | 'ses';
  /** From the message: when it was handed over, its honeypot link, and the URL of the hit's link. */
  sent_at: Date | null;
  honeypot_index: number | null;
  url: string | null;
}

/** The next `limit` messages of the campaign that have hits, after `after`. */
export async function messagesWithHits(db: Db, campaignId: number, after: number, limit: number): Promise<number[]> {
  const r = await sql<{ message_id: string }>`
    select distinct message_id from tracking_hits where campaign_id = ${campaignId} and message_id > ${after}
    order by message_id limit ${limit}`.execute(db);
  return r.rows.map((row) => Number(row.message_id));
}

/** Every hit of these messages, each message's in time order. */
export async function hitsOfMessages(db: Db, messageIds: number[]): Promise<StoredHit[]> {
  if (!messageIds.length) return [];
  const r = await sql<StoredHit>`
    select h.id, h.message_id, h.campaign_id, h.contact_id, h.kind, h.link_index, h.method, h.user_agent, h.ip_prefix, h.headers,
      h.occurred_at, h.class, h.rule, h.source, m.sent_at, l.honeypot_index,
      case when h.link_index is not null then l.urls[h.link_index + 1] end as url
    from tracking_hits h
      join messages m on m.id = h.message_id
      left join message_links l on l.message_id = h.message_id
    where h.message_id = any(${messageIds}::bigint[])
    order by h.message_id, h.occurred_at, h.id`.execute(db);
  return r.rows.map((h) => ({
    ...h, id: Number(h.id), message_id: Number(h.message_id), campaign_id: h.campaign_id == null ? null : Number(h.campaign_id),
    contact_id: h.contact_id == null ? null : Number(h.contact_id), occurred_at: new Date(h.occurred_at), sent_at: h.sent_at ? new Date(h.sent_at) : null,
  }));
}

export async function setHitClasses(trx: Trx, changes: Array<{ id: number; class: string; rule: string }>) {
  if (!changes.length) return;
  await sql`
    update tracking_hits h set class = v.class, rule = v.rule
    from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as v(id bigint, class text, rule text)
    where h.id = v.id`.execute(trx);
}

/**
 * Empties the campaign's rollups of opens and clicks, to be rebuilt from its hits. The message rows are locked first,
 * in message order as the ingestion locks them: a batch arriving meanwhile waits, then adds on top.
 */
export async function clearHitRollups(trx: Trx, campaignId: number) {
  await sql`select 1 from message_engagement where campaign_id = ${campaignId} order by message_id for update`.execute(trx);
  await sql`
    update message_engagement set first_open_human_at = null, first_open_machine_at = null, first_click_human_at = null,
      first_click_machine_at = null, opens_human = 0, opens_machine = 0, clicks_human = 0, clicks_machine = 0
    where campaign_id = ${campaignId}`.execute(trx);
  await sql`delete from campaign_hourly where campaign_id = ${campaignId} and metric in ('open_human', 'open_machine', 'click_human', 'click_machine')`.execute(trx);
  await sql`delete from campaign_links where campaign_id = ${campaignId}`.execute(trx);
}

/** The campaign's launch time (null before launch), or undefined for no such campaign. */
export async function campaignLaunch(db: Db, id: number): Promise<{ launchedAt: Date | null } | undefined> {
  const row = await db.selectFrom('campaigns').select('launched_at').where('id', '=', id).executeTakeFirst();
  return row && { launchedAt: row.launched_at ? new Date(row.launched_at) : null };
}
