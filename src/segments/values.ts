// The one check of a value written in a rule against the type it is compared with. Every comparison, window,
// count and id of a rule goes through it, so nothing reaches SQL that PostgreSQL would refuse (a 500) or read
// differently: dates are real calendar dates, ids and counts whole numbers in range, numbers finite, text free
// of NUL characters and lone surrogates.
import { parseDate } from '../contacts/index.js';
import { unstorableText } from '../http/storable.js';

export type ValueKind = 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'enum';
export type CheckedValue = string | number | boolean;

export interface ValueRule {
  /** Enums: the allowed values. */
  values?: readonly string[] | null;
  /** Integers: the inclusive range (by default any safe integer, which bigint ids and counts hold). */
  min?: number;
  max?: number;
  /** Integers: what the number is, for the message ("a whole number of days"). */
  noun?: string;
}

export const MAX_TEXT_VALUE = 1000;
// Years that make sense in a customer file, and that PostgreSQL and JavaScript read alike.
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

const DATE_EXAMPLE = 'a date such as 2026-05-17 (or 17/05/2026)';
const TIMESTAMP_EXAMPLE = 'a date such as 2026-05-17 or a date-time such as 2026-05-17T09:30:00Z';

// Date-times in ISO 8601: date, T or space, hh:mm[:ss[.fraction]], then Z, ±hh:mm, ±hhmm or nothing (local time).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?$/i;

/** A date-time string as an ISO instant within the years allowed, or undefined. */
function dateTime(s: string): string | undefined {
  const m = DATE_TIME.exec(s);
  if (!m) return undefined;
  const [h, mi, sec] = [m[4], m[5], m[6] ?? '0'].map(Number);
  if (!calendarDate(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || sec > 59) return undefined;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z' && (Number(m[9]) > 14 || Number(m[10]) > 59)) return undefined;
  const fraction = (m[7] ?? '').slice(0, 4);
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${String(sec).padStart(2, '0')}${fraction}${zone ? normaliseZone(zone) : ''}`);
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? new Date(ms).toISOString() : undefined;
}

const normaliseZone = (z: string) => (z.toUpperCase() === 'Z' ? 'Z' : `${z.slice(0, 3)}:${z.slice(-2)}`);

function calendarDate(s: string): string | undefined {
  const d = parseDate(s);
  if (!d) return undefined;
  const year = Number(d.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR ? d : undefined;
}

/**
 * The value as SQL should receive it, or the problem with it. Dates come back as YYYY-MM-DD, timestamps as an
 * ISO instant (a plain date stays a date: midnight), integers and numbers as JavaScript numbers.
 */
export function checkValue(kind: ValueKind, v: unknown, rule: ValueRule = {}): { value: CheckedValue } | { problem: string } {
  switch (kind) {
    case 'integer': {
      const min = rule.min ?? -Number.MAX_SAFE_INTEGER;
      const max = rule.max ?? Number.MAX_SAFE_INTEGER;
      const noun = rule.noun ?? 'a whole number';
      if (typeof v !== 'number' || !Number.isInteger(v)) return { problem: `must be ${noun}` };
      if (v < min || v > max) return { problem: `must be ${noun} between ${min} and ${max}` };
      return { value: v };
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { problem: 'must be a number' };
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : { problem: 'must be true or false' };
    case 'date': {
      const d = typeof v === 'string' ? calendarDate(v.trim()) : undefined;
      return d ? { value: d } : { problem: `must be ${DATE_EXAMPLE}, in the years ${MIN_YEAR} to ${MAX_YEAR}` };
    }
    case 'timestamp': {
      const s = typeof v === 'string' ? v.trim() : undefined;
      const t = s === undefined ? undefined : /^\d{4}-\d{2}-\d{2}[T ]/.test(s) ? dateTime(s) : calendarDate(s);
      return t ? { value: t } : { problem: `must be ${TIMESTAMP_EXAMPLE}, in the years ${MIN_YEAR} to ${MAX_YEAR}` };
    }
    case 'enum':
      if (typeof v === 'string' && rule.values?.includes(v)) return { value: v };
      return { problem: `must be one of ${(rule.values ?? []).join(', ')}` };
    case 'text': {
      if (typeof v !== 'string') return { problem: 'must be text' };
      const bad = unstorableText(v);
      if (bad) return { problem: bad };
      if (v.length > MAX_TEXT_VALUE) return { problem: `must be at most ${MAX_TEXT_VALUE} characters` };
      return { value: v };
    }
  }
}
