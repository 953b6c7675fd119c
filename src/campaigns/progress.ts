// How far a campaign has gone: counts from the ledger's tally, the sending rate over the last minutes, the time left.
import type { Tally } from '../delivery/index.js';

/** The rate counts the messages sent over this long (or since the launch, if later). */
export const RATE_WINDOW_MS = 5 * 60_000;

export interface CampaignProgress {
  /** Messages the senders are done with: sent, or failed. */
  handed_over: number;
  /** Messages still to go: pending (deferred and retrying included) or in a sender's hands. */
  remaining: number;
  /** Messages sent per minute over the window, to one decimal. */
  rate_per_minute: number;
  /** remaining / rate; null when nothing was sent in the window or the campaign is not sending. */
  eta_seconds: number | null;
}

/** Where the rate's window starts at `at`: RATE_WINDOW_MS before, or the launch if later. */
export function progressWindowStart(campaign: { launched_at: Date | string | null }, at: Date): Date {
  const back = at.getTime() - RATE_WINDOW_MS;
  return new Date(campaign.launched_at ? Math.max(back, new Date(campaign.launched_at).getTime()) : back);
}

/** `t` must count the messages sent since `since` (campaignOutcomes' sentSince). */
export function progressOf(campaign: { status: string }, t: Tally, since: Date, at: Date): CampaignProgress {
  const remaining = t.status.pending + t.status.sending;
  const minutes = (at.getTime() - since.getTime()) / 60_000;
  const rate = minutes > 0 ? t.sent_recently / minutes : 0;
  return {
    handed_over: t.status.sent + t.status.failed,
    remaining,
    rate_per_minute: Math.round(rate * 10) / 10,
    eta_seconds: campaign.status === 'sending' && rate > 0 ? Math.ceil((remaining / rate) * 60) : null,
  };
}
