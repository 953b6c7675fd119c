// Calendar windows in a contact's time zone. Every expected instant is written out by hand:
// Paris is UTC+1 (CET) in winter and UTC+2 (CEST) in summer, switching on 2026-03-29 at 02:00 local and back on
// 2026-10-25 at 03:00 local; Toronto is UTC-5 (EST) / UTC-4 (EDT), switching on 2026-03-08 and back on
// 2026-11-01 at 02:00 local. 2026-01-01 is a Thursday, 2027-01-01 a Friday.
import { describe, expect, it } from 'vitest';
import { localParts, safeZone, startOfMonth, startOfNextMonth, startOfNextWeek, startOfWeek, zonedTime } from './time-windows.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('startOfMonth / startOfNextMonth', () => {
  it('Europe/Paris, in winter and summer time and across the October change', () => {
    // November starts on 2026-11-01 00:00 CET (UTC+1).
    expect(iso(startOfMonth('Europe/Paris', at('2026-11-15T12:00:00Z')))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-11-15T12:00:00Z')))).toBe('2026-11-30T23:00:00.000Z');
    // October starts in summer time (UTC+2) and ends in winter time (the change is on the 25th).
    expect(iso(startOfMonth('Europe/Paris', at('2026-10-15T12:00:00Z')))).toBe('2026-09-30T22:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-10-15T12:00:00Z')))).toBe('2026-10-31T23:00:00.000Z');
    // The last second of October in Paris, and the first of November.
    expect(iso(startOfMonth('Europe/Paris', at('2026-10-31T22:59:59Z')))).toBe('2026-09-30T22:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-10-31T22:59:59Z')))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(startOfMonth('Europe/Paris', at('2026-10-31T23:00:00Z')))).toBe('2026-10-31T23:00:00.000Z');
  });

  it('Europe/Paris on the day summer time begins (2026-03-29)', () => {
    expect(iso(startOfMonth('Europe/Paris', at('2026-03-29T12:00:00Z')))).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-03-29T12:00:00Z')))).toBe('2026-03-31T22:00:00.000Z');
  });

  it('America/Toronto, across the November change', () => {
    // 2026-11-01 00:00 is still EDT (UTC-4): the clocks go back at 02:00 that night.
    expect(iso(startOfNextMonth('America/Toronto', at('2026-10-20T12:00:00Z')))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(startOfMonth('America/Toronto', at('2026-10-20T12:00:00Z')))).toBe('2026-10-01T04:00:00.000Z');
    expect(iso(startOfMonth('America/Toronto', at('2026-11-20T12:00:00Z')))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(startOfNextMonth('America/Toronto', at('2026-11-20T12:00:00Z')))).toBe('2026-12-01T05:00:00.000Z');
    // 03:30 UTC on Nov 1 is still October 31 (23:30 EDT) in Toronto, while it is November in UTC and Paris.
    expect(iso(startOfMonth('America/Toronto', at('2026-11-01T03:30:00Z')))).toBe('2026-10-01T04:00:00.000Z');
    expect(iso(startOfMonth('UTC', at('2026-11-01T03:30:00Z')))).toBe('2026-11-01T00:00:00.000Z');
    // 05:30 UTC is 01:30 EDT on Nov 1 (the first of the two 01:30s).
    expect(iso(startOfMonth('America/Toronto', at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T04:00:00.000Z');
    // March: starts in EST, April starts in EDT.
    expect(iso(startOfMonth('America/Toronto', at('2026-03-20T12:00:00Z')))).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(startOfNextMonth('America/Toronto', at('2026-03-20T12:00:00Z')))).toBe('2026-04-01T04:00:00.000Z');
  });

  it('UTC, and an unknown zone falls back to UTC', () => {
    expect(iso(startOfMonth('UTC', at('2026-11-15T12:00:00Z')))).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(startOfNextMonth('UTC', at('2026-11-15T12:00:00Z')))).toBe('2026-12-01T00:00:00.000Z');
    expect(safeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(iso(startOfMonth('Mars/Olympus_Mons', at('2026-11-15T12:00:00Z')))).toBe('2026-11-01T00:00:00.000Z');
  });

  it('New Year', () => {
    // 22:59:59Z on Dec 31 is 23:59:59 in Paris: still December.
    expect(iso(startOfMonth('Europe/Paris', at('2026-12-31T22:59:59Z')))).toBe('2026-11-30T23:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-12-31T22:59:59Z')))).toBe('2026-12-31T23:00:00.000Z');
    // 23:30Z on Dec 31 is already 00:30 on Jan 1 in Paris: the month is January 2027.
    expect(iso(startOfMonth('Europe/Paris', at('2026-12-31T23:30:00Z')))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(startOfNextMonth('Europe/Paris', at('2026-12-31T23:30:00Z')))).toBe('2027-01-31T23:00:00.000Z');
    // 03:00Z on Jan 1 is still Dec 31, 22:00 EST, in Toronto.
    expect(iso(startOfMonth('America/Toronto', at('2027-01-01T03:00:00Z')))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(startOfNextMonth('America/Toronto', at('2027-01-01T03:00:00Z')))).toBe('2027-01-01T05:00:00.000Z');
    expect(iso(startOfNextMonth('UTC', at('2026-12-31T23:59:59Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(startOfMonth('UTC', at('2027-01-01T00:00:00Z')))).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('startOfWeek / startOfNextWeek (weeks start on Monday)', () => {
  it('Europe/Paris across the spring change: the week of 2026-03-23 lasts 167 hours', () => {
    // Sunday 2026-03-29, 14:00 CEST.
    const sunday = at('2026-03-29T12:00:00Z');
    expect(iso(startOfWeek('Europe/Paris', sunday))).toBe('2026-03-22T23:00:00.000Z'); // Monday 23 March 00:00 CET
    expect(iso(startOfNextWeek('Europe/Paris', sunday))).toBe('2026-03-29T22:00:00.000Z'); // Monday 30 March 00:00 CEST
    // The last second of that Sunday, and Monday midnight itself.
    expect(iso(startOfWeek('Europe/Paris', at('2026-03-29T21:59:59Z')))).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(startOfWeek('Europe/Paris', at('2026-03-29T22:00:00Z')))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(startOfNextWeek('Europe/Paris', at('2026-03-29T22:00:00Z')))).toBe('2026-04-05T22:00:00.000Z');
  });

  it('Europe/Paris across the autumn change, and mid-week', () => {
    // Sunday 2026-10-25, the day summer time ends.
    expect(iso(startOfWeek('Europe/Paris', at('2026-10-25T12:00:00Z')))).toBe('2026-10-18T22:00:00.000Z');
    expect(iso(startOfNextWeek('Europe/Paris', at('2026-10-25T12:00:00Z')))).toBe('2026-10-25T23:00:00.000Z');
    // Wednesday 2026-11-11.
    expect(iso(startOfWeek('Europe/Paris', at('2026-11-11T12:00:00Z')))).toBe('2026-11-08T23:00:00.000Z');
    expect(iso(startOfNextWeek('Europe/Paris', at('2026-11-11T12:00:00Z')))).toBe('2026-11-15T23:00:00.000Z');
    // Sunday 23:30 UTC is already Monday 00:30 in Paris.
    expect(iso(startOfWeek('Europe/Paris', at('2026-11-08T23:30:00Z')))).toBe('2026-11-08T23:00:00.000Z');
  });

  it('America/Toronto across the November change: the week of 2026-10-26 lasts 169 hours', () => {
    // Sunday 2026-11-01, 07:00 EST.
    const sunday = at('2026-11-01T12:00:00Z');
    expect(iso(startOfWeek('America/Toronto', sunday))).toBe('2026-10-26T04:00:00.000Z'); // Monday 26 Oct 00:00 EDT
    expect(iso(startOfNextWeek('America/Toronto', sunday))).toBe('2026-11-02T05:00:00.000Z'); // Monday 2 Nov 00:00 EST
    // Monday 03:00 UTC is still Sunday 22:00 in Toronto: the week is the previous one.
    expect(iso(startOfWeek('America/Toronto', at('2026-11-09T03:00:00Z')))).toBe('2026-11-02T05:00:00.000Z');
    expect(iso(startOfNextWeek('America/Toronto', at('2026-11-09T03:00:00Z')))).toBe('2026-11-09T05:00:00.000Z');
    expect(iso(startOfWeek('UTC', at('2026-11-09T03:00:00Z')))).toBe('2026-11-09T00:00:00.000Z');
  });

  it('America/Toronto across the March change', () => {
    // Thursday 2026-03-05; clocks go forward on Sunday 2026-03-08.
    expect(iso(startOfWeek('America/Toronto', at('2026-03-05T12:00:00Z')))).toBe('2026-03-02T05:00:00.000Z');
    expect(iso(startOfNextWeek('America/Toronto', at('2026-03-05T12:00:00Z')))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('a week spanning New Year starts in the previous year', () => {
    // Friday 2027-01-01: its week began on Monday 2026-12-28.
    const newYear = at('2027-01-01T12:00:00Z');
    expect(iso(startOfWeek('Europe/Paris', newYear))).toBe('2026-12-27T23:00:00.000Z');
    expect(iso(startOfNextWeek('Europe/Paris', newYear))).toBe('2027-01-03T23:00:00.000Z');
    expect(iso(startOfWeek('America/Toronto', newYear))).toBe('2026-12-28T05:00:00.000Z');
    expect(iso(startOfNextWeek('America/Toronto', newYear))).toBe('2027-01-04T05:00:00.000Z');
    expect(iso(startOfWeek('UTC', newYear))).toBe('2026-12-28T00:00:00.000Z');
    expect(iso(startOfNextWeek('UTC', newYear))).toBe('2027-01-04T00:00:00.000Z');
    // Sunday 2027-01-03 23:59 UTC still belongs to that week in UTC.
    expect(iso(startOfWeek('UTC', at('2027-01-03T23:59:00Z')))).toBe('2026-12-28T00:00:00.000Z');
  });
});

describe('zonedTime and localParts', () => {
  it('maps a local wall time to the instant, in summer and winter', () => {
    expect(iso(zonedTime('Europe/Paris', 2026, 7, 14, 8, 0))).toBe('2026-07-14T06:00:00.000Z');
    expect(iso(zonedTime('Europe/Paris', 2026, 1, 15, 8, 0))).toBe('2026-01-15T07:00:00.000Z');
    expect(iso(zonedTime('America/Toronto', 2026, 7, 1, 8, 0))).toBe('2026-07-01T12:00:00.000Z');
    expect(iso(zonedTime('America/Toronto', 2026, 12, 25, 8, 30))).toBe('2026-12-25T13:30:00.000Z');
    expect(iso(zonedTime('UTC', 2026, 3, 29, 2, 30))).toBe('2026-03-29T02:30:00.000Z');
  });

  it('a repeated hour (clocks go back) gives the first of the two instants', () => {
    // Paris 2026-10-25 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(iso(zonedTime('Europe/Paris', 2026, 10, 25, 2, 30))).toBe('2026-10-25T00:30:00.000Z');
    // Toronto 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(iso(zonedTime('America/Toronto', 2026, 11, 1, 1, 30))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('a skipped hour (clocks go forward) moves forward, never before the wanted time', () => {
    // Paris 2026-03-29 02:30 does not exist (02:00 CET → 03:00 CEST): 03:30 CEST = 01:30Z.
    expect(iso(zonedTime('Europe/Paris', 2026, 3, 29, 2, 30))).toBe('2026-03-29T01:30:00.000Z');
    // Toronto 2026-03-08 02:30 does not exist (02:00 EST → 03:00 EDT): 03:30 EDT = 07:30Z.
    expect(iso(zonedTime('America/Toronto', 2026, 3, 8, 2, 30))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('localParts gives the local date, time and weekday (0 = Sunday)', () => {
    // 01:00Z on 2026-03-29 is the instant Paris jumps to 03:00 CEST (a Sunday).
    expect(localParts('Europe/Paris', at('2026-03-29T01:00:00Z'))).toEqual({ year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0, weekday: 0 });
    // Monday 03:00Z is Sunday 22:00 in Toronto.
    expect(localParts('America/Toronto', at('2026-11-09T03:00:00Z'))).toEqual({ year: 2026, month: 11, day: 8, hour: 22, minute: 0, second: 0, weekday: 0 });
    // Midnight is hour 0, not 24.
    expect(localParts('UTC', at('2027-01-01T00:00:00Z'))).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 5 });
  });
});
