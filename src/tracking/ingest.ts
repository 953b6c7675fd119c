// Writing hits in batches: the endpoints only check the token and queue a raw hit; here a batch is matched to its
// messages, classified in time order (a click sees the earlier clicks of its message, in the database or in the same
// batch) and appended in one statement per 1,000 hits. Node runs it from a buffer (hit-writer.ts), the Worker from
// its queue consumer.
import { inTransaction, type Executor as Db } from '../db/transaction.js';
import { findMessagesByPublicIds } from '../delivery/index.js';
import { classifyHit, DEFAULT_CLASSIFIER_SETTINGS, ipPrefix, type ClassifierSettings } from './classify.js';
import { applyEngagement, type EngagementFact } from './engagement.js';
import { insertHits, linksOf, recentClicks, type HitRow } from './tracking.repository.js';

/** A hit as the endpoint saw it: serialisable, for a queue. The message is named by its public id. */
export interface RawHit {
  /** A UUID given when the request was answered: writing a hit twice keeps one. */
  id: string;
  kind: 'open' | 'click';
  messageId: string;
  link: number | null;
  honeypot: boolean;
  method: string;
  userAgent: string | null;
  ip: string | null;
  headers: Record<string, string>;
  /** ISO 8601. */
  at: string;
  /** Who saw it: our own pixel and links, or the provider's tracking (SES open and click events). */
  source?: 'tracker' | 'ses';
  /** The URL of an SES click event (SES rewrote the links itself). */
  url?: string;
}

/** How hits get to the database: a buffer flushed every few tens of milliseconds (Node), or a queue (Workers). */
export interface HitQueue {
  enqueue(hit: RawHit): Promise<void>;
  /** Writes what is queued; resolves once it is in the database (Node), at once on Workers. */
  flush(): Promise<void>;
  /** Flushes and stops: at shutdown. */
  close(): Promise<void>;
}

/** Whether a queued body is a hit this code wrote: a malformed one must not fail the batch around it. */
export function isRawHit(body: unknown): body is RawHit {
  const h = body as Partial<RawHit> | null;
  return typeof h === 'object' && h !== null && typeof h.id === 'string' && (h.kind === 'open' || h.kind === 'click')
    && typeof h.messageId === 'string' && typeof h.method === 'string' && typeof h.at === 'string' && !Number.isNaN(Date.parse(h.at))
    && (h.link === null || Number.isInteger(h.link)) && typeof h.headers === 'object' && h.headers !== null
    && (h.source === undefined || h.source === 'tracker' || h.source === 'ses') && (h.url === undefined || typeof h.url === 'string');
}

/** Appends a batch of hits; returns how many were kept (a hit whose message no longer exists is dropped). */
export async function ingestHits(db: Db, raws: RawHit[], settings: ClassifierSettings = DEFAULT_CLASSIFIER_SETTINGS): Promise<number> {
  if (!raws.length) return 0;
  const hits = [...raws].sort((a, b) => a.at.localeCompare(b.at));
  const messages = new Map((await findMessagesByPublicIds(db, [...new Set(hits.map((h) => h.messageId))])).map((m) => [m.publicId, m]));
  const window = Math.max(settings.burstSeconds, 1) * 1000;
  const clicked = [...new Set(hits.filter((h) => h.kind === 'click').flatMap((h) => messages.get(h.messageId)?.id ?? []))];
  const earlier = await recentClicks(db, clicked, new Date(Date.parse(hits[0].at) - window));
  const rows: HitRow[] = [];
  const kept: RawHit[] = [];
  for (const raw of hits) {
    const message = messages.get(raw.messageId);
    if (!message) continue;
    const at = new Date(raw.at);
    const clicks = earlier.get(message.id) ?? [];
    const verdict = classifyHit(
      { kind: raw.kind, method: raw.method, at, userAgent: raw.userAgent, ip: raw.ip, headers: raw.headers, linkIndex: raw.link, honeypot: raw.honeypot },
      { handedOverAt: message.sentAt, recentClicks: clicks.filter((c) => c.at.getTime() >= at.getTime() - window && c.at <= at), settings },
    );
    if (raw.kind === 'click') earlier.set(message.id, [...clicks, { at, linkIndex: raw.link }]);
    rows.push({
      hit_id: raw.id, occurred_at: at, message_id: message.id, campaign_id: message.campaignId, contact_id: message.contactId, kind: raw.kind,
      link_index: raw.link, method: raw.method, user_agent: raw.userAgent?.slice(0, 500) ?? null, ip_prefix: ipPrefix(raw.ip),
      headers: raw.headers, class: verdict.class, rule: verdict.rule, source: raw.source ?? 'tracker',
    });
    kept.push(raw);
  }
  const urls = await linksOf(db, [...new Set(hits.filter((h) => h.kind === 'click' && !h.honeypot && h.source !== 'ses').map((h) => h.messageId))]);
  // All or nothing: a batch retried after a failure is written once (hit_id), and so are its rollups.
  await inTransaction(db, async (trx) => {
    const added = await insertHits(trx, rows);
    const facts: EngagementFact[] = [];
    rows.forEach((row, i) => {
      if (!added.has(row.hit_id)) return;
      const raw = kept[i];
      const url = raw.source === 'ses' ? raw.url : raw.link !== null && !raw.honeypot ? urls.get(raw.messageId)?.[raw.link] : undefined;
      facts.push({
        messageId: row.message_id, campaignId: row.campaign_id, contactId: row.contact_id, metric: `${row.kind}_${row.class}`, at: row.occurred_at,
        ...(url !== undefined && row.link_index !== null ? { link: { index: row.link_index, url } } : {}),
      });
    });
    await applyEngagement(trx, facts);
  });
  return rows.length;
}
