import type { Database } from '../db/database.js';
import { findMessageByPublicId } from '../campaigns/campaigns.repository.js';
import { findContactById } from '../contacts/contacts.repository.js';
import { applyConsentChanges, type Channel } from './consent.repository.js';
import { getSigningSecret } from './settings.repository.js';
import { verifyToken } from './tokens.js';

/**
 * Resolves an unsubscribe token to the one contact, message and topic it was made for.
 * Anything tampered, foreign or stale resolves to undefined (and the caller answers 404).
 */
export async function resolveUnsubscribeToken(db: Database, token: string) {
  const claims = await verifyToken(await getSigningSecret(db), token, 'unsubscribe');
  if (!claims) return undefined;
  const message = await findMessageByPublicId(db, claims.messageId);
  if (!message || Number(message.contact_id) !== claims.contactId || Number(message.topic_id) !== claims.topicId) return undefined;
  const contact = await findContactById(db, claims.contactId);
  if (!contact) return undefined;
  const topic = await db.selectFrom('topics').select(['key', 'name']).where('id', '=', claims.topicId).executeTakeFirst();
  return { contact, message, topicName: topic?.name ?? '', channel: message.channel as Channel, topicId: claims.topicId };
}

export async function unsubscribe(
  db: Database,
  target: NonNullable<Awaited<ReturnType<typeof resolveUnsubscribeToken>>>,
  source: 'one-click' | 'unsubscribe-page',
  request: { ip?: string; userAgent?: string },
  at: Date,
) {
  await db.transaction().execute((trx) =>
    applyConsentChanges(
      trx,
      [{
        contactId: Number(target.contact.id), channel: target.channel, topicId: target.topicId, status: 'unsubscribed', source,
        ip: request.ip ?? null, userAgent: request.userAgent?.slice(0, 500) ?? null,
      }],
      at,
    ),
  );
}
