// Opens and clicks: messages are instrumented at hand-over; each hit is checked and queued here, then kept raw and
// classified human or machine with the rule that fired (ingest.ts, classify.ts), never changing the ledger rows.
import type { Executor as Db } from '../db/transaction.js';
import { signHitToken, verifyHitToken, withRecentSecret } from '../links/index.js';
import type { HitQueue } from './ingest.js';
import { findSmsLinks, newShortCode, replaceSmsLinks } from './instrument-sms.js';
import { instrumentHtml } from './instrument.js';
import { cachedLink } from './links-cache.js';
import { findMessageLinks, findSmsLink, saveMessageLinks, saveSmsLinks } from './tracking.repository.js';

/** The paths of links that are not clicks: unsubscribe, preferences, double opt-in confirmation. */
const UNTRACKED_PATHS = ['/u/', '/p/', '/c/'];
const untrackedBy = (publicUrl: string) => (url: string) => UNTRACKED_PATHS.some((path) => url.startsWith(publicUrl + path));
/** Draws of a new short code before giving up: with 62^7 codes, a second draw is already rare. */
const MAX_CODE_DRAWS = 5;

export interface TrackedMessage {
  id: number;
  publicId: string;
  campaignId: number | null;
}

/** A message's tracked links, to be recorded (recordMessageLinks) before it leaves. */
export interface MessageLinks {
  publicId: string;
  messageId: number;
  campaignId: number | null;
  urls: string[];
  honeypotIndex: number;
}

/**
 * Rewrites the message's links through /t/c, adds the honeypot and (when tracking opens) the pixel. Returns the new
 * HTML and the links to record: a sender records a whole batch's at once (recordMessageLinks).
 */
export async function trackHtml(
  secret: string, publicUrl: string, message: TrackedMessage, html: string, options: { trackOpens: boolean },
): Promise<{ html: string; links: MessageLinks }> {
  const messageId = message.publicId;
  const result = await instrumentHtml(html, {
    clickUrl: async (link) => `${publicUrl}/t/c/${await signHitToken(secret, { kind: 'click', messageId, link })}`,
    pixelUrl: options.trackOpens ? `${publicUrl}/t/o/${await signHitToken(secret, { kind: 'open', messageId })}` : undefined,
    untracked: untrackedBy(publicUrl),
  });
  return {
    html: result.html,
    links: { publicId: message.publicId, messageId: message.id, campaignId: message.campaignId, urls: result.urls, honeypotIndex: result.honeypotIndex },
  };
}

/** Records the tracked links of several messages in one statement. */
export async function recordMessageLinks(db: Db, links: MessageLinks[]) {
  await saveMessageLinks(db, links);
}

/**
 * Shortens the SMS's web links to PUBLIC_URL/s/{code} and records them (message_links, then one sms_links row per
 * link) before the message leaves. An SMS carries no honeypot: nothing can be hidden in a text, and a visible
 * one would be followed by people; its honeypot index is one past the last link, so no code ever names it. A retried
 * message rendered again gets new codes; the earlier ones still lead to the same links of the same message.
 */
export async function instrumentSms(db: Db, publicUrl: string, message: TrackedMessage, text: string): Promise<string> {
  const links = findSmsLinks(text, untrackedBy(publicUrl));
  if (!links.length) return text;
  const urls = links.map((l) => l.url);
  await saveMessageLinks(db, [{ publicId: message.publicId, messageId: message.id, campaignId: message.campaignId, urls, honeypotIndex: urls.length }]);
  const codes: string[] = [];
  for (let draw = 0; draw < MAX_CODE_DRAWS; draw++) {
    const drawn = urls.flatMap((_, linkIndex) => (codes[linkIndex] ? [] : [{ code: newShortCode(), linkIndex }]));
    if (!drawn.length) break;
    // A code already taken (by any message) is not recorded: that link draws again.
    const saved = await saveSmsLinks(db, message.publicId, drawn);
    for (const d of drawn) if (saved.has(d.linkIndex)) codes[d.linkIndex] = d.code;
  }
  if (urls.some((_, i) => !codes[i])) throw new Error(`no free short code for message ${message.publicId} after ${MAX_CODE_DRAWS} draws`);
  return replaceSmsLinks(text, links, codes.map((code) => `${publicUrl}/s/${code}`));
}

/** What the request said, as far as classification needs it. */
export interface HitRequest {
  method: string;
  userAgent: string | null;
  ip: string | undefined;
  headers: Record<string, string>;
}

export type HitOutcome = { found: false } | { found: true; redirectTo?: string };

/**
 * Checks a hit's token and queues the hit; it is written in a batch, soon after (ingest.ts). A tampered or foreign
 * token is not found. A click answers with the URL recorded for that link of that message, never one taken from
 * the request: one read, by the message's public id.
 */
export async function acceptHit(
  db: Db, queue: HitQueue, kind: 'open' | 'click', token: string, request: HitRequest, at: Date,
): Promise<HitOutcome> {
  // The secret is read once a minute, not per hit (and again if a token fails: it may have just been rotated).
  const claims = await withRecentSecret(db, (secret) => verifyHitToken(secret, token, kind));
  if (!claims) return { found: false };
  let link: number | null = null;
  let redirectTo: string | undefined;
  let honeypot = false;
  if (claims.kind === 'click') {
    const links = await cachedLink(db, `m:${claims.messageId}`, at.getTime(), () => findMessageLinks(db, claims.messageId));
    if (!links || claims.link > links.honeypot_index) return { found: false };
    link = claims.link;
    honeypot = link === links.honeypot_index;
    redirectTo = honeypot ? undefined : links.urls[link];
    if (!honeypot && !redirectTo) return { found: false };
  }
  await queue.enqueue({
    id: crypto.randomUUID(), kind, messageId: claims.messageId, link, honeypot, method: request.method, userAgent: request.userAgent, ip: request.ip ?? null,
    headers: request.headers, at: at.toISOString(),
  });
  return { found: true, redirectTo };
}

/**
 * An SMS short link (/s/{code}): queues a click on that link of that message and answers with the URL recorded for
 * it. An unknown code, or one whose message's links were deleted (erasure), is not found.
 */
export async function acceptShortLinkHit(db: Db, queue: HitQueue, code: string, request: HitRequest, at: Date): Promise<HitOutcome> {
  const found = await cachedLink(db, `s:${code}`, at.getTime(), () => findSmsLink(db, code));
  const url = found && found.link_index < found.honeypot_index ? found.urls[found.link_index] : undefined;
  if (!found || !url) return { found: false };
  await queue.enqueue({
    id: crypto.randomUUID(), kind: 'click', messageId: found.public_id, link: found.link_index, honeypot: false, method: request.method,
    userAgent: request.userAgent, ip: request.ip ?? null, headers: request.headers, at: at.toISOString(),
  });
  return { found: true, redirectTo: url };
}
