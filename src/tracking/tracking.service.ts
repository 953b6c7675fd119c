// Opens and clicks: messages are instrumented at hand-over; each hit is checked and queued here, then kept raw and
// classified human or machine with the rule that fired (ingest.ts, classify.ts), never changing the ledger rows.
import type { Executor as Db } from '../db/transaction.js';
import { signHitToken, verifyHitToken, withRecentSecret } from '../links/index.js';
import type { HitQueue } from './ingest.js';
import { instrumentHtml } from './instrument.js';
import { findMessageLinks, saveMessageLinks } from './tracking.repository.js';

/** The paths of links that are not clicks: unsubscribe, preferences, double opt-in confirmation. */
const UNTRACKED_PATHS = ['/u/', '/p/', '/c/'];

export interface TrackedMessage {
  id: number;
  publicId: string;
  campaignId: number | null;
}

/** Rewrites the message's links through /t/c, adds the honeypot and (when tracking opens) the pixel; records the links. */
export async function instrumentMessage(
  db: Db, secret: string, publicUrl: string, message: TrackedMessage, html: string, options: { trackOpens: boolean },
): Promise<string> {
  const messageId = message.publicId;
  const result = await instrumentHtml(html, {
    clickUrl: async (link) => `${publicUrl}/t/c/${await signHitToken(secret, { kind: 'click', messageId, link })}`,
    pixelUrl: options.trackOpens ? `${publicUrl}/t/o/${await signHitToken(secret, { kind: 'open', messageId })}` : undefined,
    untracked: (url) => UNTRACKED_PATHS.some((path) => url.startsWith(publicUrl + path)),
  });
  await saveMessageLinks(db, { publicId: message.publicId, messageId: message.id, campaignId: message.campaignId, urls: result.urls, honeypotIndex: result.honeypotIndex });
  return result.html;
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
    const links = await findMessageLinks(db, claims.messageId);
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
