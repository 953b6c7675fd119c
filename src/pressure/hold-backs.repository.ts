// Who caps would hold back if a message went now, for the eligible recipients of an audience.
import { sql, type RawBuilder } from 'kysely';
import type { Executor as Database } from '../db/transaction.js';
import type { PressureRule } from './pressure.rules.js';

type Sql = RawBuilder<unknown>;

const local = (unit: 'week' | 'month', now: Date) => sql`(date_trunc(${unit}, ${now}::timestamptz at time zone a.timezone) at time zone a.timezone)`;

/** Start of a workspace rule's window for each contact: calendar periods follow the contact's time zone. */
function windowStart(rule: PressureRule, now: Date, rollingSince?: Date): Sql {
  if (rule.period === 'calendar_week') return local('week', now);
  if (rule.period === 'calendar_month') return local('month', now);
  return sql`${rollingSince}::timestamptz`;
}

/** Start of the window of each contact's own choice (a.own_period, a.own_days); rolling as in windowStart(). */
function ownWindowStart(now: Date): Sql {
  return sql`(case a.own_period when 'calendar_week' then ${local('week', now)} when 'calendar_month' then ${local('month', now)}
    else ${now}::timestamptz - make_interval(days => a.own_days) + interval '1 millisecond' end)`;
}

/** The longest rolling window contacts chose for themselves on a channel, in days (0 if none). */
export async function longestOwnRollingDays(db: Database, channel: string): Promise<number> {
  const r = await sql<{ days: number | null }>`select max(days) as days from contact_preferences
    where channel = ${channel} and period = 'rolling_days'`.execute(db);
  return Number(r.rows[0]?.days ?? 0);
}

export interface PressureGroup {
  timezone: string;
  locale: string;
  country: string | null;
  /** The contact's own frequency choice on this channel, if any. */
  own_max: number | null;
  own_period: string | null;
  own_days: number | null;
  n: number;
  /** Per workspace rule (same order as given): contacts already at its allowance. */
  capped: number[];
  /** Contacts at their own frequency choice. */
  own_capped: number;
}

/**
 * One pass over the eligible audience: the ledger rows of the widest window are counted per contact once (a
 * hash join on the recent part of the ledger, not a probe per contact), then every window is compared with its
 * allowance. Rows come back grouped by what the caller still has to look at: time zone, locale and country (for
 * quiet hours) and the contact's own frequency choice (for its label).
 */
export async function pressureGroups(
  db: Database,
  q: {
    channel: string;
    /** The eligible recipients: a query over contacts `c` selecting the columns given, and `reason` (null: eligible). */
    recipients: (columns: Sql) => Sql;
    rules: Array<{ rule: PressureRule; since?: Date; allow: number }>;
    /** Allowance of the contact's own rule: its max, less one for low priority. */
    lowPriority: boolean;
    /** No window starts before this (the widest rolling window, or 33 days for calendar months), own choices included. */
    earliest: Date;
  },
  now: Date,
): Promise<PressureGroup[]> {
  const counts = q.rules.map(({ rule, since }, i) =>
    sql`count(*) filter (where l.counted_at >= ${windowStart(rule, now, since)}) as ${sql.ref(`n${i}`)}`);
  const capped = q.rules.map(({ allow }, i) =>
    sql`count(*) filter (where coalesce(k.${sql.ref(`n${i}`)}, 0) >= ${allow}) as ${sql.ref(`cap${i}`)}`);
  const ownAllow = q.lowPriority ? sql`greatest(a.own_max - 1, 0)` : sql`a.own_max`;
  const r = await sql<Record<string, unknown>>`
    with a as materialized (
      select r.id, r.timezone, r.locale, r.country, cp.max_messages as own_max, cp.period as own_period, cp.days as own_days
      from (${q.recipients(sql`c.id, c.timezone, c.locale, c.address ->> 'country' as country`)}) r
      left join contact_preferences cp on cp.contact_id = r.id and cp.channel = ${q.channel}
      where r.reason is null
    ),
    k as (
      select l.contact_id, ${sql.join([...counts, sql`count(*) filter (where a.own_period is not null
        and l.counted_at >= ${ownWindowStart(now)}) as own`])}
      from pressure_ledger l join a on a.id = l.contact_id
      where l.channel = ${q.channel} and l.counted_at >= ${q.earliest}::timestamptz
      group by l.contact_id
    )
    select a.timezone, a.locale, a.country, a.own_max, a.own_period, a.own_days, count(*) as n,
      ${sql.join([...capped, sql`count(*) filter (where a.own_max is not null and coalesce(k.own, 0) >= ${ownAllow}) as own_capped`])}
    from a left join k on k.contact_id = a.id
    group by 1, 2, 3, 4, 5, 6
  `.execute(db);
  return r.rows.map((row) => ({
    timezone: String(row.timezone),
    locale: String(row.locale),
    country: (row.country as string | null) ?? null,
    own_max: row.own_max == null ? null : Number(row.own_max),
    own_period: (row.own_period as string | null) ?? null,
    own_days: row.own_days == null ? null : Number(row.own_days),
    n: Number(row.n),
    capped: q.rules.map((_, i) => Number(row[`cap${i}`])),
    own_capped: Number(row.own_capped),
  }));
}
