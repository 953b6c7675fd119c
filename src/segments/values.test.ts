// The typed value check every comparison, window and count of a rule goes through.
import { describe, expect, it } from 'vitest';
import { NUL_MESSAGE, SURROGATE_MESSAGE } from '../http/storable.js';
import { checkValue } from './values.js';

const value = (...args: Parameters<typeof checkValue>) => {
  const c = checkValue(...args);
  return 'value' in c ? c.value : undefined;
};
const problem = (...args: Parameters<typeof checkValue>) => {
  const c = checkValue(...args);
  return 'problem' in c ? c.problem : undefined;
};

describe('checkValue', () => {
  it('integers: whole, finite and in range (ids are bigint, counts integer)', () => {
    expect(value('integer', 3)).toBe(3);
    expect(value('integer', -2)).toBe(-2);
    expect(value('integer', Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [1.5, 1e30, Number.MAX_SAFE_INTEGER + 2, Infinity, NaN, '3', null, true]) expect(problem('integer', bad)).toBeDefined();
    expect(problem('integer', 1.5)).toBe('must be a whole number');
    expect(problem('integer', 1e30)).toBe(`must be a whole number between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
    expect(problem('integer', 0, { min: 1, max: 36500, noun: 'a whole number of days' })).toBe('must be a whole number of days between 1 and 36500');
  });

  it('numbers: any finite number, the largest included', () => {
    expect(value('number', 1.5)).toBe(1.5);
    expect(value('number', Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(value('number', -5e-324)).toBe(-5e-324);
    for (const bad of [Infinity, -Infinity, NaN, '800', null]) expect(problem('number', bad)).toBe('must be a number');
  });

  it('dates: real calendar dates within the years 1000 to 9999, French order accepted', () => {
    expect(value('date', '2024-02-29')).toBe('2024-02-29');
    expect(value('date', '29/02/2024')).toBe('2024-02-29');
    expect(value('date', ' 2026-05-17 ')).toBe('2026-05-17');
    for (const bad of ['2024', '2023-02-29', '2024-13-45', '0000-01-01', '0999-12-31', '10000-01-01', 'soon', 20240101, null]) {
      expect(problem('date', bad), String(bad)).toMatch(/^must be a date such as 2026-05-17/);
    }
  });

  it('timestamps: a date (midnight) or an ISO date-time with its zone, as an instant in range', () => {
    expect(value('timestamp', '2024-01-01')).toBe('2024-01-01');
    expect(value('timestamp', '2026-05-17T09:30:00Z')).toBe('2026-05-17T09:30:00.000Z');
    expect(value('timestamp', '2026-05-17T09:30:00+02:00')).toBe('2026-05-17T07:30:00.000Z');
    expect(value('timestamp', '2026-05-17 09:30+0200')).toBe('2026-05-17T07:30:00.000Z');
    expect(value('timestamp', '2026-05-17T09:30:00.123456Z')).toBe('2026-05-17T09:30:00.123Z');
    // What Date.parse alone lets through and PostgreSQL refuses or reads otherwise.
    for (const bad of ['2024', '1', 'March 7, 2024', '2024-01', '2026-13-45T99:00:00Z', '2026-02-30T10:00:00Z', '2026-05-17T24:00:00Z',
      '2026-05-17T09:30:00+15:00', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '2026-05-17T09:30:00 garbage']) {
      expect(problem('timestamp', bad), bad).toMatch(/^must be a date such as 2026-05-17 or a date-time/);
    }
    expect(value('timestamp', '9999-12-31T23:59:59Z')).toBe('9999-12-31T23:59:59.000Z');
  });

  it('text: no NUL, no lone surrogate, at most 1000 characters', () => {
    expect(value('text', 'Maryse')).toBe('Maryse');
    expect(value('text', 'émoji 🎉')).toBe('émoji 🎉');
    expect(problem('text', 'a\u0000b')).toBe(NUL_MESSAGE);
    expect(problem('text', 'a\ud800b')).toBe(SURROGATE_MESSAGE);
    expect(problem('text', '\udc00')).toBe(SURROGATE_MESSAGE);
    expect(value('text', 'x'.repeat(1000))).toHaveLength(1000);
    expect(problem('text', 'x'.repeat(1001))).toBe('must be at most 1000 characters');
    expect(problem('text', 3)).toBe('must be text');
  });

  it('booleans and enums', () => {
    expect(value('boolean', false)).toBe(false);
    expect(problem('boolean', 'yes')).toBe('must be true or false');
    expect(value('enum', 'gold', { values: ['bronze', 'gold'] })).toBe('gold');
    expect(problem('enum', 'platinum', { values: ['bronze', 'gold'] })).toBe('must be one of bronze, gold');
  });
});
