// The provider's word on each message (SES delivery, bounce, complaint, reject, delay; its opens and clicks): kept
// per message, once per event, and folded into the same rollups as our own hits.
import type { DeliveryEvent } from '../channels/index.js';
import type { Trx } from '../db/transaction.js';
import { findMessagesByProviderIds, findMessagesByPublicIds } from '../delivery/index.js';
import { applyEngagement, type Metric } from './engagement.js';
import { insertDeliveryEvent } from './engagement.repository.js';
import { ingestHits } from './ingest.js';
import type { ClassifierSettings } from './classify.js';

const DELIVERY_TYPES = {
  delivery: 'delivered', complaint: 'complained', reject: 'rejected', delay: 'delayed',
} as const;

export type ProviderEventResult = 'recorded' | 'duplicate' | 'no_message' | 'ignored';

/**
 * Records a provider event against its message. `eventKey` names the event for good (the SNS notification's id):
 * a redelivery records nothing. Opens and clicks go through the hit ingestion, with an id derived from the key.
 */
export async function recordProviderEvent(
  trx: Trx, eventKey: string, event: DeliveryEvent, options: { receivedAt: Date; classifier?: ClassifierSettings; byPublicId?: string },
): Promise<ProviderEventResult> {
  if (event.type === 'other' || event.type === 'received' || !event.providerMessageId) return 'ignored';
  let [message] = await findMessagesByProviderIds(trx, [event.providerMessageId]);
  // A provider that also names our own id for the message (a print house's `reference`): found by it when the
  // provider's id for it was never read (an upload whose answer was lost).
  if (!message && options.byPublicId) [message] = (await findMessagesByPublicIds(trx, [options.byPublicId])).map((m) => ({ ...m, providerMessageId: event.providerMessageId! }));
  if (!message) return 'no_message';
  const at = event.at ?? options.receivedAt;

  if (event.type === 'open' || event.type === 'click') {
    if (!message.publicId) return 'no_message';
    await ingestHits(trx, [{
      id: await uuidOf(eventKey), kind: event.type, messageId: message.publicId, link: null, honeypot: false, method: 'GET',
      userAgent: event.userAgent, ip: event.ip, headers: {}, at: at.toISOString(), source: 'ses', ...(event.link ? { url: event.link } : {}),
    }], options.classifier);
    return 'recorded';
  }

  const type = event.type === 'bounce' ? (event.permanent ? 'bounced_hard' : 'bounced_soft') : DELIVERY_TYPES[event.type];
  const detail = event.type === 'reject' ? { reason: event.reason } : event.type === 'delay' ? { delay_type: event.delayType } : {};
  const added = await insertDeliveryEvent(trx, {
    event_key: eventKey, message_id: message.id, campaign_id: message.campaignId, contact_id: message.contactId, type, occurred_at: at, detail,
  });
  if (!added) return 'duplicate';
  const metric: Metric = event.type === 'bounce' ? (event.permanent ? 'bounce_hard' : 'bounce_soft') : event.type === 'delivery' ? 'delivered' : event.type;
  await applyEngagement(trx, [{ messageId: message.id, campaignId: message.campaignId, contactId: message.contactId, metric, at }]);
  return 'recorded';
}

/** A UUID that is the same for the same key (hit ids are UUIDs; an SNS redelivery must give the same one). */
async function uuidOf(key: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`provider-hit:${key}`)));
  const hex = [...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
