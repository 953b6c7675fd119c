// The in-process sender: claim a batch of pending messages, check each again (address, suppression, consent: the
// hold-back definition the launch used; then quiet hours and pressure caps), hand it to its channel's transport,
// record the outcome. Claiming flips pending → sending atomically, with a lease, so two senders never send one message
// twice; a batch whose sender died is taken back when its lease is over (SEND_LEASE_SECONDS). A batch's messages go
// SEND_CONCURRENCY at a time, and what the transport accepted is recorded in one statement per batch: a sender killed
// before it leaves its whole batch to the lease, and what it had handed over is sent again.
//
// The sender claims only while its campaign is `sending`: a pause or a cancel stops it after the batch in hand. A
// retryable failure waits its backoff in `not_before` (send-policy.ts); past SEND_PAUSE_ERROR_RATE of failures the
// campaign pauses itself, and a transport that refuses everything (TransportPausedError) pauses every campaign of its
// channel. Either way the rest of the batch is given back, unsent. Hand-overs keep to the transport's send rate,
// shared by all senders (delivery/send-rate.ts): the sender waits for tokens, and throttling slows everyone down.
import { handOver, RetryableSendError, sendersFrom, smsSegments, TransportPausedError, type SendableChannel } from '../channels/index.js';
import { addressOf, defaultCountry } from '../contacts/index.js';
import {
  cancelPending, claimPending, hasUnfinished, isThrottling, markMessage, markSent, recipientsAtHandOver, recoverExpiredClaims, releaseClaims, SendPacer,
  type IdRange, type RecipientRow, type SentOutcome,
} from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { getSigningSecret, signedLink, signReplyAddress } from '../links/index.js';
import {
  capsFor, contactFrequencies, createHolidayCalendar, nextOpening, pressureRules, quietHoursRules, releaseSlot, reserveSlot, type Priority,
} from '../pressure/index.js';
import type { FrozenContent } from '../templates/index.js';
import { instrumentMessage, instrumentSms } from '../tracking/index.js';
import { findCampaign, pauseSendingCampaigns, setCampaignStatus } from './campaigns.repository.js';
import { targetOf } from './preview.service.js';
import { renderForRecipient } from './render-message.js';
import { ErrorRate, MAX_ATTEMPTS, retryDelayMs } from './send-policy.js';

type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;
type Claimed = Awaited<ReturnType<typeof claimPending>>[number];

/** What a sender keeps across batches: the signing secret, the rules, the error rate, the transport's pace. */
export interface SenderContext {
  secret: string;
  caps: Awaited<ReturnType<typeof pressureRules>>;
  quiet: Awaited<ReturnType<typeof quietHoursRules>>;
  isHoliday: ReturnType<typeof createHolidayCalendar>;
  errors: ErrorRate;
  pacer?: SendPacer;
}

export async function openSender(deps: Deps): Promise<SenderContext> {
  const [secret, caps, quiet] = await Promise.all([getSigningSecret(deps.db), pressureRules(deps.db), quietHoursRules(deps.db)]);
  return { secret, caps, quiet, isHoliday: createHolidayCalendar(), errors: new ErrorRate(deps.config.sendPauseErrorRate) };
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
  const batch = await claimPending(db, campaignId, sender.pacer.batchSize(config.sendBatchSize), clock(), config.sendLeaseMs, range);
  if (!batch.length) return 'empty';
  return sendBatch(deps, sender, campaign, batch);
}

async function sendBatch(deps: Deps, sender: SenderContext, campaign: Campaign, batch: Claimed[]): Promise<BatchOutcome> {
  const { db, clock, config } = deps;
  const campaignId = Number(campaign.id);
  const { secret, caps, quiet, isHoliday, errors } = sender;
  const target = targetOf(campaign);
  const channel = target.channel as SendableChannel;
  const marketing = target.kind === 'marketing';
  const contactIds = batch.flatMap((m) => (m.contact_id == null ? [] : [Number(m.contact_id)]));
  // Read now, not at launch: a corrected address is used, and an opt-out committed after launch stops every
  // message not yet handed over.
  const [recipients, frequencies] = await Promise.all([
    recipientsAtHandOver(db, target, contactIds, clock()),
    contactFrequencies(db, contactIds, channel),
  ]);
  let retryLater = false;
  // The batch is handed over SEND_CONCURRENCY messages at a time, each checked, capped and paced on its own. What the
  // transport accepted is recorded once for the batch (markSent); a stop (a pause, the error rate) lets the messages
  // in flight finish and gives back those not started.
  const sent: SentOutcome[] = [];
  const unsent: number[] = [];
  let halt: (() => Promise<number[]>) | undefined;
  const pace = sender.pacer!;
  let paced = Promise.resolve();
  const sendOne = async (message: Claimed, index: number) => {
    const recipient = message.contact_id == null ? undefined : recipients.get(Number(message.contact_id));
    const skip = (skip_reason: string, extra: { capped_by?: string } = {}) => markMessage(db, message.id, { status: 'skipped', skip_reason, ...extra }, clock());
    if (!recipient) return skip('contact_deleted');
    if (recipient.reason) return skip(recipient.reason);
    // Present: the hold-back reason would be no_address otherwise.
    const address = addressOf(recipient, channel)!;
    if (marketing) {
      const now = clock();
      const country = defaultCountry(recipient.locale, (recipient.address as { country?: string } | null)?.country);
      const opening = nextOpening(quiet, channel, recipient.timezone, country, now, isHoliday);
      if (opening) return defer(deps, campaign, message, opening, 'quiet_hours');
      const slot = await reserveSlot(
        db,
        { messageId: message.id, contactId: recipient.id, channel, topicId: Number(campaign.topic_id), timezone: recipient.timezone, priority: campaign.priority as Priority },
        capsFor(caps, channel, frequencies.get(recipient.id)),
        now,
        { needReopen: campaign.on_cap === 'defer' },
      );
      if (!slot.ok && slot.unsubscribed) return skip('unsubscribed');
      if (!slot.ok) {
        if (campaign.on_cap === 'defer') return defer(deps, campaign, message, slot.reopensAt, 'capped', slot.rule);
        return skip('capped', { capped_by: slot.rule });
      }
    }
    // One taker at a time, so that the pacer's tokens are taken for what is left of the batch, never twice over.
    const turn = paced.then(() => pace.next(batch.length - index));
    paced = turn.catch(() => undefined);
    await turn;
    // Stopped while this one waited for its turn: it goes back with the rest, its cap slot given back.
    if (halt) {
      if (marketing) await releaseSlot(db, message.id);
      unsent.push(message.id);
      return;
    }
    try {
      const providerMessageId = await deliver(deps, campaign, channel, recipient, { ...message, address }, secret);
      sent.push({ id: message.id, address, provider_message_id: providerMessageId, at: clock() });
      errors.record(false);
    } catch (err) {
      const error = String((err as Error).message).slice(0, 1000);
      if (err instanceof TransportPausedError) {
        // Nothing was sent: this message and the rest of the batch wait for a resume, and so does every campaign
        // of the channel. The cap slot is given back, a pause may last days.
        await releaseSlot(db, message.id);
        unsent.push(message.id);
        halt = () => pauseSendingCampaigns(db, channel, `transport: ${error}`, clock());
        return;
      }
      if (isThrottling(err)) await pace.throttled();
      const retryable = err instanceof RetryableSendError && message.attempts < MAX_ATTEMPTS;
      if (retryable) {
        // Not before its backoff; it keeps its cap slot, and is no longer held by an earlier deferral's cap.
        const notBefore = new Date(clock().getTime() + retryDelayMs(message.attempts));
        await markMessage(db, message.id, { status: 'pending', address, error, not_before: notBefore, capped_by: null }, clock());
        retryLater = true;
        return;
      }
      // A message that was never delivered gives its cap slot back.
      await releaseSlot(db, message.id);
      await markMessage(db, message.id, { status: 'failed', address, error }, clock());
      errors.record(true);
      const reason = errors.exceeded();
      if (reason) halt ??= () => pauseWith(deps, campaignId, reason);
    }
  };
  let started = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!halt && !failure && started < batch.length) {
      const index = started++;
      try {
        await sendOne(batch[index], index);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.sendConcurrency, batch.length) }, worker));
  // Recorded before anything else: a stop gives back only what is still `sending`.
  await markSent(db, sent);
  if (failure) throw failure.err;
  if (halt) {
    await stop(deps, campaignId, [...unsent, ...batch.slice(started).map((m) => m.id)], halt);
    return 'stopped';
  }
  return retryLater ? 'retry_later' : 'sent';
}

/**
 * Stops mid-batch: the claims not handed over go back to pending first, then `pause` pauses the campaign (and maybe
 * others) and says which. Had the campaign been cancelled in between, what went back is cancelled too.
 */
async function stop(deps: Deps, campaignId: number, unsent: number[], pause: () => Promise<number[]>) {
  await releaseClaims(deps.db, unsent, deps.clock());
  if ((await pause()).includes(campaignId)) return;
  if ((await findCampaign(deps.db, campaignId))?.status === 'cancelled') await cancelPending(deps.db, campaignId, deps.clock());
}

async function pauseWith(deps: Deps, campaignId: number, reason: string): Promise<number[]> {
  return (await setCampaignStatus(deps.db, campaignId, ['sending'], 'paused', deps.clock(), { reason })) ? [campaignId] : [];
}

/** Holds a message until `until`, unless that is past the campaign's deadline: then it is skipped. */
async function defer(deps: Deps, campaign: Campaign, message: Claimed, until: Date, reason: 'quiet_hours' | 'capped', rule?: string) {
  const deadline = campaign.deadline ? new Date(campaign.deadline) : undefined;
  if (deadline && until > deadline) {
    await markMessage(deps.db, message.id, { status: 'skipped', skip_reason: reason === 'capped' ? 'capped' : 'deadline', capped_by: rule }, deps.clock());
    return;
  }
  // capped_by names the cap only while a cap is what holds the message. The claim was no hand-over: not an attempt.
  await markMessage(deps.db, message.id, { status: 'pending', not_before: until, capped_by: rule ?? null, uncountAttempt: true }, deps.clock());
}

async function deliver(deps: Deps, campaign: Campaign, channel: SendableChannel, recipient: RecipientRow, message: Claimed & { address: string }, secret: string): Promise<string> {
  const { config } = deps;
  const marketing = campaign.kind !== 'transactional';
  const claims = { contactId: recipient.id, messageId: message.public_id, topicId: Number(campaign.topic_id) };
  const unsubscribeUrl = marketing ? await signedLink(secret, config.publicUrl, { purpose: 'unsubscribe', ...claims }) : '';
  const preferencesUrl = await signedLink(secret, config.publicUrl, { purpose: 'preferences', ...claims });
  // The variant frozen at launch for this recipient's language. A template that cannot be merged for this recipient
  // throws: this message fails, the campaign goes on.
  const content = renderForRecipient(deps, { ...campaign, channel }, recipient, {
    content: campaign.content as unknown as FrozenContent, links: { unsubscribe_url: unsubscribeUrl, preferences_url: preferencesUrl },
  });
  // Email links go through /t/c (recorded for this message before it leaves), with the honeypot, and the open pixel
  // in marketing email unless the campaign switched it off. Marketing SMS links are shortened to /s/{code}, which
  // changes the length: the segments are counted again. Transactional SMS links stay as written: a short code can be
  // guessed, and they may carry a secret (a reset link).
  const tracked = { id: Number(message.id), publicId: message.public_id, campaignId: Number(campaign.id) };
  if ('html' in content) {
    content.html = await instrumentMessage(deps.db, secret, config.publicUrl, tracked, content.html, { trackOpens: marketing && campaign.track_opens });
  } else if (marketing) {
    content.text = await instrumentSms(deps.db, config.publicUrl, tracked, content.text);
    Object.assign(content, smsSegments(content.text));
  }
  const toName = [recipient.first_name, recipient.last_name].filter(Boolean).join(' ') || undefined;
  // With REPLY_DOMAIN, a reply to a marketing email goes to an address naming its message (inbound links it).
  const replyTo = marketing && 'html' in content && config.replyDomain ? `${await signReplyAddress(secret, message.public_id)}@${config.replyDomain}` : undefined;
  const result = await handOver(deps.transports, channel, content, {
    messageId: message.public_id, to: message.address, toName, unsubscribeUrl: marketing ? unsubscribeUrl : undefined, ...(replyTo ? { replyTo } : {}),
  }, sendersFrom(config));
  return result.providerMessageId;
}
