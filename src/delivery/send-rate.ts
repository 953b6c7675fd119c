// How fast a transport may be given messages: a token bucket per transport, kept in the database so that every sender
// process shares one budget. The bucket holds at most one second of the rate (the burst) and refills continuously.
// Throttling halves the rate (at least 1/s); each minute without throttling gives back a tenth of the maximum, up to
// the maximum (SES_MAX_SEND_RATE / SMS_MAX_SEND_RATE, else what the transport says, e.g. SES's MaxSendRate). The pure
// functions below are the maths; send-rate.repository.ts does the same in SQL, one atomic statement per change.
import { hasTransport, ThrottledSendError, type SendableChannel } from '../channels/index.js';
import type { Executor as Db } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { describeError } from '../http/log.js';
import { createBucket, takeFromBucket, throttleBucket } from './send-rate.repository.js';

/** The lowest rate throttling backs off to, in messages per second; also the lowest maximum. */
export const MIN_RATE = 1;
/** The share of the maximum rate regained per minute without throttling. */
export const RECOVERY_PER_MINUTE = 0.1;
/** For this long after a halving, the rate neither recovers nor halves again (the same burst, seen by every sender). */
export const THROTTLE_HOLD_MS = 1000;
/** The longest a sender sleeps before asking the bucket again. */
export const MAX_WAIT_MS = 1000;
/** A sender claims at most this many seconds of the maximum rate at once, so a batch is sent well within its lease. */
export const BATCH_SECONDS = 10;

export interface Bucket {
  /** Messages per second now; also the bucket's size. */
  rate: number;
  tokens: number;
  refilledAt: Date;
  throttledUntil: Date | null;
  maxRate: number;
}

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

export const recoveryPerSecond = (maxRate: number) => (maxRate * RECOVERY_PER_MINUTE) / 60;

/**
 * Refills for the time since the last refill (at the rate then), recovers the rate for the time since the last refill
 * or the end of the throttling hold, whichever is later, then grants up to `wanted` whole tokens.
 */
export function take(b: Bucket, wanted: number, now: Date): { bucket: Bucket; granted: number } {
  const calmSince = b.throttledUntil && b.throttledUntil > b.refilledAt ? b.throttledUntil : b.refilledAt;
  const rate = Math.min(b.maxRate, b.rate + recoveryPerSecond(b.maxRate) * seconds(calmSince, now));
  const available = Math.min(rate, b.tokens + b.rate * seconds(b.refilledAt, now));
  // The epsilon: 4.9999999 tokens after float arithmetic are 5.
  const granted = Math.min(wanted, Math.floor(available + 1e-9));
  const refilledAt = now > b.refilledAt ? now : b.refilledAt;
  return { bucket: { ...b, rate, tokens: available - granted, refilledAt }, granted };
}

/** Halves the rate and empties the bucket, unless it was halved within THROTTLE_HOLD_MS. */
export function throttle(b: Bucket, now: Date): Bucket {
  if (b.throttledUntil && b.throttledUntil > now) return b;
  return {
    ...b,
    rate: Math.max(MIN_RATE, b.rate / 2),
    tokens: 0,
    refilledAt: now > b.refilledAt ? now : b.refilledAt,
    throttledUntil: new Date(now.getTime() + THROTTLE_HOLD_MS),
  };
}

/**
 * When a taker that got nothing should ask again: once the bucket holds as many as it wants, or a full bucket if it
 * wants more, so that one round trip takes a batch rather than a token at a time.
 */
export function retryAt(left: { tokens: number; rate: number }, wanted: number, now: Date): Date {
  const ms = Math.ceil(((Math.min(wanted, left.rate) - left.tokens) / left.rate) * 1000);
  return new Date(now.getTime() + Math.max(1, ms));
}

/** Whether a failed hand-over means the provider wants us slower: its provider said so (channels' ThrottledSendError). */
export function isThrottling(err: unknown): boolean {
  return err instanceof ThrottledSendError;
}

export interface RateSettings {
  /** Messages per second, at least MIN_RATE. */
  maxRate: number;
}

/**
 * How many of `wanted` messages the caller may hand to `transport` now; with none, when to ask again. One statement
 * (two more the first time, which create the row), so concurrent senders never spend a token twice.
 */
export async function takeTokens(db: Db, transport: string, wanted: number, now: Date, settings: RateSettings): Promise<{ granted: number; retryAt?: Date }> {
  const params = { wanted, now, maxRate: settings.maxRate, recoveryPerSecond: recoveryPerSecond(settings.maxRate) };
  let taken = await takeFromBucket(db, transport, params);
  if (!taken) {
    await createBucket(db, transport, settings.maxRate, now);
    taken = (await takeFromBucket(db, transport, params))!;
  }
  return taken.granted > 0 ? { granted: taken.granted } : { granted: 0, retryAt: retryAt(taken, wanted, now) };
}

/** The provider throttled a hand-over: every sender of this transport slows down. */
export async function reportThrottled(db: Db, transport: string, now: Date): Promise<void> {
  await throttleBucket(db, transport, now, THROTTLE_HOLD_MS, MIN_RATE);
}

/**
 * A channel's maximum rate: its setting, else what its transport says (SES: GetAccount), else none. A transport that
 * cannot say (the local SES server has no GetAccount) is logged, and sends without a limit.
 */
export async function maxSendRate(deps: Deps, channel: SendableChannel): Promise<number | undefined> {
  const configured = (deps.config.maxSendRate as Partial<Record<SendableChannel, number>>)[channel];
  if (configured !== undefined) return configured;
  const transport = hasTransport(channel) ? deps.transports[channel] : undefined;
  if (!transport?.maxSendRate) return undefined;
  try {
    const rate = await transport.maxSendRate();
    return rate && rate > 0 ? Math.max(MIN_RATE, rate) : undefined;
  } catch (err) {
    deps.log.error('send rate unknown, sending without a limit', { transport: transport.name, ...describeError(err) });
    return undefined;
  }
}

/**
 * One sender's pace on one channel: it takes tokens from the shared bucket up to what it has left to send, spends them
 * one message at a time, and sleeps (deps.sleep, at most MAX_WAIT_MS at once) when the bucket is empty.
 */
export class SendPacer {
  private held = 0;

  private constructor(private readonly deps: Deps, private readonly transport: string, private readonly maxRate: number | undefined) {}

  static async create(deps: Deps, channel: SendableChannel): Promise<SendPacer> {
    // Calls have no transport: agents take them at their own pace, and the pacer has no rate.
    return new SendPacer(deps, `${channel}:${hasTransport(channel) ? deps.transports[channel].name : 'agents'}`, await maxSendRate(deps, channel));
  }

  /** How many messages to claim at once: the configured batch, but no more than BATCH_SECONDS of the rate. */
  batchSize(configured: number): number {
    return this.maxRate === undefined ? configured : Math.min(configured, Math.ceil(this.maxRate * BATCH_SECONDS));
  }

  /** Resolves when one more message may be handed over; `left` counts it and those after it in the batch. */
  async next(left: number): Promise<void> {
    if (this.maxRate === undefined) return;
    while (this.held === 0) {
      const now = this.deps.clock();
      const taken = await takeTokens(this.deps.db, this.transport, left, now, { maxRate: this.maxRate });
      this.held = taken.granted;
      if (taken.retryAt) await this.deps.sleep(Math.min(MAX_WAIT_MS, taken.retryAt.getTime() - now.getTime()));
    }
    this.held--;
  }

  /** The provider throttled: the rate halves for every sender, and this one gives up what it held. */
  async throttled(): Promise<void> {
    if (this.maxRate === undefined) return;
    this.held = 0;
    await reportThrottled(this.deps.db, this.transport, this.deps.clock());
  }
}
