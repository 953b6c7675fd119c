// Double opt-in, per topic: consent given by import or API to an email topic that asks for it stays "pending"
// until the person follows the signed link in a confirmation email. Until then, no mail. The email itself is
// sent by the preference center, which owns the confirmation page.
import type { Executor, Trx } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import { applyConsentChanges, type ConsentChange } from './consent.repository.js';
import {
  claimConfirmation, confirmedEmailSubscriptions, doubleOptInTopicIds, subscriptionStatus, unconfirmedToAsk,
} from './double-opt-in.repository.js';

export { claimConfirmation, unconfirmedToAsk };

/** Email consents from import or API to double opt-in topics become pending, unless already confirmed. */
export async function requireConfirmation(trx: Executor, changes: ConsentChange[]): Promise<ConsentChange[]> {
  const candidates = changes.filter((c) => c.channel === 'email' && c.status === 'subscribed' && (c.source === 'api' || c.source === 'import'));
  if (!candidates.length) return changes;
  const topics = await doubleOptInTopicIds(trx);
  const asking = candidates.filter((c) => topics.has(c.topicId));
  if (!asking.length) return changes;
  const confirmed = await confirmedEmailSubscriptions(trx, asking);
  return changes.map((c) =>
    asking.includes(c) && !confirmed.has(`${c.contactId}:${c.topicId}`) ? { ...c, status: 'pending' as const } : c,
  );
}

/** Confirms a pending subscription. An unsubscribed one stays unsubscribed: an old link can't undo an opt-out. */
export async function confirmSubscription(
  db: Executor,
  target: { contactId: number; topicId: number },
  request: { ip?: string; userAgent?: string },
  at: Date,
): Promise<boolean> {
  return inTransaction(db, async (trx: Trx) => {
    const status = await subscriptionStatus(trx, target.contactId, target.topicId);
    if (status !== 'pending') return status === 'subscribed';
    await applyConsentChanges(trx, [{
      contactId: target.contactId, channel: 'email', topicId: target.topicId, status: 'subscribed', source: 'double_opt_in',
      ip: request.ip ?? null, userAgent: request.userAgent ?? null,
    }], at);
    return true;
  });
}
