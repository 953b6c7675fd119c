// Send windows per channel in the contact's time zone; public holidays from date-holidays, by country.
import Holidays from 'date-holidays';
import { CHANNEL_NAMES, CHANNELS, type ChannelName, type Weekday } from '../channels/index.js';
import { localParts, zonedTime } from './time-windows.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const satisfies readonly Weekday[];
export type { Weekday };

export interface QuietHoursRule {
  channel: ChannelName;
  days: Weekday[];
  from: string;
  to: string;
  /** Times inside the window when nothing goes (calls: 13:00–14:00, lunch). */
  breaks?: Array<{ from: string; to: string }>;
  skip_holidays: boolean;
}

/** Each channel's own default window (SMS: Monday to Saturday, 08:00–20:00, never on Sundays or public holidays). */
export const DEFAULT_QUIET_HOURS: QuietHoursRule[] = CHANNEL_NAMES.flatMap((channel) => {
  const window = (CHANNELS[channel] as { defaultQuietHours?: Omit<QuietHoursRule, 'channel'> }).defaultQuietHours;
  return window ? [{ channel, ...window }] : [];
});

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Public holidays per country, loaded once per checker (a sender run), not per message. */
export function createHolidayCalendar() {
  const byCountry = new Map<string, { hd: Holidays; zone: string } | null>();
  return (country: string, y: number, m: number, d: number): boolean => {
    if (!byCountry.has(country)) {
      const hd = new Holidays();
      hd.init(country);
      // An unknown country code leaves the calendar empty: no holidays rather than an error.
      byCountry.set(country, hd.getCountries()[country] ? { hd, zone: hd.getTimezones()?.[0] ?? 'UTC' } : null);
    }
    const cal = byCountry.get(country);
    if (!cal) return false;
    // Noon on that calendar day in the calendar's own (country) zone, which is how date-holidays reads the
    // instant: noon UTC would already be the next day east of UTC+12 (New Zealand in summer).
    const found = cal.hd.isHoliday(zonedTime(cal.zone, y, m, d, 12));
    return Array.isArray(found) && found.some((h) => h.type === 'public');
  };
}

export type HolidayCalendar = ReturnType<typeof createHolidayCalendar>;

/**
 * Undefined when a message may go now; otherwise the next instant the window opens in the contact's zone.
 * Several rules for a channel all have to allow the moment.
 */
export function nextOpening(rules: QuietHoursRule[], channel: string, timeZone: string, country: string, now: Date, isHoliday: HolidayCalendar): Date | undefined {
  const applicable = rules.filter((r) => r.channel === channel);
  if (!applicable.length) return undefined;
  const allowedAt = (at: Date) => {
    const p = localParts(timeZone, at);
    const minute = p.hour * 60 + p.minute;
    return applicable.every(
      (r) => r.days.includes(WEEKDAYS[p.weekday]) && minute >= minutes(r.from) && minute < minutes(r.to)
        && !(r.breaks ?? []).some((b) => minute >= minutes(b.from) && minute < minutes(b.to))
        && !(r.skip_holidays && isHoliday(country, p.year, p.month, p.day)),
    );
  };
  if (allowedAt(now)) return undefined;
  // Candidate openings: each rule's start time, and the end of each of its breaks, on each of the next 14 local days.
  const today = localParts(timeZone, now);
  for (let i = 0; i < 15; i++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const candidates = applicable
      .flatMap((r) => [r.from, ...(r.breaks ?? []).map((b) => b.to)])
      .map((hhmm) => zonedTime(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))))
      .filter((c) => c > now)
      .sort((a, b) => a.getTime() - b.getTime());
    for (const c of candidates) if (allowedAt(c)) return c;
  }
  return new Date(now.getTime() + 86_400_000); // no opening in two weeks: look again tomorrow
}
