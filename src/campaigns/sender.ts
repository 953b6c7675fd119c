// The in-process sender: claim a batch of pending messages, check each against consent, suppression,
// quiet hours and pressure caps, hand it to its transport, record the outcome.
// Claiming flips pending → sending atomically, so two senders (or two launches) never send one message twice.
import type { Deps } from '../deps.js';
import { RetryableSendError } from '../channels/types.js';
import { getSigningSecret } from '../consent/settings.repository.js';
import { signToken } from '../consent/tokens.js';
import { capsFor, pressureRules, quietHoursRules, reserveSlot } from '../consent/pressure.service.js';
import { getContactPreferences, uncountMessage } from '../consent/pressure.repository.js';
import { suppressedSet } from '../consent/suppression.repository.js';
import type { Priority } from '../consent/pressure.rules.js';
import { createHolidayCalendar, nextOpening } from '../consent/quiet-hours.js';
import { findContactsForMerge } from '../contacts/contacts.repository.js';
import { defaultCountry } from '../contacts/contact-fields.js';
import { mergeData, type MergeContact } from '../templates/merge-data.js';
import { renderContent, type RenderableContent } from '../templates/templates.service.js';
import {
  claimPending, findCampaign, hasUnfinished, markMessage, setCampaignStatus, stillSubscribed,
} from './campaigns.repository.js';

const MAX_ATTEMPTS = 5;

type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;
type Claimed = Awaited<ReturnType<typeof claimPending>>[number];

export async function sendCampaign(deps: Deps, campaignId: number): Promise<void> {
  const { db, clock, config } = deps;
  const secret = await getSigningSecret(db);
  const [caps, quiet] = await Promise.all([pressureRules(db), quietHoursRules(db)]);
  const isHoliday = createHolidayCalendar();
  for (;;) {
    const campaign = await findCampaign(db, campaignId);
    if (!campaign || campaign.status !== 'sending') return;
    const batch = await claimPending(db, campaignId, config.sendBatchSize, clock());
    if (!batch.length) {
      if (!(await hasUnfinished(db, campaignId))) await setCampaignStatus(db, campaignId, ['sending'], 'sent', clock());
      return;
    }
    const marketing = campaign.kind !== 'transactional';
    const contactIds = batch.flatMap((m) => (m.contact_id == null ? [] : [Number(m.contact_id)]));
    const contacts = await findContactsForMerge(db, contactIds);
    const byId = new Map(contacts.map((c) => [Number(c.id), c]));
    // The address is read now, not at launch: a corrected address is used, and checked against suppressions.
    const addressOf = (c: (typeof contacts)[number]) => (campaign.channel === 'email' ? c.email : c.phone);
    const [subscribed, suppressed, preferences] = await Promise.all([
      stillSubscribed(db, contactIds, campaign.channel, Number(campaign.topic_id), clock()),
      suppressedSet(db, campaign.channel as 'email' | 'sms', contacts.flatMap((c) => addressOf(c) ?? [])),
      getContactPreferences(db, contactIds, campaign.channel),
    ]);
    const preferenceOf = new Map(preferences.map((p) => [Number(p.contact_id), p]));
    let retryLater = false;
    for (const message of batch) {
      const row = message.contact_id == null ? undefined : byId.get(Number(message.contact_id));
      const skip = (skip_reason: string, extra: { capped_by?: string } = {}) => markMessage(db, message.id, { status: 'skipped', skip_reason, ...extra }, clock());
      if (!row) { await skip('contact_deleted'); continue; }
      const contact = row as MergeContact;
      const address = addressOf(row);
      if (!address) { await skip('no_address'); continue; }
      if (suppressed.has(address)) { await skip('suppressed'); continue; }
      if (marketing) {
        // An opt-out committed after launch stops every message not yet handed over.
        if (!subscribed.has(Number(contact.id))) { await skip('unsubscribed'); continue; }
        const now = clock();
        const country = defaultCountry(contact.locale, (contact.address as { country?: string } | null)?.country);
        const opening = nextOpening(quiet, campaign.channel, contact.timezone, country, now, isHoliday);
        if (opening) { await defer(deps, campaign, message, opening, 'quiet_hours'); continue; }
        const slot = await reserveSlot(
          db,
          {
            messageId: message.id, contactId: contact.id, channel: campaign.channel, topicId: Number(campaign.topic_id),
            timezone: contact.timezone, priority: campaign.priority as Priority,
          },
          capsFor(caps, campaign.channel, preferenceOf.get(contact.id)),
          now,
          { needReopen: campaign.on_cap === 'defer' },
        );
        if (!slot.ok && slot.unsubscribed) { await skip('unsubscribed'); continue; }
        if (!slot.ok) {
          if (campaign.on_cap === 'defer') await defer(deps, campaign, message, slot.reopensAt, 'capped', slot.rule);
          else await skip('capped', { capped_by: slot.rule });
          continue;
        }
      }
      try {
        const providerMessageId = await deliver(deps, campaign, contact, { ...message, address }, secret);
        await markMessage(db, message.id, { status: 'sent', address, provider_message_id: providerMessageId }, clock());
      } catch (err) {
        const retryable = err instanceof RetryableSendError && message.attempts < MAX_ATTEMPTS;
        // A message that was never delivered gives its cap slot back.
        if (!retryable) await uncountMessage(db, message.id);
        // A retry is claimed again at once: it is no longer held by an earlier deferral.
        const retry = retryable ? { not_before: null, capped_by: null } : {};
        await markMessage(db, message.id, { status: retryable ? 'pending' : 'failed', address, error: String((err as Error).message).slice(0, 1000), ...retry }, clock());
        retryLater ||= retryable;
      }
    }
    // The provider is throttling: back off before claiming again.
    if (retryLater) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Holds a message until `until`, unless that is past the campaign's deadline: then it is skipped. */
async function defer(deps: Deps, campaign: Campaign, message: Claimed, until: Date, reason: 'quiet_hours' | 'capped', rule?: string) {
  const deadline = campaign.deadline ? new Date(campaign.deadline) : undefined;
  if (deadline && until > deadline) {
    await markMessage(deps.db, message.id, { status: 'skipped', skip_reason: reason === 'capped' ? 'capped' : 'deadline', capped_by: rule }, deps.clock());
    return;
  }
  // capped_by names the cap only while a cap is what holds the message.
  await markMessage(deps.db, message.id, { status: 'pending', not_before: until, capped_by: rule ?? null }, deps.clock());
}

async function deliver(deps: Deps, campaign: Campaign, contact: MergeContact, message: Claimed & { address: string }, secret: string): Promise<string> {
  const { config, renderer } = deps;
  const marketing = campaign.kind !== 'transactional';
  const token = await signToken(secret, { purpose: 'unsubscribe', contactId: contact.id, messageId: message.public_id, topicId: Number(campaign.topic_id) });
  const unsubscribeUrl = marketing ? `${config.publicUrl}/u/${token}` : '';
  const preferences = await signToken(secret, { purpose: 'preferences', contactId: contact.id, messageId: message.public_id, topicId: Number(campaign.topic_id) });
  const data = mergeData(contact, {
    unsubscribe_url: unsubscribeUrl,
    preferences_url: `${config.publicUrl}/p/${preferences}`,
    brand_name: config.brandName,
    campaign_name: campaign.name,
  });
  const rendered = renderContent(renderer, campaign.content as unknown as RenderableContent, data, {
    stopMention: marketing ? config.smsStopMention : undefined,
  });
  if (rendered.channel === 'email') {
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ') || undefined;
    const result = await deps.email.send({
      messageId: message.public_id,
      from: config.emailFrom,
      to: { address: message.address, name },
      replyTo: config.emailReplyTo,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      // Transactional mail (receipts, password resets) carries no List-Unsubscribe.
      headers: marketing ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
    });
    return result.providerMessageId;
  }
  const result = await deps.sms.send({
    messageId: message.public_id,
    from: config.smsFrom,
    to: message.address,
    text: rendered.text,
    encoding: rendered.encoding,
    segments: rendered.segments,
  });
  return result.providerMessageId;
}
