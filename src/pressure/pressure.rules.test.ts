// Pressure-cap windows: where each window starts, when a capped contact may receive again, and how much of a
// cap each priority may use. Expected instants are written out by hand (Paris UTC+1 in November, Toronto UTC-4
// until 2026-11-01 02:00 local then UTC-5).
import { describe, expect, it } from 'vitest';
import { allowance, DEFAULT_PRESSURE_RULES, describeRule, reopensAt, windowStart, type PressureRule } from './pressure.rules.js';
import { capsFor } from './pressure.service.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const month: PressureRule = { channel: 'sms', max: 2, period: 'calendar_month' };
const week: PressureRule = { channel: 'sms', max: 1, period: 'calendar_week' };
const rolling7: PressureRule = { channel: 'email', max: 2, period: 'rolling_days', days: 7 };

describe('windowStart', () => {
  it('calendar month and week in the contact zone', () => {
    expect(iso(windowStart(month, 'Europe/Paris', at('2026-11-15T12:00:00Z')))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(windowStart(month, 'America/Toronto', at('2026-11-15T12:00:00Z')))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(windowStart(month, 'UTC', at('2026-11-15T12:00:00Z')))).toBe('2026-11-01T00:00:00.000Z');
    // Wednesday 2026-11-11: the week began on Monday 9 November.
    expect(iso(windowStart(week, 'Europe/Paris', at('2026-11-11T12:00:00Z')))).toBe('2026-11-08T23:00:00.000Z');
    expect(iso(windowStart(week, 'America/Toronto', at('2026-11-01T12:00:00Z')))).toBe('2026-10-26T04:00:00.000Z');
  });

  it('a rolling window covers the last N days; a send exactly N days old has left it', () => {
    const now = at('2026-11-15T12:00:00Z');
    const since = windowStart(rolling7, 'Europe/Paris', now);
    // Same whatever the zone.
    expect(since.getTime()).toBe(windowStart(rolling7, 'America/Toronto', now).getTime());
    const sevenDaysAgo = at('2026-11-08T12:00:00Z');
    expect(sevenDaysAgo >= since).toBe(false);
    expect(new Date(sevenDaysAgo.getTime() + 1) >= since).toBe(true);
  });
});

describe('reopensAt', () => {
  it('calendar windows reopen at the next local month or Monday', () => {
    expect(iso(reopensAt(month, 'Europe/Paris', at('2026-11-15T12:00:00Z'), []))).toBe('2026-11-30T23:00:00.000Z');
    expect(iso(reopensAt(month, 'America/Toronto', at('2026-11-15T12:00:00Z'), []))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(reopensAt(month, 'Europe/Paris', at('2026-12-20T12:00:00Z'), []))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(reopensAt(week, 'Europe/Paris', at('2026-11-11T12:00:00Z'), []))).toBe('2026-11-15T23:00:00.000Z');
    expect(iso(reopensAt(week, 'America/Toronto', at('2026-11-01T12:00:00Z'), []))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('a rolling window reopens when the oldest send that keeps it full leaves the window', () => {
    const now = at('2026-11-15T12:00:00Z');
    // Two sends, cap 2: the older one (12 Nov 10:00) leaving frees a slot.
    expect(iso(reopensAt(rolling7, 'Europe/Paris', now, [at('2026-11-14T10:00:00Z'), at('2026-11-12T10:00:00Z')]))).toBe('2026-11-19T10:00:00.000Z');
    // Three sends (the cap was lowered meanwhile), cap 2: two must leave, so the second oldest decides.
    const three = [at('2026-11-14T10:00:00Z'), at('2026-11-09T10:00:00Z'), at('2026-11-12T10:00:00Z')];
    expect(iso(reopensAt(rolling7, 'Europe/Paris', now, three))).toBe('2026-11-19T10:00:00.000Z');
    // At that instant the window no longer holds the blocking send.
    const reopen = reopensAt(rolling7, 'Europe/Paris', now, three);
    const since = windowStart(rolling7, 'Europe/Paris', reopen);
    expect(three.filter((d) => d >= since).length).toBe(1);
    expect(three.filter((d) => d >= windowStart(rolling7, 'Europe/Paris', new Date(reopen.getTime() - 1))).length).toBe(2);
  });

  it('for a low-priority message, which may not use the last slot, the window must empty one more send', () => {
    const rule: PressureRule = { channel: 'sms', max: 2, period: 'rolling_days', days: 30 };
    const now = at('2026-11-15T12:00:00Z');
    const counted = [at('2026-11-02T10:00:00Z'), at('2026-11-10T10:00:00Z')];
    // Normal priority (allowance 2): one send leaving is enough → 2 Nov + 30 days.
    expect(iso(reopensAt(rule, 'Europe/Paris', now, counted, allowance(rule, 'normal')))).toBe('2026-12-02T10:00:00.000Z');
    // Low priority (allowance 1): both must leave → 10 Nov + 30 days.
    expect(iso(reopensAt(rule, 'Europe/Paris', now, counted, allowance(rule, 'low')))).toBe('2026-12-10T10:00:00.000Z');
    // Low priority with one send: it leaving is enough.
    expect(iso(reopensAt(rule, 'Europe/Paris', now, [counted[1]], allowance(rule, 'low')))).toBe('2026-12-10T10:00:00.000Z');
  });
});

describe('allowance', () => {
  it('low priority leaves the last slot to normal and high priority', () => {
    expect(allowance(month, 'high')).toBe(2);
    expect(allowance(month, 'normal')).toBe(2);
    expect(allowance(month, 'low')).toBe(1);
    expect(allowance(week, 'low')).toBe(0);
    expect(allowance({ channel: 'email', max: 0, period: 'calendar_month' }, 'low')).toBe(0);
    expect(allowance({ channel: 'email', max: 0, period: 'calendar_month' }, 'high')).toBe(0);
  });
});

describe('describeRule and capsFor', () => {
  it('labels each rule as the counts show it', () => {
    expect(describeRule({ channel: 'sms', max: 1, period: 'calendar_month' })).toBe('sms: 1 per calendar month');
    expect(describeRule(week)).toBe('sms: 1 per calendar week');
    expect(describeRule({ channel: 'email', max: 3, period: 'rolling_days', days: 7 })).toBe('email: 3 per 7 days');
  });

  it('the defaults are SMS 2, email 12 and postal 2 per calendar month, webhook 4 per calendar week, calls 4 per 30 days, one per channel of the registry', () => {
    expect(DEFAULT_PRESSURE_RULES.map(describeRule)).toEqual(['email: 12 per calendar month', 'sms: 2 per calendar month', 'postal: 2 per calendar month', 'webhook: 4 per calendar week', 'call: 4 per 30 days']);
  });

  it("a channel's caps are the workspace rules for it plus the contact's own choice", () => {
    const rules: PressureRule[] = [month, week, rolling7];
    expect(capsFor(rules, 'sms').map((c) => c.label)).toEqual(['sms: 2 per calendar month', 'sms: 1 per calendar week']);
    expect(capsFor(rules, 'postal')).toEqual([]);
    const own = capsFor(rules, 'email', { max_messages: 1, period: 'calendar_week', days: null });
    expect(own.map((c) => c.label)).toEqual(['email: 2 per 7 days', 'contact preference (email: 1 per calendar week)']);
    expect(own[1].rule).toEqual({ channel: 'email', max: 1, period: 'calendar_week', days: undefined });
  });
});
