// The transports' token buckets (transport_rates): one row per transport, which every sender process takes from. The
// maths is send-rate.ts's `take` and `throttle`, done here in SQL so that each change is one atomic statement.
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export interface TakeParams {
  wanted: number;
  now: Date;
  maxRate: number;
  /** Messages per second gained per second without throttling. */
  recoveryPerSecond: number;
}

/**
 * Refills the bucket for the time since its last refill, then takes up to `wanted` whole tokens; undefined when the
 * transport has no row yet (createBucket). The row lock (FOR UPDATE, re-read after a wait) orders concurrent takers.
 */
export async function takeFromBucket(db: Db, transport: string, p: TakeParams) {
  const now = sql`${p.now}::timestamptz`;
  const r = await sql<{ granted: number; tokens: number; rate: number }>`
    with old as (
      select transport, tokens, rate_per_second,
        greatest(0, extract(epoch from (${now} - refilled_at))::float8) as elapsed,
        greatest(0, extract(epoch from (${now} - greatest(refilled_at, coalesce(throttled_until, refilled_at))))::float8) as calm
      from transport_rates where transport = ${transport} for update
    ), refilled as (
      select transport,
        least(${p.maxRate}::float8, rate_per_second + ${p.recoveryPerSecond}::float8 * calm) as rate,
        tokens + rate_per_second * elapsed as filled
      from old
    ), taken as (
      select transport, rate, least(filled, rate) as available,
        least(${p.wanted}::float8, floor(least(filled, rate) + 1e-9)) as granted
      from refilled
    )
    update transport_rates t
    set rate_per_second = taken.rate, tokens = taken.available - taken.granted, max_rate = ${p.maxRate}::float8,
      refilled_at = greatest(t.refilled_at, ${now})
    from taken where t.transport = taken.transport
    returning taken.granted, t.tokens, t.rate_per_second as rate`.execute(db);
  const row = r.rows[0];
  return row && { granted: Number(row.granted), tokens: Number(row.tokens), rate: Number(row.rate) };
}

/** A transport's first bucket: full, at its maximum rate. A concurrent creation wins, unchanged. */
export async function createBucket(db: Db, transport: string, maxRate: number, now: Date) {
  await db
    .insertInto('transport_rates')
    .values({ transport, rate_per_second: maxRate, tokens: maxRate, refilled_at: now, throttled_until: null, max_rate: maxRate })
    .onConflict((oc) => oc.column('transport').doNothing())
    .execute();
}

/**
 * Halves the rate (at least `floor` a second) and empties the bucket, unless the transport was throttled less than
 * `holdMs` ago: senders throttled by the same burst back off once. Returns whether it halved.
 */
export async function throttleBucket(db: Db, transport: string, now: Date, holdMs: number, floor: number): Promise<boolean> {
  const until = new Date(now.getTime() + holdMs);
  const r = await db
    .updateTable('transport_rates')
    .set({
      rate_per_second: sql`greatest(${floor}::float8, rate_per_second / 2)`,
      tokens: 0,
      refilled_at: sql`greatest(refilled_at, ${now}::timestamptz)`,
      throttled_until: until,
    })
    .where('transport', '=', transport)
    .where((eb) => eb.or([eb('throttled_until', 'is', null), eb('throttled_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
