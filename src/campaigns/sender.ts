// The sender: claim a batch of pending messages and send it (send-batch.ts: checked again, capped, rendered, handed
// over, recorded, per batch). Claiming flips pending → sending atomically, with a lease, so two senders never send one
// message twice; a batch whose sender died is taken back when its lease is over (SEND_LEASE_SECONDS).
//
// The sender claims only while its campaign is `sending`: a pause or a cancel stops it after the batch in hand. A
// retryable failure waits its backoff in `not_before` (send-policy.ts); past SEND_PAUSE_ERROR_RATE of failures the
// campaign pauses itself, and a transport that refuses everything (TransportPausedError) pauses every campaign of its
// channel. Either way the rest of the batch is given back, unsent. Hand-overs keep to the transport's send rate,
// shared by all senders (delivery/send-rate.ts): the sender waits for tokens, and throttling slows everyone down.
import type { SendableChannel } from '../channels/index.js';
import { cancelPending, claimPending, hasUnfinished, recoverExpiredClaims, releaseClaims, SendPacer, type IdRange } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { getSigningSecret } from '../links/index.js';
import { createHolidayCalendar, pressureRules, quietHoursRules } from '../pressure/index.js';
import { findCampaign, setCampaignStatus } from './campaigns.repository.js';
import { targetOf } from './preview.service.js';
import { sendBatch, type Halt } from './send-batch.js';
import { ErrorRate } from './send-policy.js';

/** What a sender keeps across batches: the signing secret, the rules, the error rate, the transport's pace. */
export interface SenderContext {
  secret: string;
  caps: Awaited<ReturnType<typeof pressureRules>>;
  quiet: Awaited<ReturnType<typeof quietHoursRules>>;
  isHoliday: ReturnType<typeof createHolidayCalendar>;
  errors: ErrorRate;
  pacer?: SendPacer;
  /**
   * Per campaign, the last message id this sender claimed. Claims start after it: the pending index's first entries
   * are those already sent (dead until a vacuum), and scanning past them made every claim slower as a big campaign
   * went on (0.7 s a claim at 150,000 of a million). What went back to pending below it (a retry, a deferral, a claim
   * taken back) is found when a claim after it finds nothing, and the claim starts again from the beginning.
   */
  cursors: Map<number, number>;
}

export async function openSender(deps: Deps): Promise<SenderContext> {
  const [secret, caps, quiet] = await Promise.all([getSigningSecret(deps.db), pressureRules(deps.db), quietHoursRules(deps.db)]);
  return { secret, caps, quiet, isHoliday: createHolidayCalendar(), errors: new ErrorRate(deps.config.sendPauseErrorRate), cursors: new Map() };
}

/** The Node sender: batch after batch until nothing is left to claim, or the campaign stops sending. */
export async function sendCampaign(deps: Deps, campaignId: number): Promise<void> {
  const sender = await openSender(deps);
  for (;;) {
    const outcome = await sendNextBatch(deps, sender, campaignId);
    if (outcome === 'stopped') return;
    if (outcome === 'empty') {
      // Nothing left to claim: what a dead sender held past its lease is taken back and sent.
      if (await recoverExpiredClaims(deps.db, campaignId, deps.clock())) continue;
      await finishIfDone(deps, campaignId);
      return;
    }
    // The provider is throttling: back off before claiming again.
    if (outcome === 'retry_later') await deps.sleep(1000);
  }
}

/** A campaign with nothing pending or sending left is `sent`. */
export async function finishIfDone(deps: Deps, campaignId: number) {
  if (!(await hasUnfinished(deps.db, campaignId))) await setCampaignStatus(deps.db, campaignId, ['sending'], 'sent', deps.clock());
}

/**
 * What one batch came to: `sent` (handed over, more may be left), `retry_later` (the transport asked to slow down),
 * `empty` (nothing due to claim, in `range` if given) or `stopped` (the campaign is no longer sending, or stopped itself).
 */
export type BatchOutcome = 'sent' | 'retry_later' | 'empty' | 'stopped';

/**
 * Claims one batch of the campaign's due messages (within `range`: a queued batch descriptor's stretch of the ledger)
 * and sends it. Node's loop and the Worker's queue consumer both send through here.
 */
export async function sendNextBatch(deps: Deps, sender: SenderContext, campaignId: number, range?: IdRange): Promise<BatchOutcome> {
  const { db, clock, config } = deps;
  const campaign = await findCampaign(db, campaignId);
  if (!campaign || campaign.status !== 'sending') {
    // A retry this sender recorded as the campaign was being cancelled: cancelled with the rest.
    if (campaign?.status === 'cancelled') await cancelPending(db, campaignId, clock());
    return 'stopped';
  }
  const target = targetOf(campaign);
  const channel = target.channel as SendableChannel;
  sender.pacer ??= await SendPacer.create(deps, channel);
  const size = sender.pacer.batchSize(config.sendBatchSize);
  const cursor = sender.cursors.get(campaignId);
  const after = range ?? (cursor === undefined ? undefined : { fromId: cursor + 1, toId: Number.MAX_SAFE_INTEGER });
  let batch = await claimPending(db, campaignId, size, clock(), config.sendLeaseMs, after);
  if (!batch.length && !range && cursor !== undefined) {
    sender.cursors.delete(campaignId);
    batch = await claimPending(db, campaignId, size, clock(), config.sendLeaseMs);
  }
  if (!batch.length) return 'empty';
  if (!range) sender.cursors.set(campaignId, Math.max(...batch.map((m) => Number(m.id))));
  const { outcome, halt, unsent } = await sendBatch(deps, sender, campaign, batch);
  if (halt) await stop(deps, campaignId, unsent, halt);
  return outcome;
}

/**
 * Stops mid-batch: the claims not handed over go back to pending first, then `pause` pauses the campaign (and maybe
 * others) and says which. Had the campaign been cancelled in between, what went back is cancelled too.
 */
async function stop(deps: Deps, campaignId: number, unsent: number[], pause: Halt) {
  await releaseClaims(deps.db, unsent, deps.clock());
  if ((await pause()).includes(campaignId)) return;
  if ((await findCampaign(deps.db, campaignId))?.status === 'cancelled') await cancelPending(deps.db, campaignId, deps.clock());
}
