import { describe, expect, it } from 'vitest';
import { completeResults, pickWinner, type VariantResult } from './ab-test.js';

const v = (variant: number, sent: number, hits: Partial<Pick<VariantResult, 'opened' | 'clicked' | 'converted'>> = {}): VariantResult => ({
  variant, sent, opened: 0, clicked: 0, converted: 0, revenue: 0, ...hits,
});

describe('the winner of an A/B test', () => {
  it('is the highest rate of the metric over messages sent, not the highest count', () => {
    // Clicks: 10/100 = 0.1, 6/50 = 0.12, 3/40 = 0.075.
    expect(pickWinner([v(1, 100, { clicked: 10 }), v(2, 50, { clicked: 6 }), v(3, 40, { clicked: 3 })], 'clicks')).toBe(2);
    // The same results decided on opens or conversions look at those counts only.
    const results = [v(1, 10, { opened: 5, converted: 0 }), v(2, 10, { opened: 1, converted: 2 })];
    expect([pickWinner(results, 'opens'), pickWinner(results, 'conversions')]).toEqual([1, 2]);
  });

  it('goes to the lowest variant of equal rates, compared exactly', () => {
    expect(pickWinner([v(1, 7, { opened: 2 }), v(2, 14, { opened: 4 }), v(3, 21, { opened: 6 })], 'opens')).toBe(1);
    expect(pickWinner([v(1, 10), v(2, 10), v(3, 10)], 'clicks')).toBe(1);
    // 1/3 against 333/1000: rounded to 4 decimals they differ by little, exactly 1/3 is higher.
    expect(pickWinner([v(1, 1000, { clicked: 333 }), v(2, 3, { clicked: 1 })], 'clicks')).toBe(2);
    expect(pickWinner([v(1, 3, { clicked: 1 }), v(2, 3_000_000, { clicked: 1_000_000 })], 'clicks')).toBe(1);
  });

  it('counts a variant with nothing sent as a rate of 0', () => {
    expect(pickWinner([v(1, 0), v(2, 5, { clicked: 1 })], 'clicks')).toBe(2);
    expect(pickWinner([v(1, 5), v(2, 0)], 'clicks')).toBe(1);
    expect(pickWinner(completeResults(3, [v(3, 4, { clicked: 1 })]), 'clicks')).toBe(3);
    expect(pickWinner(completeResults(2, []), 'clicks')).toBe(1);
  });
});
