// Share links to a campaign's report page and to the workspace report's: signed with the workspace's signing secret,
// naming the campaign (or the period and channel) and an expiry, so the page opens without an API key until then.
// Nothing is stored but the audit entry: a link cannot be revoked alone; rotating the signing secret ends every one
// (and every link in messages sent).
import { writeAudit, type Actor } from '../audit/index.js';
import { getCampaignRecord } from '../campaigns/index.js';
import type { Executor } from '../db/transaction.js';
import {
  getSigningSecret, signShareToken, signWorkspaceShareToken, verifyShareToken, verifyWorkspaceShareToken, withRecentSecret,
  type ShareClaims, type WorkspaceShareClaims,
} from '../links/index.js';
import { resolvePeriod, type WorkspaceReportOptions } from './workspace-report.service.js';

export const SHARE_DAYS = { min: 1, max: 90, default: 30 } as const;
const DAY = 86_400_000;

export interface ShareOptions {
  expiresInDays?: number;
  /** The page's language for whoever opens the link; otherwise their browser's. */
  lang?: 'fr' | 'en';
}

/** A share link to the campaign's report page, audited (`report.shared`). 404 (NotFoundError) for an unknown campaign. */
export async function shareCampaignReport(
  db: Executor, campaignId: number, options: ShareOptions, change: { actor: Actor; at: Date }, publicUrl: string,
): Promise<{ url: string; expires_at: string }> {
  await getCampaignRecord(db, campaignId);
  const expiresAt = expiryOf(options, change.at);
  const token = await signShareToken(await getSigningSecret(db), { campaignId, expiresAt, lang: options.lang });
  const expires_at = expiresAt.toISOString();
  // The token is a credential: the audit log says who shared what until when, not the link itself.
  await writeAudit(db, { actor: change.actor, action: 'report.shared', subject: `campaign:${campaignId}`, details: { expires_at, lang: options.lang ?? null } }, change.at);
  return { url: `${publicUrl}/reports/shared/${token}`, expires_at };
}

/** The claims of a share token still valid at `now`, or undefined (tampered, foreign, expired, or the secret rotated). */
export function openShareLink(db: Executor, token: string, now: Date): Promise<ShareClaims | undefined> {
  return withRecentSecret(db, (secret) => verifyShareToken(secret, token, now));
}

/** Whole seconds, as the tokens carry them: the answer says exactly when the link stops working. */
function expiryOf(options: ShareOptions, at: Date): Date {
  const days = options.expiresInDays ?? SHARE_DAYS.default;
  return new Date(Math.floor((at.getTime() + days * DAY) / 1000) * 1000);
}

export interface WorkspaceShareOptions extends ShareOptions, Pick<WorkspaceReportOptions, 'from' | 'to' | 'channel'> {}

/**
 * A share link to the workspace report page over a period and channel, audited (`report.shared`, subject `workspace`).
 * The period is resolved now, as the report would read it (30 days up to now by default): the link shows that period,
 * not one that moves with the days. 422 (InvalidInputError) for a period the report refuses.
 */
export async function shareWorkspaceReport(
  db: Executor, options: WorkspaceShareOptions, change: { actor: Actor; at: Date }, publicUrl: string,
): Promise<{ url: string; expires_at: string }> {
  const { from, to } = resolvePeriod(options, change.at);
  const expiresAt = expiryOf(options, change.at);
  const token = await signWorkspaceShareToken(await getSigningSecret(db), { from, to, channel: options.channel, expiresAt, lang: options.lang });
  const expires_at = expiresAt.toISOString();
  await writeAudit(db, {
    actor: change.actor, action: 'report.shared', subject: 'workspace',
    details: { from: from.toISOString(), to: to.toISOString(), channel: options.channel ?? null, expires_at, lang: options.lang ?? null },
  }, change.at);
  return { url: `${publicUrl}/reports/workspace/shared/${token}`, expires_at };
}

/** The claims of a workspace share token still valid at `now`, or undefined (tampered, foreign, expired, or the secret rotated). */
export function openWorkspaceShareLink(db: Executor, token: string, now: Date): Promise<WorkspaceShareClaims | undefined> {
  return withRecentSecret(db, (secret) => verifyWorkspaceShareToken(secret, token, now));
}
