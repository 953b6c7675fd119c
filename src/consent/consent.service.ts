// Consent changes that several paths share: every change appends a consent record (applyConsentChanges).
import type { Executor, Trx } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import type { ChannelName } from '../channels/index.js';
import { applyConsentChanges, emailSubscriptionsOfAddresses, subscriptionsOnChannel, type ConsentChange } from './consent.repository.js';
import { SMS_KEYWORD_SOURCE, smsSubscriptionsStoppedByKeyword, smsSubscriptionsToStop } from './sms-keywords.repository.js';

/** Applies consent changes in one transaction (joining the caller's, if any); returns how many changed. */
export async function recordConsent(db: Executor, changes: ConsentChange[], at: Date): Promise<number> {
  return inTransaction(db, (trx) => applyConsentChanges(trx, changes, at));
}

/** STOP: every SMS subscription of these contacts ends (they share the phone that wrote). */
export async function stopSms(trx: Trx, contactIds: number[], at: Date) {
  const subs = await smsSubscriptionsToStop(trx, contactIds);
  return applyConsentChanges(trx, subs.map((s) => ({ ...s, channel: 'sms' as const, status: 'unsubscribed' as const, source: SMS_KEYWORD_SOURCE })), at);
}

/** START: restores what a keyword stopped, and nothing else (never an opt-out given another way). Returns the count. */
export async function restartSms(trx: Trx, contactIds: number[], at: Date) {
  const subs = await smsSubscriptionsStoppedByKeyword(trx, contactIds);
  if (!subs.length) return 0;
  await applyConsentChanges(trx, subs.map((s) => ({ ...s, channel: 'sms' as const, status: 'subscribed' as const, source: SMS_KEYWORD_SOURCE })), at);
  return subs.length;
}

/** A complaint is an opt-out from all email: every topic the address's contacts still get, each with a record. */
export async function unsubscribeEmailAddresses(trx: Trx, addresses: string[], source: string, at: Date) {
  const subs = await emailSubscriptionsOfAddresses(trx, addresses);
  return applyConsentChanges(trx, subs.map((s) => ({ ...s, channel: 'email' as const, status: 'unsubscribed' as const, source })), at);
}

/** An opt-out from a whole channel (a contact who says on the phone "no more calls"): every topic, each with a record. */
export async function unsubscribeFromChannel(db: Executor, contactId: number, channel: ChannelName, source: string, at: Date) {
  return inTransaction(db, async (trx) => {
    const subs = await subscriptionsOnChannel(trx, contactId, channel);
    return applyConsentChanges(trx, subs.map((topicId) => ({ contactId, topicId, channel, status: 'unsubscribed' as const, source })), at);
  });
}
