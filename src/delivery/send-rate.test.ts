import { describe, expect, it } from 'vitest';
import { classifySesError } from '../channels/email/ses.js';
import { RetryableSendError, ThrottledSendError } from '../channels/types.js';
import { isThrottling, retryAt, take, throttle, type Bucket } from './send-rate.js';

const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const full = (rate: number): Bucket => ({ rate, tokens: rate, refilledAt: T0, throttledUntil: null, maxRate: rate });

describe('token bucket', () => {
  it('holds one second of the rate, and refills at the rate', () => {
    const first = take(full(5), 12, T0);
    expect([first.granted, first.bucket.tokens]).toEqual([5, 0]);
    expect(take(first.bucket, 7, T0).granted).toBe(0);
    expect(take(first.bucket, 7, at(1000)).granted).toBe(5);
    // 400 ms at 5/s: two tokens.
    expect(take(first.bucket, 7, at(400))).toEqual({ granted: 2, bucket: { ...first.bucket, tokens: 0, refilledAt: at(400) } });
    // Ten idle seconds still make one second's worth.
    expect(take(first.bucket, 100, at(10_000)).granted).toBe(5);
  });

  it('grants whole tokens and keeps the fraction', () => {
    const empty = { ...full(5), tokens: 0 };
    const r = take(empty, 3, at(300));
    expect(r.granted).toBe(1);
    expect(r.bucket.tokens).toBeCloseTo(0.5, 12);
  });

  it('grants no more than wanted', () => {
    expect(take(full(5), 3, T0)).toEqual({ granted: 3, bucket: { ...full(5), tokens: 2 } });
  });

  it('tells an empty-handed taker to come back when the bucket holds what it wants, at most a full bucket', () => {
    expect(retryAt({ tokens: 0, rate: 5 }, 7, T0)).toEqual(at(1000));
    expect(retryAt({ tokens: 0, rate: 5 }, 2, T0)).toEqual(at(400));
    expect(retryAt({ tokens: 0.5, rate: 5 }, 3, T0)).toEqual(at(500));
    // Never now: at least a millisecond.
    expect(retryAt({ tokens: 0.999_999_999_9, rate: 5 }, 1, T0)).toEqual(at(1));
  });
});

describe('throttling and recovery', () => {
  it('halves the rate and empties the bucket, once per burst, down to 1/s', () => {
    const once = throttle(full(12), T0);
    expect(once).toEqual({ rate: 6, tokens: 0, refilledAt: T0, throttledUntil: at(1000), maxRate: 12 });
    // Another sender throttled by the same burst, within the second.
    expect(throttle(once, at(500))).toBe(once);
    expect(throttle(once, at(1000)).rate).toBe(3);
    expect(throttle({ ...full(12), rate: 1.5 }, T0).rate).toBe(1);
    expect(throttle({ ...full(12), rate: 1 }, T0).rate).toBe(1);
  });

  it('gives back a tenth of the maximum per minute without throttling, from the end of the hold, up to the maximum', () => {
    // 600/s halved to 300/s: recovery is 60/s per minute, 1/s per second.
    const halved = throttle(full(600), T0);
    expect(take(halved, 1, at(1000)).bucket.rate).toBe(300);
    const minute = take(halved, 1000, at(61_000));
    expect([minute.bucket.rate, minute.granted]).toEqual([360, 360]);
    // It refills at once, at the halved rate: 300/s for 0.1 s.
    expect(take(halved, 1000, at(100)).granted).toBe(30);
    expect(take(halved, 1, at(10 * 60_000)).bucket.rate).toBe(600);
    // Recovery is additive: two steps make one.
    const twoSteps = take(take(halved, 1, at(31_000)).bucket, 1, at(61_000)).bucket;
    expect(twoSteps.rate).toBe(360);
  });
});

describe('isThrottling', () => {
  const sdk = (name: string, status: number) => Object.assign(new Error('refused'), { name, $metadata: { httpStatusCode: status } });

  it('is SES throttling and HTTP 429, not quotas, server errors or permanent errors', () => {
    expect(isThrottling(classifySesError(sdk('ThrottlingException', 400)))).toBe(true);
    expect(isThrottling(classifySesError(sdk('TooManyRequestsException', 429)))).toBe(true);
    expect(isThrottling(classifySesError(sdk('LimitExceededException', 400)))).toBe(false);
    expect(isThrottling(classifySesError(sdk('InternalFailure', 500)))).toBe(false);
    expect(isThrottling(classifySesError(sdk('MessageRejected', 400)))).toBe(false);
    // What a provider says: a ThrottledSendError is throttling, any other retryable failure is not.
    expect(isThrottling(new ThrottledSendError('Twilio 429: Too Many Requests'))).toBe(true);
    expect(isThrottling(new RetryableSendError('Twilio 429: Too Many Requests'))).toBe(false);
    expect(isThrottling(new RetryableSendError('Twilio 503: try later'))).toBe(false);
  });
});
