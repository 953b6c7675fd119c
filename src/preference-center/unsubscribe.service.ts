import type { ChannelName } from '../channels/index.js';
import { findTopic, recordConsent, topicName } from '../consent/index.js';
import { findContactById } from '../contacts/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { findMessageByPublicId } from '../delivery/index.js';
import { langOf } from '../i18n/index.js';
import { readLinkToken } from '../links/index.js';
import { applyEngagement } from '../tracking/index.js';

/**
 * Resolves an unsubscribe token to the one contact, message and topic it was made for.
 * Anything tampered, foreign or stale resolves to undefined (and the caller answers 404).
 */
export async function resolveUnsubscribeToken(db: Database, token: string) {
  const claims = await readLinkToken(db, token, 'unsubscribe');
  if (!claims) return undefined;
  const message = await findMessageByPublicId(db, claims.messageId);
  if (!message || Number(message.contact_id) !== claims.contactId || Number(message.topic_id) !== claims.topicId) return undefined;
  const contact = await findContactById(db, claims.contactId);
  if (!contact) return undefined;
  const topic = await findTopic(db, claims.topicId);
  const name = topic ? topicName(topic, langOf(contact.locale)) : '';
  return { contact, message, topicName: name, channel: message.channel as ChannelName, topicId: claims.topicId };
}

export async function unsubscribe(
  db: Database,
  target: NonNullable<Awaited<ReturnType<typeof resolveUnsubscribeToken>>>,
  source: 'one-click' | 'unsubscribe-page',
  request: { ip?: string; userAgent?: string },
  at: Date,
) {
  const { message } = target;
  await inTransaction(db, async (trx) => {
    await recordConsent(trx, [{
      contactId: Number(target.contact.id), channel: target.channel, topicId: target.topicId, status: 'unsubscribed', source,
      ip: request.ip ?? null, userAgent: request.userAgent?.slice(0, 500) ?? null,
    }], at);
    // The campaign's report counts the unsubscribes its messages' links brought.
    await applyEngagement(trx, [{
      messageId: Number(message.id), campaignId: message.campaign_id === null ? null : Number(message.campaign_id),
      contactId: Number(target.contact.id), metric: 'unsubscribe', at,
    }]);
  });
}
