// Opens and clicks: messages are instrumented at hand-over; each hit is kept raw, classified human or machine with
// the rule that fired (classify.ts), and never changes the ledger row senders write.
import type { Executor as Db } from '../db/transaction.js';
import { findMessageByPublicId } from '../delivery/index.js';
import { signHitToken, verifyHitToken } from '../links/index.js';
import { classifyHit, DEFAULT_CLASSIFIER_SETTINGS, ipPrefix, type Hit } from './classify.js';
import { instrumentHtml } from './instrument.js';
import { findMessageLinks, insertHit, recentClicks, saveMessageLinks } from './tracking.repository.js';

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
  await saveMessageLinks(db, { messageId: message.id, campaignId: message.campaignId, urls: result.urls, honeypotIndex: result.honeypotIndex });
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
 * Records one open or click. A tampered or foreign token, or one whose message is gone, is not found. A click
 * answers with the URL recorded for that link of that message, never one taken from the request.
 */
export async function recordHit(db: Db, secret: string, kind: 'open' | 'click', token: string, request: HitRequest, at: Date): Promise<HitOutcome> {
  const claims = await verifyHitToken(secret, token, kind);
  if (!claims) return { found: false };
  const message = await findMessageByPublicId(db, claims.messageId);
  if (!message) return { found: false };
  const messageId = Number(message.id);
  let link: number | null = null;
  let redirectTo: string | undefined;
  let honeypot = false;
  if (claims.kind === 'click') {
    const links = await findMessageLinks(db, messageId);
    if (!links || claims.link > links.honeypot_index) return { found: false };
    link = claims.link;
    honeypot = link === links.honeypot_index;
    redirectTo = honeypot ? undefined : links.urls[link];
    if (!honeypot && !redirectTo) return { found: false };
  }
  const hit: Hit = { kind, method: request.method, at, userAgent: request.userAgent, ip: request.ip ?? null, headers: request.headers, linkIndex: link, honeypot };
  const settings = DEFAULT_CLASSIFIER_SETTINGS;
  const window = Math.max(settings.burstSeconds, 1) * 1000;
  const verdict = classifyHit(hit, {
    handedOverAt: message.sent_at ? new Date(message.sent_at) : null,
    recentClicks: kind === 'click' ? await recentClicks(db, messageId, new Date(at.getTime() - window)) : [],
    settings,
  });
  await insertHit(db, {
    occurred_at: at, message_id: messageId, campaign_id: message.campaign_id == null ? null : Number(message.campaign_id),
    contact_id: message.contact_id == null ? null : Number(message.contact_id), kind, link_index: link, method: request.method,
    user_agent: request.userAgent?.slice(0, 500) ?? null, ip_prefix: ipPrefix(request.ip ?? null), headers: request.headers,
    class: verdict.class, rule: verdict.rule,
  });
  return { found: true, redirectTo };
}
