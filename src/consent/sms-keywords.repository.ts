// The SMS subscriptions an SMS keyword acts on: STOP ends them all, START restores what a keyword stopped.
import { sql } from 'kysely';
import type { Trx } from '../db/transaction.js';

/** The consent record source for changes made by an SMS keyword; START restores only what it stopped. */
export const SMS_KEYWORD_SOURCE = 'sms_keyword';

/** SMS subscriptions of these contacts that STOP must end (anything not already unsubscribed), locked. */
export async function smsSubscriptionsToStop(trx: Trx, contactIds: number[]) {
  if (!contactIds.length) return [];
  const rows = await sql<{ contact_id: number; topic_id: number }>`
    select contact_id, topic_id from subscriptions
    where contact_id = any(${contactIds}::bigint[]) and channel = 'sms' and status <> 'unsubscribed'
    order by contact_id, topic_id
    for update
  `.execute(trx);
  return rows.rows.map((r) => ({ contactId: Number(r.contact_id), topicId: Number(r.topic_id) }));
}

/**
 * SMS subscriptions whose latest consent record is an unsubscribe by SMS keyword, locked: START restores
 * these and nothing else, so it never overrides an opt-out made by link, preference center or admin.
 */
export async function smsSubscriptionsStoppedByKeyword(trx: Trx, contactIds: number[]) {
  if (!contactIds.length) return [];
  const rows = await sql<{ contact_id: number; topic_id: number }>`
    select s.contact_id, s.topic_id from subscriptions s
    where s.contact_id = any(${contactIds}::bigint[]) and s.channel = 'sms' and s.status = 'unsubscribed'
      and (select cr.source from consent_records cr
           where cr.contact_id = s.contact_id and cr.channel = 'sms' and cr.topic_id = s.topic_id
           order by cr.occurred_at desc, cr.id desc limit 1) = ${SMS_KEYWORD_SOURCE}
    order by s.contact_id, s.topic_id
    for update of s
  `.execute(trx);
  return rows.rows.map((r) => ({ contactId: Number(r.contact_id), topicId: Number(r.topic_id) }));
}
