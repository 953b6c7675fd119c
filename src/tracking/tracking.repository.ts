// Tracking's tables: what each message's links point to, and the raw hits (append-only).
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export async function saveMessageLinks(db: Db, links: { publicId: string; messageId: number; campaignId: number | null; urls: string[]; honeypotIndex: number }) {
  // A retried message is rendered again: its links are those of the last rendering.
  await db
    .insertInto('message_links')
    .values({ public_id: links.publicId, message_id: links.messageId, campaign_id: links.campaignId, urls: links.urls, honeypot_index: links.honeypotIndex })
    .onConflict((oc) => oc.column('public_id').doUpdateSet({ urls: links.urls, honeypot_index: links.honeypotIndex }))
    .execute();
}

export async function findMessageLinks(db: Db, publicId: string) {
  return db.selectFrom('message_links').select(['urls', 'honeypot_index']).where('public_id', '=', publicId).executeTakeFirst();
}

export interface HitRow {
  hit_id: string;
  occurred_at: Date;
  message_id: number;
  campaign_id: number | null;
  contact_id: number | null;
  kind: 'open' | 'click';
  link_index: number | null;
  method: string;
  user_agent: string | null;
  ip_prefix: string | null;
  headers: Record<string, string>;
  class: 'human' | 'machine';
  rule: string;
}

/** Appends hits, 1,000 a statement (15 parameters each, far under PostgreSQL's 65,535); a hit already kept is skipped. */
export async function insertHits(db: Db, hits: HitRow[]) {
  for (let i = 0; i < hits.length; i += 1000) {
    const rows = hits.slice(i, i + 1000).map((h) => ({ ...h, headers: JSON.stringify(h.headers) }));
    await db.insertInto('tracking_hits').values(rows).onConflict((oc) => oc.column('hit_id').doNothing()).execute();
  }
}

/** The clicks recorded on these messages since `since`, by message: a burst over several links is a scanner. */
export async function recentClicks(db: Db, messageIds: number[], since: Date) {
  const byMessage = new Map<number, Array<{ at: Date; linkIndex: number | null }>>();
  if (!messageIds.length) return byMessage;
  const rows = await db
    .selectFrom('tracking_hits')
    .select(['message_id', 'occurred_at', 'link_index'])
    .where(sql<boolean>`message_id = any(${messageIds}::bigint[])`)
    .where('kind', '=', 'click')
    .where('occurred_at', '>=', since)
    .orderBy('occurred_at')
    .limit(10_000)
    .execute();
  for (const r of rows) {
    const id = Number(r.message_id);
    byMessage.set(id, [...(byMessage.get(id) ?? []), { at: new Date(r.occurred_at), linkIndex: r.link_index }]);
  }
  return byMessage;
}

/** A campaign's hits per kind and class: all of them, and the messages with at least one. */
export async function hitCounts(db: Db, campaignId: number) {
  const rows = await db
    .selectFrom('tracking_hits')
    .select((eb) => ['kind', 'class', eb.fn.countAll<string>().as('hits'), sql<string>`count(distinct message_id)`.as('messages')])
    .where('campaign_id', '=', campaignId)
    .groupBy(['kind', 'class'])
    .execute();
  return rows.map((r) => ({ kind: r.kind as 'open' | 'click', class: r.class as 'human' | 'machine', hits: Number(r.hits), messages: Number(r.messages) }));
}

/** Clicks per link URL (the honeypot apart), human and machine. */
export async function clicksByLink(db: Db, campaignId: number) {
  const rows = await sql<{ url: string; class: string; n: string }>`
    select l.urls[h.link_index + 1] as url, h.class, count(*) as n
    from tracking_hits h join message_links l on l.message_id = h.message_id
    where h.campaign_id = ${campaignId} and h.kind = 'click' and h.link_index < l.honeypot_index
    group by 1, 2 order by 1
  `.execute(db);
  return rows.rows.map((r) => ({ url: r.url, class: r.class as 'human' | 'machine', clicks: Number(r.n) }));
}
