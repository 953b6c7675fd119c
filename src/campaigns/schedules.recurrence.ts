// A schedule's recurrence: a five-field cron rule (minute hour day-of-month month day-of-week) read in the marketer's
// time zone, through croner (no dependencies, Intl only, so the same on Node and workerd). Across a DST change a
// fixed time keeps its wall-clock time: 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer; a time the
// clocks skip (02:30 on the last Sunday of March) runs right after the gap, and a time they repeat (the last Sunday
// of October) runs once, the first time.
import { Cron } from 'croner';

/** The most work a rule may ask for: one occurrence an hour at most (one minute value), one at least within a year. */
export const RECURRENCE_LIMITS = { fields: 5, horizonYears: 1 } as const;

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/**
 * Why `rule` cannot be a recurrence, or undefined. Five fields, the minute a single number (so at most hourly), and
 * syntax croner reads (lists, ranges, steps, names, L, W, #). Whether it ever fires is checked against a clock
 * (`firstOccurrence`).
 */
export function recurrenceProblem(rule: string): string | undefined {
  const fields = rule.trim().split(/\s+/);
  if (fields.length !== RECURRENCE_LIMITS.fields) {
    return `must be a cron rule of ${RECURRENCE_LIMITS.fields} fields (${FIELD_NAMES.join(', ')}), such as "0 9 * * TUE" for every Tuesday at 09:00`;
  }
  if (!/^[0-5]?\d$/.test(fields[0]!)) return 'may run at most once an hour: its minute must be one number from 0 to 59, such as 0';
  try {
    cron(rule, 'UTC');
  } catch (err) {
    return `is not a cron rule: ${(err as Error).message.replace(/^CronPattern: /, '')}`;
  }
  return undefined;
}

/** An IANA zone name (Europe/Paris) or UTC: what Intl knows, as a contact's time zone. */
export function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    if (zone.includes('/') || zone === 'UTC') return undefined;
  } catch {
    // not a zone
  }
  return `"${zone}" is not an IANA time zone such as Europe/Paris`;
}

/** A rule in its zone: a stored schedule is one. */
export interface Recurrence {
  recurrence: string;
  timezone: string;
}

function cron(rule: string, timezone: string, stopAt?: Date) {
  // No function given: croner only computes dates, it starts no timer. 'no-wildcard': a list of hours (9,17) keeps
  // its wall-clock times across DST as a single hour does.
  return new Cron(rule.trim(), { timezone, mode: '5-part', fixedTimeRule: 'no-wildcard', ...(stopAt ? { stopAt } : {}) });
}

/** The first occurrence after `after`, if there is one within RECURRENCE_LIMITS.horizonYears; undefined otherwise. */
export function firstOccurrence(r: Recurrence, after: Date): Date | undefined {
  const horizon = new Date(after);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + RECURRENCE_LIMITS.horizonYears);
  // stopAt bounds the search: a rule that never fires (30 February) costs milliseconds, not a scan of centuries.
  return cron(r.recurrence, r.timezone, horizon).nextRun(after) ?? undefined;
}

/** The next `n` occurrences strictly after `after`. */
export function nextOccurrences(r: Recurrence, after: Date, n: number): Date[] {
  return cron(r.recurrence, r.timezone).nextRuns(n, after);
}

/** The next occurrence strictly after `after` (a valid rule has one within a year of any time it was checked). */
export function nextOccurrence(r: Recurrence, after: Date): Date | undefined {
  return cron(r.recurrence, r.timezone).nextRun(after) ?? undefined;
}

/** The latest occurrence at or before `at`. */
export function latestOccurrence(r: Recurrence, at: Date): Date | undefined {
  // previousRuns counts a run earlier in the same second as the reference: 1 ms after `at` includes a run at `at`.
  return cron(r.recurrence, r.timezone).previousRuns(1, new Date(at.getTime() + 1))[0];
}

/** The occurrence's date in the schedule's zone, YYYY-MM-DD: what a run's campaign is named after. */
export function localDate(timezone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
