// One claimed batch, sent in steps that each cost a statement or two for the whole batch, not per message:
// 1. the gate: the recipients read again (address, suppression, consent), then quiet hours, in memory;
// 2. the caps: one reservation for the batch (pressure's reserveSlots), atomic per contact;
// 3. rendering, and the batch's tracked links recorded in one statement before any message leaves;
// 4. the hand-overs, SEND_CONCURRENCY at a time, at the transport's shared pace, the recipients read once more when the
//    last read is FRESH_MS old (an opt-out during the batch), the sent recorded every RECORD_EVERY;
// 5. the outcomes: the rest of the sent in one statement, every other change in one, the cap slots given back in one.
// Until recorded the messages stay `sending` under their lease: a sender killed leaves them to be taken back, and what
// it had handed over but not recorded is sent again (the measured duplicate window).
import { deliversInBatches, handOver, isSegmented, placedForAgents, postsToEndpoint, RetryableSendError, sendersFrom, smsSegments, TransportPausedError, type CallContent, type EmailContent, type SendableChannel, type TransportChannel } from '../channels/index.js';
import { addressOf, defaultCountry } from '../contacts/index.js';
import {
  findEndpoint, isThrottling, markMessages, markSent, payloadContact, recipientsAtHandOver, visibleContact, type claimPending, type MessageChange, type RecipientRow, type SentOutcome,
} from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { signedLink, signReplyAddress } from '../links/index.js';
import { capsFor, contactFrequencies, nextOpening, releaseSlots, reserveSlots, type Priority } from '../pressure/index.js';
import { instrumentSms, recordMessageLinks, trackHtml, type MessageLinks } from '../tracking/index.js';
import { contentOfVariant } from './ab-variants.js';
import { pauseSendingCampaigns, setCampaignStatus, type findCampaign } from './campaigns.repository.js';
import { targetOf } from './preview.service.js';
import { renderForRecipient } from './render-message.js';
import { placeOnCallList } from './place-calls.js';
import { sendLetters } from './send-letters.js';
import { MAX_ATTEMPTS, retryDelayMs } from './send-policy.js';
import type { BatchOutcome, SenderContext } from './sender.js';

export type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;
export type Claimed = Awaited<ReturnType<typeof claimPending>>[number];
type Change = MessageChange & { id: number };

/** How old the last read of a batch's recipients may be when a hand-over starts (an opt-out during the batch). */
export const FRESH_MS = 250;
/**
 * Hand-overs recorded as sent at a time, within a batch, one record at a time while the hand-overs go on: a killed
 * sender's duplicates are at most twice (RECORD_EVERY + SEND_CONCURRENCY), a record in progress and what followed it.
 */
export const RECORD_EVERY = 100;

/** What makes a batch stop early: it pauses its campaign (or every campaign of the channel) and says which. */
export type Halt = () => Promise<number[]>;

interface Ready {
  message: Claimed;
  recipient: RecipientRow;
  address: string;
}

/**
 * Sends a claimed batch. Returns what it came to, and `halt` when it stopped early: the caller gives back `unsent`
 * (claims never handed over), then halts.
 */
export async function sendBatch(
  deps: Deps, sender: SenderContext, campaign: Campaign, batch: Claimed[],
): Promise<{ outcome: BatchOutcome; halt?: Halt; unsent: number[] }> {
  const { db, clock, config } = deps;
  const target = targetOf(campaign);
  const channel = target.channel as SendableChannel;
  const marketing = target.kind === 'marketing';
  const contactIds = batch.flatMap((m) => (m.contact_id == null ? [] : [Number(m.contact_id)]));
  // Read now, not at launch: a corrected address is used, and an opt-out committed after launch stops every
  // message not yet handed over.
  const gateReadAt = performance.now();
  const [recipients, frequencies] = await Promise.all([
    recipientsAtHandOver(db, target, contactIds, clock()),
    marketing ? contactFrequencies(db, contactIds, channel) : Promise.resolve(new Map()),
  ]);
  const changes: Change[] = [];
  // A skipped message gives back any cap slot an earlier attempt of it took (a retry, then an opt-out).
  const released: number[] = [];
  const skip = (m: Claimed, skip_reason: string, capped_by?: string) => {
    changes.push({ id: m.id, status: 'skipped', skip_reason, ...(capped_by ? { capped_by } : {}) });
    released.push(m.id);
  };
  const now = clock();
  const defer = deferral(campaign, changes, skip);

  // 1. The gate.
  let ready: Ready[] = [];
  for (const message of batch) {
    const recipient = message.contact_id == null ? undefined : recipients.get(Number(message.contact_id));
    if (!recipient) skip(message, 'contact_deleted');
    else if (recipient.reason) skip(message, recipient.reason);
    else {
      const country = defaultCountry(recipient.locale, (recipient.address as { country?: string } | null)?.country);
      const opening = marketing ? nextOpening(sender.quiet, channel, recipient.timezone, country, now, sender.isHoliday) : undefined;
      // Present: the hold-back reason would be no_address otherwise.
      if (opening) defer(message, opening, 'quiet_hours');
      else ready.push({ message, recipient, address: addressOf(recipient, channel)! });
    }
  }

  // 2. The caps, for the whole batch.
  if (marketing && ready.length) {
    const verdicts = await reserveSlots(
      db,
      { channel, priority: campaign.priority as Priority, needReopen: campaign.on_cap === 'defer' },
      ready.map((r) => ({
        messageId: r.message.id, contactId: r.recipient.id, topicId: Number(campaign.topic_id), timezone: r.recipient.timezone,
        caps: capsFor(sender.caps, channel, frequencies.get(r.recipient.id)),
      })),
      now,
    );
    ready = ready.filter(({ message }) => {
      const verdict = verdicts.get(message.id)!;
      if (verdict.ok) return true;
      if (verdict.unsubscribed) skip(message, 'unsubscribed');
      else if (campaign.on_cap === 'defer') defer(message, verdict.reopensAt, 'capped', verdict.rule);
      else skip(message, 'capped', verdict.rule);
      return false;
    });
  }

  // 3. Rendering; the links are recorded before anything leaves. A template that cannot be merged for a recipient
  // fails that message (its slot given back); the campaign goes on.
  let halt: Halt | undefined;
  const fail = (r: Ready, err: unknown) => {
    changes.push({ id: r.message.id, status: 'failed', address: r.address, error: String((err as Error).message).slice(0, 1000) });
    released.push(r.message.id);
    sender.errors.record(true);
  };
  const prepared: Array<Ready & { content: Awaited<ReturnType<typeof renderMessage>>['content']; unsubscribeUrl: string; replyTo?: string }> = [];
  const links: MessageLinks[] = [];
  // A webhook campaign posts to its endpoint (kept by a foreign key while the campaign names it), and its messages
  // show only the endpoint's fields of the contact.
  const endpoint = postsToEndpoint(channel) ? await findEndpoint(db, Number(campaign.endpoint_id)) : undefined;
  if (postsToEndpoint(channel) && !endpoint) throw new Error(`campaign ${campaign.id}: its webhook endpoint ${campaign.endpoint_id} is gone`);
  for (const r of ready) {
    try {
      const rendered = await renderMessage(deps, sender.secret, campaign, channel, endpoint ? { ...r, recipient: visibleContact(endpoint, r.recipient) } : r);
      if (rendered.links) links.push(rendered.links);
      prepared.push({ ...r, ...rendered });
    } catch (err) {
      fail(r, err);
    }
  }
  await recordMessageLinks(db, links);

  // 4. The hand-overs. A stop (a pause, the error rate) lets those in flight finish and gives back those not started.
  const sent: SentOutcome[] = [];
  let recorded = 0;
  const unsent: number[] = [];
  let retryLater = false;
  let paced = Promise.resolve();
  const pace = sender.pacer!;
  // An opt-out (or a suppression) committed while the batch is handed over stops the messages not yet started: a
  // hand-over starting more than FRESH_MS after the last read reads the rest of the batch's recipients again, in one
  // query. A fast transport hands a whole batch over within one read; a slow one reads a few times a second.
  let fresh = { at: gateReadAt, read: Promise.resolve(recipients) };
  const current = () => {
    if (performance.now() - fresh.at >= FRESH_MS) {
      fresh = { at: performance.now(), read: recipientsAtHandOver(db, target, prepared.map((p) => p.recipient.id), clock()) };
    }
    return fresh.read;
  };
  // What was handed over is recorded every RECORD_EVERY messages, not only at the end of the batch, one record at a
  // time: a sender killed mid-batch sends again what a record in progress held and what followed it, whatever the
  // batch size. A record that fails keeps its messages for the last one (step 5).
  let recording: Promise<void> | undefined;
  const unrecorded: SentOutcome[] = [];
  const record = async () => {
    while (recording) await recording;
    const next = [...unrecorded.splice(0), ...sent.slice(recorded)];
    recorded = sent.length;
    if (!next.length) return;
    recording = markSent(db, next).catch((err: unknown) => {
      unrecorded.push(...next);
      throw err;
    }).finally(() => {
      recording = undefined;
    });
    await recording;
  };
  // A hand-over that failed: the whole batch stops (the transport paused), or the message waits for a retry, or it
  // failed for good (its cap slot given back).
  const failed = async (p: (typeof prepared)[number], err: unknown) => {
    const error = String((err as Error).message).slice(0, 1000);
    if (err instanceof TransportPausedError) {
      // Nothing was sent: this message and the rest of the batch wait for a resume, and so does every campaign of
      // the channel. The cap slot is given back, a pause may last days.
      unsent.push(p.message.id);
      halt = () => pauseSendingCampaigns(db, channel, `transport: ${error}`, clock());
      return;
    }
    if (isThrottling(err)) await pace.throttled();
    if (err instanceof RetryableSendError && p.message.attempts < MAX_ATTEMPTS) {
      // Not before its backoff; it keeps its cap slot, and is no longer held by an earlier deferral's cap.
      const notBefore = new Date(clock().getTime() + retryDelayMs(p.message.attempts));
      changes.push({ id: p.message.id, status: 'pending', address: p.address, error, not_before: notBefore, capped_by: null });
      retryLater = true;
      return;
    }
    // A message that was never delivered gives its cap slot back.
    fail(p, err);
    const reason = sender.errors.exceeded();
    if (reason) halt ??= pauseWith(deps, Number(campaign.id), reason);
  };
  const handOverOne = async (p: (typeof prepared)[number], index: number) => {
    // One taker at a time, so that the pacer's tokens are taken for what is left of the batch, never twice over.
    const turn = paced.then(() => pace.next(prepared.length - index));
    paced = turn.catch(() => undefined);
    await turn;
    // Stopped while this one waited for its turn: it goes back with the rest, its cap slot given back.
    if (halt) {
      unsent.push(p.message.id);
      return;
    }
    const now = (await current()).get(p.recipient.id);
    if (halt) {
      unsent.push(p.message.id);
      return;
    }
    if (!now || now.reason) return skip(p.message, now?.reason ?? 'contact_deleted');
    try {
      const toName = [p.recipient.first_name, p.recipient.last_name].filter(Boolean).join(' ') || undefined;
      const result = await handOver(deps.transports, channel as TransportChannel, p.content as never, {
        messageId: p.message.public_id, to: p.address, toName, unsubscribeUrl: marketing ? p.unsubscribeUrl : undefined, ...(p.replyTo ? { replyTo: p.replyTo } : {}),
        ...(endpoint ? { webhook: { url: endpoint.url, secret: endpoint.secret, contact: payloadContact(endpoint, p.recipient as unknown as Record<string, unknown>), campaign: { id: Number(campaign.id), name: campaign.name } } } : {}),
      }, sendersFrom(config));
      const cost = 'segments' in p.content ? { sms_encoding: p.content.encoding, sms_segments: p.content.segments } : {};
      sent.push({ id: p.message.id, address: p.address, provider_message_id: result.providerMessageId, at: clock(), ...cost });
      sender.errors.record(false);
    } catch (err) {
      await failed(p, err);
    }
  };
  let started = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!halt && !failure && started < prepared.length) {
      const index = started++;
      try {
        await handOverOne(prepared[index], index);
        // Past RECORD_EVERY unrecorded, a hand-over waits for the record in progress, then records: never more than two
        // records' worth unrecorded.
        if (sent.length - recorded >= RECORD_EVERY) await record();
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  if (deliversInBatches(channel)) {
    // Postal: the whole batch printed as one, once its recipients are read again.
    started = prepared.length;
    const letters = await sendLetters(deps, sender.secret, campaign, prepared.map((p) => ({ ...p, content: p.content as EmailContent })), current, (l, reason) => skip(l.message as Claimed, reason));
    if (letters.error) for (const p of prepared.filter((p) => letters.handedOver.some((l) => l.message.id === p.message.id))) await failed(p, letters.error);
    else sent.push(...letters.sent);
    for (let i = 0; i < letters.sent.length; i++) sender.errors.record(false);
  } else if (placedForAgents(channel)) {
    // Calls: placed on the call list for agents, once their recipients are read again.
    started = prepared.length;
    sent.push(...(await placeOnCallList(deps, Number(campaign.id), prepared.map((p) => ({ ...p, content: p.content as CallContent })), current, (c, reason) => skip(c.message as Claimed, reason))));
  } else {
    await Promise.all(Array.from({ length: Math.min(config.sendConcurrency, prepared.length) }, worker));
  }
  const notStarted = prepared.slice(started).map((p) => p.message.id);
  // Messages that could not be rendered count as failures too: too many, and the campaign pauses.
  const reason = !halt && prepared.length < ready.length ? sender.errors.exceeded() : undefined;
  if (reason) halt = pauseWith(deps, Number(campaign.id), reason);

  // 5. The outcomes. The sent first: a stop gives back only what is still `sending`.
  await record();
  await markMessages(db, changes, clock());
  if (marketing) await releaseSlots(db, [...released, ...unsent, ...notStarted]);
  if (failure) throw failure.err;
  if (halt) return { outcome: 'stopped', halt, unsent: [...unsent, ...notStarted] };
  return { outcome: retryLater ? 'retry_later' : 'sent', unsent: [] };
}

function pauseWith(deps: Deps, campaignId: number, reason: string): Halt {
  return async () => ((await setCampaignStatus(deps.db, campaignId, ['sending'], 'paused', deps.clock(), { reason })) ? [campaignId] : []);
}

/** Holds a message until `until`, unless that is past the campaign's deadline: then it is skipped. */
function deferral(campaign: Campaign, changes: Change[], skip: (m: Claimed, reason: string, cappedBy?: string) => void) {
  const deadline = campaign.deadline ? new Date(campaign.deadline) : undefined;
  return (message: Claimed, until: Date, reason: 'quiet_hours' | 'capped', rule?: string) => {
    if (deadline && until > deadline) return skip(message, reason === 'capped' ? 'capped' : 'deadline', rule);
    // capped_by names the cap only while a cap is what holds the message. The claim was no hand-over: not an attempt.
    changes.push({ id: message.id, status: 'pending', not_before: until, capped_by: rule ?? null, uncountAttempt: true });
  };
}

/**
 * A message as it leaves: the recipient's variant merged, its unsubscribe and preference links signed, its links
 * tracked. Email links go through /t/c (recorded by the caller before it leaves), with the honeypot, and the open
 * pixel in marketing email unless the campaign switched it off. Marketing SMS links are shortened to /s/{code}, which
 * changes the length: the segments are counted again. Transactional SMS links stay as written: a short code can be
 * guessed, and they may carry a secret (a reset link).
 */
async function renderMessage(deps: Deps, secret: string, campaign: Campaign, channel: SendableChannel, r: Ready) {
  const { config } = deps;
  const { message, recipient } = r;
  const marketing = campaign.kind !== 'transactional';
  const claims = { contactId: recipient.id, messageId: message.public_id, topicId: Number(campaign.topic_id) };
  const unsubscribeUrl = marketing ? await signedLink(secret, config.publicUrl, { purpose: 'unsubscribe', ...claims }) : '';
  const preferencesUrl = await signedLink(secret, config.publicUrl, { purpose: 'preferences', ...claims });
  // The variant frozen at launch for this recipient's language (and A/B variant). A template that cannot be merged
  // for this recipient throws.
  const content = renderForRecipient(deps, { ...campaign, channel }, recipient, {
    content: contentOfVariant(campaign.content as never, message.variant), links: { unsubscribe_url: unsubscribeUrl, preferences_url: preferencesUrl },
  });
  const tracked = { id: Number(message.id), publicId: message.public_id, campaignId: Number(campaign.id) };
  let links: MessageLinks | undefined;
  // Paper has no links to follow: a letter's response is its reply coupon.
  if ('html' in content && !deliversInBatches(channel)) {
    ({ html: content.html, links } = await trackHtml(secret, config.publicUrl, tracked, content.html, { trackOpens: marketing && campaign.track_opens }));
  } else if (marketing && isSegmented(channel)) {
    content.text = await instrumentSms(deps.db, config.publicUrl, tracked, content.text);
    Object.assign(content, smsSegments(content.text));
  }
  // With REPLY_DOMAIN, a reply to a marketing email goes to an address naming its message (inbound links it).
  const replyTo = marketing && 'html' in content && !deliversInBatches(channel) && config.replyDomain ? `${await signReplyAddress(secret, message.public_id)}@${config.replyDomain}` : undefined;
  return { content, links, unsubscribeUrl, replyTo };
}
