// Quiet hours: the next instant a message may go, in the contact's zone, skipping public holidays of their country.
// Calendar facts used below: 2026-11-15 is a Sunday; 2026-11-11 (Armistice) a Wednesday; 2026-12-25 a Friday;
// 2026-07-01 (Canada Day) a Wednesday; 2026-02-06 (Waitangi Day, New Zealand) a Friday.
// Paris is UTC+1 in winter, UTC+2 in summer; Toronto UTC-4 in summer, UTC-5 in winter; Auckland UTC+13 in February.
import { describe, expect, it } from 'vitest';
import { createHolidayCalendar, DEFAULT_QUIET_HOURS, nextOpening, type QuietHoursRule } from './quiet-hours.js';

const at = (iso: string) => new Date(iso);
const calendar = createHolidayCalendar();
const sms = (tz: string, country: string, now: string, rules: QuietHoursRule[] = DEFAULT_QUIET_HOURS) =>
  nextOpening(rules, 'sms', tz, country, at(now), calendar)?.toISOString();

describe('nextOpening with the default SMS rule (Mon–Sat 08:00–20:00, no public holidays)', () => {
  it('a Sunday waits for Monday 08:00 local', () => {
    // Sunday 15 Nov, 11:00 CET → Monday 16 Nov 08:00 CET.
    expect(sms('Europe/Paris', 'FR', '2026-11-15T10:00:00Z')).toBe('2026-11-16T07:00:00.000Z');
    // Sunday 29 Mar (summer time starts at 02:00), 12:00 CEST → Monday 30 Mar 08:00 CEST.
    expect(sms('Europe/Paris', 'FR', '2026-03-29T10:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    // Sunday 1 Nov in Toronto (clocks went back at 02:00), 12:00 EST → Monday 2 Nov 08:00 EST.
    expect(sms('America/Toronto', 'CA', '2026-11-01T17:00:00Z')).toBe('2026-11-02T13:00:00.000Z');
  });

  it('21:00 on Saturday skips Sunday', () => {
    expect(sms('Europe/Paris', 'FR', '2026-11-14T20:00:00Z')).toBe('2026-11-16T07:00:00.000Z');
  });

  it('07:00 on Tuesday waits for 08:00 the same day', () => {
    expect(sms('Europe/Paris', 'FR', '2026-11-17T06:00:00Z')).toBe('2026-11-17T07:00:00.000Z');
    // In summer time: 07:00 CEST = 05:00Z → 08:00 CEST = 06:00Z.
    expect(sms('Europe/Paris', 'FR', '2026-07-07T05:00:00Z')).toBe('2026-07-07T06:00:00.000Z');
  });

  it('inside the window it may go now; 08:00 is open and 20:00 is closed', () => {
    expect(sms('Europe/Paris', 'FR', '2026-11-17T10:00:00Z')).toBeUndefined();
    expect(sms('Europe/Paris', 'FR', '2026-11-17T07:00:00Z')).toBeUndefined(); // 08:00 CET
    expect(sms('Europe/Paris', 'FR', '2026-11-17T18:59:00Z')).toBeUndefined(); // 19:59 CET
    expect(sms('Europe/Paris', 'FR', '2026-11-17T19:00:00Z')).toBe('2026-11-18T07:00:00.000Z'); // 20:00 CET
    // Saturday is a working day for SMS.
    expect(sms('Europe/Paris', 'FR', '2026-11-14T10:00:00Z')).toBeUndefined();
  });

  it('the window is read in the contact zone, not UTC', () => {
    // 10:00Z on a Tuesday is 05:00 EST in Toronto: wait for 08:00 EST = 13:00Z.
    expect(sms('America/Toronto', 'CA', '2026-11-17T10:00:00Z')).toBe('2026-11-17T13:00:00.000Z');
    // 23:30Z on Saturday is 18:30 EST in Toronto (open) but 00:30 Sunday in Paris (closed).
    expect(sms('America/Toronto', 'CA', '2026-11-14T23:30:00Z')).toBeUndefined();
    expect(sms('Europe/Paris', 'FR', '2026-11-14T23:30:00Z')).toBe('2026-11-16T07:00:00.000Z');
  });

  it('a French public holiday moves to the next allowed day', () => {
    // Christmas (Friday): from Thursday 24 Dec 21:00 CET, or from Christmas morning → Saturday 26 Dec 08:00 CET.
    expect(sms('Europe/Paris', 'FR', '2026-12-24T20:00:00Z')).toBe('2026-12-26T07:00:00.000Z');
    expect(sms('Europe/Paris', 'FR', '2026-12-25T09:00:00Z')).toBe('2026-12-26T07:00:00.000Z');
    // Armistice (Wednesday 11 Nov): 10:00 CET → Thursday 12 Nov 08:00 CET; Tuesday 20:30 → the same.
    expect(sms('Europe/Paris', 'FR', '2026-11-11T09:00:00Z')).toBe('2026-11-12T07:00:00.000Z');
    expect(sms('Europe/Paris', 'FR', '2026-11-10T19:30:00Z')).toBe('2026-11-12T07:00:00.000Z');
    // The day before a holiday is an ordinary day.
    expect(sms('Europe/Paris', 'FR', '2026-12-24T09:00:00Z')).toBeUndefined();
  });

  it("holidays are the contact's country's, not the time zone's", () => {
    // 11 November is not a public holiday in Germany.
    expect(sms('Europe/Paris', 'DE', '2026-11-11T09:00:00Z')).toBeUndefined();
    // Canada Day (Wednesday 1 July), 10:00 EDT in Toronto → Thursday 2 July 08:00 EDT.
    expect(sms('America/Toronto', 'CA', '2026-07-01T14:00:00Z')).toBe('2026-07-02T12:00:00.000Z');
    // A French contact in Toronto on 1 July may be sent to.
    expect(sms('America/Toronto', 'FR', '2026-07-01T14:00:00Z')).toBeUndefined();
    // An unknown country has no holidays rather than an error.
    expect(sms('Europe/Paris', 'ZZ', '2026-12-25T09:00:00Z')).toBeUndefined();
  });

  it('a holiday is matched on the local date even far east of UTC (New Zealand, UTC+13)', () => {
    // Thursday 5 Feb, 11:00 NZDT (2026-02-04T22:00Z): an ordinary day.
    expect(sms('Pacific/Auckland', 'NZ', '2026-02-04T22:00:00Z')).toBeUndefined();
    // Friday 6 Feb (Waitangi Day), 11:00 NZDT → Saturday 7 Feb 08:00 NZDT = 2026-02-06T19:00Z.
    expect(sms('Pacific/Auckland', 'NZ', '2026-02-05T22:00:00Z')).toBe('2026-02-06T19:00:00.000Z');
  });

  it('skip_holidays false ignores holidays', () => {
    const rules: QuietHoursRule[] = [{ ...DEFAULT_QUIET_HOURS[0], skip_holidays: false }];
    expect(sms('Europe/Paris', 'FR', '2026-12-25T09:00:00Z', rules)).toBeUndefined();
  });
});

describe('nextOpening with several rules, and channels without rules', () => {
  const rules: QuietHoursRule[] = [
    { channel: 'sms', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00', skip_holidays: true },
    { channel: 'sms', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '10:00', to: '12:00', skip_holidays: false },
    { channel: 'email', days: ['mon'], from: '09:00', to: '10:00', skip_holidays: false },
  ];

  it('every rule of the channel has to allow the moment', () => {
    // Tuesday 09:00 CET: the first rule allows, the second not until 10:00.
    expect(sms('Europe/Paris', 'FR', '2026-11-17T08:00:00Z', rules)).toBe('2026-11-17T09:00:00.000Z');
    expect(sms('Europe/Paris', 'FR', '2026-11-17T10:30:00Z', rules)).toBeUndefined(); // 11:30 CET
    // Tuesday 12:30 CET: closed by the second rule until Wednesday 10:00 (Wednesday 08:00 is not enough).
    expect(sms('Europe/Paris', 'FR', '2026-11-17T11:30:00Z', rules)).toBe('2026-11-18T09:00:00.000Z');
    // Sunday 11:00 CET: the second rule allows, the first not on Sundays → Monday 10:00 CET.
    expect(sms('Europe/Paris', 'FR', '2026-11-15T10:00:00Z', rules)).toBe('2026-11-16T09:00:00.000Z');
  });

  it('rules of other channels do not apply; a channel without rules is never held', () => {
    // Email only on Mondays 09:00–10:00: Tuesday waits for next Monday 09:00 CET.
    expect(nextOpening(rules, 'email', 'Europe/Paris', 'FR', at('2026-11-17T08:00:00Z'), calendar)?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(nextOpening(rules, 'postal', 'Europe/Paris', 'FR', at('2026-11-15T10:00:00Z'), calendar)).toBeUndefined();
    expect(nextOpening(DEFAULT_QUIET_HOURS, 'email', 'Europe/Paris', 'FR', at('2026-11-15T10:00:00Z'), calendar)).toBeUndefined();
    expect(nextOpening([], 'sms', 'Europe/Paris', 'FR', at('2026-11-15T10:00:00Z'), calendar)).toBeUndefined();
  });
});
