import { describe, expect, it } from 'vitest';
import { ErrorRate, retryCeilingMs, retryDelayMs } from './send-policy.js';

describe('retry backoff', () => {
  it('doubles from 30 s per attempt up to an hour', () => {
    // 30 s, 1, 2, 4, 8, 16, 32 min, then 64 min capped at 60.
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryCeilingMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('waits a random share of the ceiling (full jitter), never less than a second', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(3, () => 0.25)).toBe(30_000);
    expect(retryDelayMs(12, () => 0.999_999)).toBe(3_599_996);
  });
});

describe('error rate', () => {
  const feed = (rate: ErrorRate, pattern: string) => [...pattern].map((c) => (rate.record(c === 'x'), rate.exceeded()));

  it('judges nothing before 50 outcomes, then pauses once the failures are more than the limit', () => {
    const rate = new ErrorRate(0.2);
    // 49 outcomes, all failed: too few to judge.
    expect(feed(rate, 'x'.repeat(49)).every((r) => r === undefined)).toBe(true);
    expect(feed(rate, 'x')).toEqual(['error_rate: 50 of the last 50 messages failed (100%, over the limit of 20%)']);
  });

  it('is strict: exactly the limit does not pause', () => {
    const rate = new ErrorRate(0.2);
    // 10 of 50 is 20%: not over. The 51st, a failure, makes 11 of 51 (21.6%).
    expect(feed(rate, 'x'.repeat(10) + '.'.repeat(40)).every((r) => r === undefined)).toBe(true);
    expect(feed(rate, 'x')).toEqual(['error_rate: 11 of the last 51 messages failed (21.6%, over the limit of 20%)']);
  });

  it('forgets what is older than the last 200', () => {
    const rate = new ErrorRate(0.2);
    feed(rate, 'x'.repeat(40) + '.'.repeat(160));
    // 40 of 200: exactly 20%. Each success now pushes out an old failure.
    expect(rate.exceeded()).toBeUndefined();
    feed(rate, '.'.repeat(40));
    feed(rate, 'x'.repeat(40));
    expect(rate.exceeded()).toBeUndefined();
    expect(feed(rate, 'x')).toEqual(['error_rate: 41 of the last 200 messages failed (20.5%, over the limit of 20%)']);
  });

  it('never pauses at a limit of 1', () => {
    const rate = new ErrorRate(1);
    expect(feed(rate, 'x'.repeat(300)).every((r) => r === undefined)).toBe(true);
  });
});
