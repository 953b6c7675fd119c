import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import type { PressureRule } from '../consent/pressure.rules.js';

/** Start of a cap's current window, per contact, in SQL: calendar periods follow the contact's time zone. */
function windowStartSql(rule: PressureRule, now: Date) {
  if (rule.period === 'rolling_days') return sql`${new Date(now.getTime() - (rule.days ?? 30) * 86_400_000)}::timestamptz`;
  const unit = rule.period === 'calendar_week' ? 'week' : 'month';
  return sql`(date_trunc(${unit}, ${now}::timestamptz at time zone c.timezone) at time zone c.timezone)`;
}

/**
 * Who a launch now would hold back, and why, in one pass over the audience: no address, consent,
 * suppression, and for the rest, how many each cap would stop given what they already received.
 */
export async function holdBacks(
  db: Database,
  c: { channel: 'email' | 'sms'; topicId: number; kind: string; allowanceOf: (r: PressureRule) => number },
  audience: RawBuilder<unknown>,
  caps: PressureRule[],
  now: Date,
) {
  const address = c.channel === 'email' ? sql.ref('c.email') : sql.ref('c.phone');
  const suppressed = sql`exists (select 1 from suppressions sp where sp.channel = ${c.channel}
    and sp.address_hash = encode(sha256(convert_to(${address}, 'UTF8')), 'hex'))`;
  const consented = c.kind === 'transactional' ? sql`true`
    : sql`(s.status = 'subscribed' or (s.status = 'paused' and s.paused_until <= ${now}::timestamptz))`;
  const capColumns = caps.map((rule, i) => {
    const counted = sql`(select count(*) from pressure_ledger l where l.contact_id = c.id and l.channel = ${c.channel} and l.counted_at >= ${windowStartSql(rule, now)})`;
    return sql`count(*) filter (where eligible and ${counted} >= ${c.allowanceOf(rule)}) as ${sql.ref(`cap_${i}`)}`;
  });
  const r = await sql<Record<string, number | string | null>>`
    with a as (
      select c.id, c.timezone, c.locale, c.address ->> 'country' as country, ${address} as addr, s.status,
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
      ${caps.length ? sql`, ${sql.join(capColumns)}` : sql``}
    from a c
  `.execute(db);
  const zones = await sql<{ timezone: string; locale: string; country: string | null; n: number }>`
    select c.timezone, c.locale, c.address ->> 'country' as country, count(*) as n
    from contacts c
    left join subscriptions s on s.contact_id = c.id and s.channel = ${c.channel} and s.topic_id = ${c.topicId}
    where ${audience} and ${address} is not null and not ${suppressed} and ${consented}
    group by 1, 2, 3`.execute(db);
  return { totals: r.rows[0], zones: zones.rows };
}
