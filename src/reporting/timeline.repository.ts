// A contact's timeline: their messages newest first, with the engagement rollup of each, then the facts behind it
// (the links they clicked, their replies, their conversions) for one page of messages at a time.
import { sql, type RawBuilder } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';
import type { Page } from '../http/pagination.js';

/** At most this many replies and conversions per message: the newest ones. */
export const FACTS_PER_MESSAGE = 20;
export const EXCERPT_LENGTH = 200;

export interface TimelineMessageRow {
  id: number;
  public_id: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  purpose: string;
  channel: string;
  status: string;
  skip_reason: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  bounced_at: Date | null;
  bounce: string | null;
  complained_at: Date | null;
  first_open_human_at: Date | null;
  opens_human: number | null;
  first_click_human_at: Date | null;
  clicks_human: number | null;
  replied_at: Date | null;
  converted_at: Date | null;
  unsubscribed_at: Date | null;
}

/**
 * The contact's messages before `page.after` (a message id), newest first, one more than the page when there is a
 * next page. Campaign messages are found by one probe of (campaign_id, contact_id) per campaign and messages of no
 * campaign by their own index, each side asked separately so each uses its index (as the ledger's contactMessages).
 */
export async function findTimelineMessages(db: Db, contactId: number, page: Page): Promise<TimelineMessageRow[]> {
  const before = page.after === undefined ? sql<boolean>`true` : sql<boolean>`m.id < ${page.after}`;
  const newest = (where: RawBuilder<boolean>) =>
    sql`(select m.id from messages m where m.contact_id = ${contactId} and ${where} and ${before} order by m.id desc limit ${page.limit + 1})`;
  const r = await sql<TimelineMessageRow>`
    select m.id, m.public_id, m.campaign_id, c.name as campaign_name, m.purpose, m.channel, m.status, m.skip_reason, m.sent_at,
      e.delivered_at, e.bounced_at, e.bounce, e.complained_at, e.first_open_human_at, e.opens_human, e.first_click_human_at, e.clicks_human,
      e.replied_at, e.converted_at, e.unsubscribed_at
    from (${newest(sql`m.campaign_id in (select id from campaigns)`)} union all ${newest(sql`m.campaign_id is null`)}) ids
      join messages m on m.id = ids.id
      left join campaigns c on c.id = m.campaign_id
      left join message_engagement e on e.message_id = m.id
    order by m.id desc limit ${page.limit + 1}`.execute(db);
  return r.rows.map((row) => ({
    ...row, id: Number(row.id), campaign_id: row.campaign_id === null ? null : Number(row.campaign_id),
    opens_human: row.opens_human === null ? null : Number(row.opens_human), clicks_human: row.clicks_human === null ? null : Number(row.clicks_human),
  }));
}

/**
 * The URLs people (not machines) clicked in these messages, each with its first click: a tracked link's hit names
 * its index, and the message's links table holds the URL at that index.
 */
export async function findClickedUrls(db: Db, messageIds: number[]) {
  if (!messageIds.length) return [];
  const r = await sql<{ message_id: number; url: string; first_at: Date }>`
    select h.message_id, l.urls[h.link_index + 1] as url, min(h.occurred_at) as first_at
    from tracking_hits h join message_links l on l.message_id = h.message_id
    where h.message_id = any(${messageIds}::bigint[]) and h.kind = 'click' and h.class = 'human' and h.link_index is not null
      and l.urls[h.link_index + 1] is not null
    group by 1, 2 order by 1, 3, 2`.execute(db);
  return r.rows.map((row) => ({ message_id: Number(row.message_id), url: row.url, first_at: new Date(row.first_at) }));
}

/** Replies, coupons and other responses to these messages (the newest per message), with the start of their text. */
export async function findResponses(db: Db, messageIds: number[]) {
  if (!messageIds.length) return [];
  const r = await sql<{ message_id: number; kind: string; excerpt: string | null; occurred_at: Date }>`
    select message_id, kind, excerpt, occurred_at from (
      select message_id, kind, left(body, ${EXCERPT_LENGTH}) as excerpt, occurred_at,
        row_number() over (partition by message_id order by occurred_at desc, id desc) as n
      from responses where message_id = any(${messageIds}::bigint[])
    ) r where n <= ${FACTS_PER_MESSAGE} order by message_id, occurred_at desc, n`.execute(db);
  return r.rows.map((row) => ({ ...row, message_id: Number(row.message_id), occurred_at: new Date(row.occurred_at) }));
}

/** Conversions attributed to these messages (the newest per message). */
export async function findConversions(db: Db, messageIds: number[]) {
  if (!messageIds.length) return [];
  const r = await sql<{ message_id: number; type: string; value: number | null; occurred_at: Date }>`
    select message_id, type, value, occurred_at from (
      select message_id, type, value, occurred_at, row_number() over (partition by message_id order by occurred_at desc, event_id desc) as n
      from conversions where message_id = any(${messageIds}::bigint[])
    ) c where n <= ${FACTS_PER_MESSAGE} order by message_id, occurred_at desc, n`.execute(db);
  return r.rows.map((row) => ({
    ...row, message_id: Number(row.message_id), value: row.value === null ? null : Number(row.value), occurred_at: new Date(row.occurred_at),
  }));
}
