import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { isSuppressedSql } from '../consent/suppression.repository.js';
import { subscribedNow } from './campaigns.repository.js';

/** SQL predicates over contacts `c` that the preview and the launch snapshot agree on. */
export function eligibility(c: { channel: 'email' | 'sms'; topicId: number; kind: string }, now: Date) {
  const address = c.channel === 'email' ? sql.ref('c.email') : sql.ref('c.phone');
  const suppressed = isSuppressedSql(c.channel, address);
  const consented = c.kind === 'transactional' ? sql`true`
    : sql`exists (select 1 from subscriptions s where s.contact_id = c.id and s.channel = ${c.channel} and s.topic_id = ${c.topicId}
        and ${subscribedNow(now)})`;
  return { address, suppressed, eligible: sql`(${address} is not null and not ${suppressed} and ${consented})` };
}

/** Who a launch now would hold back for want of an address, consent, or because the address is suppressed. */
export async function consentHoldBacks(
  db: Database,
  c: { channel: 'email' | 'sms'; topicId: number; kind: string },
  audience: RawBuilder<unknown>,
  now: Date,
) {
  const { address, suppressed } = eligibility(c, now);
  const consented = c.kind === 'transactional' ? sql`true` : subscribedNow(now);
  const r = await sql<Record<string, number | string | null>>`
    with a as (
      select ${address} as addr, s.status,
        coalesce(${address} is not null and not ${suppressed} and ${consented}, false) as eligible,
        (${address} is not null and ${suppressed}) as suppressed
      from contacts c
      left join subscriptions s on s.contact_id = c.id and s.channel = ${c.channel} and s.topic_id = ${c.topicId}
      where ${audience}
    )
    select count(*) as audience,
      count(*) filter (where eligible) as eligible,
      count(*) filter (where addr is null) as no_address,
      count(*) filter (where suppressed) as suppressed,
      count(*) filter (where addr is not null and not suppressed and not eligible and status is null) as not_subscribed,
      count(*) filter (where addr is not null and not suppressed and not eligible and status = 'unsubscribed') as unsubscribed,
      count(*) filter (where addr is not null and not suppressed and not eligible and status = 'pending') as pending,
      count(*) filter (where addr is not null and not suppressed and not eligible and status = 'paused') as paused
    from a
  `.execute(db);
  return r.rows[0];
}
