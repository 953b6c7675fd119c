// The simple in-process sender: claim a batch of pending messages, hand each to its transport, record the outcome.
// Claiming flips pending → sending atomically, so two senders (or two launches) never send one message twice.
import type { Deps } from '../deps.js';
import { RetryableSendError } from '../channels/types.js';
import { getSigningSecret } from '../consent/settings.repository.js';
import { signToken } from '../consent/tokens.js';
import { findContactsForMerge } from '../contacts/contacts.repository.js';
import { mergeData, type MergeContact } from '../templates/merge-data.js';
import { renderContent, type RenderableContent } from '../templates/templates.service.js';
import {
  claimPending, findCampaign, hasUnfinished, markMessage, setCampaignStatus, stillSubscribed,
} from './campaigns.repository.js';

const MAX_ATTEMPTS = 5;

export async function sendCampaign(deps: Deps, campaignId: number): Promise<void> {
  const { db, clock, config } = deps;
  const secret = await getSigningSecret(db);
  for (;;) {
    const campaign = await findCampaign(db, campaignId);
    if (!campaign || campaign.status !== 'sending') return;
    const content = campaign.content as unknown as RenderableContent;
    const topicId = Number(campaign.topic_id);
    const batch = await claimPending(db, campaignId, config.sendBatchSize, clock());
    if (!batch.length) {
      if (!(await hasUnfinished(db, campaignId))) await setCampaignStatus(db, campaignId, ['sending'], 'sent', clock());
      return;
    }
    const contactIds = batch.flatMap((m) => (m.contact_id == null ? [] : [Number(m.contact_id)]));
    const [contacts, subscribed] = await Promise.all([
      findContactsForMerge(db, contactIds),
      stillSubscribed(db, contactIds, campaign.channel, topicId),
    ]);
    const byId = new Map(contacts.map((c) => [Number(c.id), c]));
    let retryLater = false;
    for (const message of batch) {
      const contact = message.contact_id == null ? undefined : byId.get(Number(message.contact_id));
      if (!contact || !message.address) {
        await markMessage(db, message.id, { status: 'skipped', skip_reason: 'contact_deleted' }, clock());
        continue;
      }
      if (!subscribed.has(Number(contact.id))) {
        await markMessage(db, message.id, { status: 'skipped', skip_reason: 'unsubscribed' }, clock());
        continue;
      }
      try {
        const providerMessageId = await deliver(deps, campaign.name, content, contact as MergeContact, message, secret, topicId);
        await markMessage(db, message.id, { status: 'sent', provider_message_id: providerMessageId }, clock());
      } catch (err) {
        const retryable = err instanceof RetryableSendError && message.attempts < MAX_ATTEMPTS;
        await markMessage(db, message.id, { status: retryable ? 'pending' : 'failed', error: String((err as Error).message).slice(0, 1000) }, clock());
        retryLater ||= retryable;
      }
    }
    // The provider is throttling: back off before claiming again.
    if (retryLater) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function deliver(
  deps: Deps,
  campaignName: string,
  content: RenderableContent,
  contact: MergeContact,
  message: { public_id: string; address: string | null },
  secret: string,
  topicId: number,
): Promise<string> {
  const { config, renderer } = deps;
  const token = await signToken(secret, { purpose: 'unsubscribe', contactId: contact.id, messageId: message.public_id, topicId });
  const unsubscribeUrl = `${config.publicUrl}/u/${token}`;
  const data = mergeData(contact, {
    unsubscribe_url: unsubscribeUrl,
    preferences_url: unsubscribeUrl,
    brand_name: config.brandName,
    campaign_name: campaignName,
  });
  const rendered = renderContent(renderer, content, data);
  if (rendered.channel === 'email') {
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ') || undefined;
    const result = await deps.email.send({
      messageId: message.public_id,
      from: config.emailFrom,
      to: { address: message.address!, name },
      replyTo: config.emailReplyTo,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    return result.providerMessageId;
  }
  const result = await deps.sms.send({
    messageId: message.public_id,
    from: config.smsFrom,
    to: message.address!,
    text: rendered.text,
    encoding: rendered.encoding,
    segments: rendered.segments,
  });
  return result.providerMessageId;
}
