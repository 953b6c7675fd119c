// Calendar arithmetic in a contact's time zone, with Intl only (works on Node and Workers).

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, at: Date) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday),
  };
}

/** The local calendar date, time and weekday (0 = Sunday) of an instant in `timeZone`. */
export function localParts(timeZone: string, at: Date) {
  return partsIn(safeZone(timeZone), at);
}

export function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The instant at which the local wall-clock time y-m-d hh:mm occurs in `timeZone` (first one, across DST). */
export function zonedTime(timeZone: string, y: number, m: number, d: number, hh = 0, mm = 0): Date {
  const zone = safeZone(timeZone);
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (t: number) => {
    const p = partsIn(zone, new Date(t));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  // The zone's offset a day before and a day after: the wall time is one of those two (one change at most).
  const candidates = [wanted - offsetAt(wanted - 86_400_000), wanted - offsetAt(wanted + 86_400_000)];
  const fitting = candidates.filter((t) => t + offsetAt(t) === wanted);
  // A repeated hour: the first instant. A skipped hour: the offset before the change moves it past the gap.
  return new Date(fitting.length ? Math.min(...fitting) : candidates[0]);
}

export function startOfMonth(timeZone: string, at: Date): Date {
  const p = localParts(timeZone, at);
  return zonedTime(timeZone, p.year, p.month, 1);
}

export function startOfNextMonth(timeZone: string, at: Date): Date {
  const p = localParts(timeZone, at);
  return p.month === 12 ? zonedTime(timeZone, p.year + 1, 1, 1) : zonedTime(timeZone, p.year, p.month + 1, 1);
}

/** Weeks start on Monday (ISO 8601), as in France and for most Canadian businesses. */
export function startOfWeek(timeZone: string, at: Date): Date {
  const p = localParts(timeZone, at);
  const back = (p.weekday + 6) % 7;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day - back));
  return zonedTime(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function startOfNextWeek(timeZone: string, at: Date): Date {
  const start = localParts(timeZone, startOfWeek(timeZone, at));
  const d = new Date(Date.UTC(start.year, start.month - 1, start.day + 7));
  return zonedTime(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
