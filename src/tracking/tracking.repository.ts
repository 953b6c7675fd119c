// Tracking's tables: what each message's links point to, and the raw hits (append-only).
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';
import { forgetCachedLinks } from './links-cache.js';

export async function saveMessageLinks(db: Db, links: Array<{ publicId: string; messageId: number; campaignId: number | null; urls: string[]; honeypotIndex: number }>) {
  if (!links.length) return;
  // A retried message is rendered again: its links are those of the last rendering.
  await db
    .insertInto('message_links')
    .values(links.map((l) => ({ public_id: l.publicId, message_id: l.messageId, campaign_id: l.campaignId, urls: l.urls, honeypot_index: l.honeypotIndex })))
    .onConflict((oc) => oc.column('public_id').doUpdateSet((eb) => ({ urls: eb.ref('excluded.urls'), honeypot_index: eb.ref('excluded.honeypot_index') })))
    .execute();
}

export async function findMessageLinks(db: Db, publicId: string) {
  return db.selectFrom('message_links').select(['urls', 'honeypot_index']).where('public_id', '=', publicId).executeTakeFirst();
}

/**
 * Records short codes for links of a message (`on conflict do nothing`: a code already taken is not overwritten).
 * Returns the link indexes whose code was recorded; the others collided and need another code.
 */
export async function saveSmsLinks(db: Db, publicId: string, codes: Array<{ code: string; linkIndex: number }>): Promise<Set<number>> {
  if (!codes.length) return new Set();
  const saved = await db
    .insertInto('sms_links')
    .values(codes.map((c) => ({ code: c.code, public_id: publicId, link_index: c.linkIndex })))
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('link_index')
    .execute();
  return new Set(saved.map((r) => r.link_index));
}

/** A short code's message and link, with the URLs recorded for that message: one read. None once the links are deleted (erasure). */
export async function findSmsLink(db: Db, code: string) {
  return db
    .selectFrom('sms_links as s')
    .innerJoin('message_links as l', 'l.public_id', 's.public_id')
    .select(['s.public_id', 's.link_index', 'l.urls', 'l.honeypot_index'])
    .where('s.code', '=', code)
    .executeTakeFirst();
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
  source?: 'tracker' | 'ses';
}

/**
 * Appends hits, 1,000 a statement (16 parameters each, far under PostgreSQL's 65,535); a hit already kept is skipped.
 * Returns the ids of the hits that were new.
 */
export async function insertHits(db: Db, hits: HitRow[]): Promise<Set<string>> {
  const added = new Set<string>();
  for (let i = 0; i < hits.length; i += 1000) {
    const rows = hits.slice(i, i + 1000).map((h) => ({ ...h, headers: JSON.stringify(h.headers) }));
    const kept = await db.insertInto('tracking_hits').values(rows).onConflict((oc) => oc.column('hit_id').doNothing()).returning('hit_id').execute();
    for (const r of kept) added.add(r.hit_id);
  }
  return added;
}

/** The URLs of the tracked links of these messages, by public id. */
export async function linksOf(db: Db, publicIds: string[]) {
  if (!publicIds.length) return new Map<string, string[]>();
  const rows = await db.selectFrom('message_links').select(['public_id', 'urls']).where('public_id', 'in', publicIds).execute();
  return new Map(rows.map((r) => [r.public_id, r.urls]));
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
    // The newest matter most when a scanner has clicked thousands of times.
    .orderBy('occurred_at', 'desc')
    .limit(10_000)
    .execute();
  rows.reverse();
  for (const r of rows) {
    const id = Number(r.message_id);
    byMessage.set(id, [...(byMessage.get(id) ?? []), { at: new Date(r.occurred_at), linkIndex: r.link_index }]);
  }
  return byMessage;
}

/** Erasure: the contact's hits stay counted but lose the person (contact, user agent, IP prefix, headers); the links recorded for their messages are deleted. */
export async function scrubContactTracking(db: Db, contactId: number) {
  forgetCachedLinks();
  await db.updateTable('tracking_hits').set({ contact_id: null, user_agent: null, ip_prefix: null, headers: '{}' }).where('contact_id', '=', contactId).execute();
  await sql`delete from message_links l using messages m where m.id = l.message_id and m.contact_id = ${contactId}`.execute(db);
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

/**
 * Clicks per link of the message (the honeypot apart), the 100 most clicked. A link is named by its URL, or by its URL
 * without the query when messages had different ones (personalised links): the report never lists one per recipient.
 */
export async function clicksByLink(db: Db, campaignId: number) {
  const rows = await sql<{ link: number; url: string; human: string; machine: string }>`
    select h.link_index as link,
      case when count(distinct l.urls[h.link_index + 1]) = 1 then min(l.urls[h.link_index + 1])
        else min(split_part(l.urls[h.link_index + 1], '?', 1)) end as url,
      count(*) filter (where h.class = 'human') as human, count(*) filter (where h.class = 'machine') as machine
    from tracking_hits h join message_links l on l.message_id = h.message_id
    where h.campaign_id = ${campaignId} and h.kind = 'click' and h.link_index < l.honeypot_index
    group by h.link_index order by count(*) desc, h.link_index limit 100
  `.execute(db);
  return rows.rows.map((r) => ({ link: Number(r.link), url: r.url, human: Number(r.human), machine: Number(r.machine) }));
}

/** The right of access: the contact's opens and clicks as kept (the newest 10,000), oldest first. */
export async function exportContactHits(db: Db, contactId: number) {
  const rows = await db.selectFrom('tracking_hits').innerJoin('messages', 'messages.id', 'tracking_hits.message_id')
    .select(['messages.public_id as message_id', 'tracking_hits.kind', 'tracking_hits.link_index', 'tracking_hits.occurred_at', 'tracking_hits.method',
      'tracking_hits.user_agent', 'tracking_hits.ip_prefix', 'tracking_hits.class', 'tracking_hits.rule'])
    .where('tracking_hits.contact_id', '=', contactId).orderBy('tracking_hits.occurred_at', 'desc').limit(10_000).execute();
  return rows.reverse();
}

/** Deletes up to `limit` raw hits older than `before` (the BRIN index finds them); returns how many. */
export async function deleteHitsBefore(db: Db, before: Date, limit: number): Promise<number> {
  const r = await sql`
    delete from tracking_hits where id in (select id from tracking_hits where occurred_at < ${before}::timestamptz limit ${limit})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
