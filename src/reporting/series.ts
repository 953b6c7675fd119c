// A report's time series: hourly for the first 48 hours after launch, when most engagement happens, then daily (UTC
// days), so a campaign read a month later still draws in a few dozen points.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const HOURLY_SPAN_HOURS = 48;
/** Past this many daily points, the series stops: the report says so (truncated). */
export const MAX_DAILY_POINTS = 366;

export interface SeriesPoint {
  at: string;
  granularity: 'hour' | 'day';
  values: Record<string, number>;
}

/**
 * Buckets hourly rows from `start` (the launch) to `end` (now, or the last row), with every empty bucket present so
 * a chart's x axis is time. Each metric's events are summed into its bucket.
 */
export function bucketSeries(
  rows: Array<{ metric: string; hour: Date; events: number }>, metrics: readonly string[], start: Date, end: Date,
): { points: SeriesPoint[]; truncated: boolean } {
  const origin = Math.floor(start.getTime() / HOUR) * HOUR;
  const hourlyEnd = origin + HOURLY_SPAN_HOURS * HOUR;
  const last = Math.max(end.getTime(), origin);
  const keys: number[] = [];
  for (let t = origin; t < Math.min(hourlyEnd, last + HOUR); t += HOUR) keys.push(t);
  let truncated = false;
  if (last >= hourlyEnd) {
    // Days start at the first UTC midnight at or after the hourly span; the hours in between belong to the last hour bucket's day.
    let day = Math.ceil(hourlyEnd / DAY) * DAY;
    if (day > hourlyEnd) for (let t = hourlyEnd; t < day && t <= last; t += HOUR) keys.push(t);
    for (let n = 0; day <= last; day += DAY, n += 1) {
      if (n >= MAX_DAILY_POINTS) { truncated = true; break; }
      keys.push(day);
    }
  }
  const points: SeriesPoint[] = keys.map((t) => ({
    at: new Date(t).toISOString(), granularity: t < hourlyEnd || t % DAY !== 0 ? 'hour' : 'day', values: Object.fromEntries(metrics.map((m) => [m, 0])),
  }));
  const starts = keys;
  for (const row of rows) {
    const t = row.hour.getTime();
    if (t < origin) continue;
    // The bucket is the last one starting at or before the row's hour.
    let lo = 0;
    let hi = starts.length - 1;
    if (t < starts[0] || hi < 0) continue;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    const point = points[lo];
    if (point.granularity === 'day' && t >= starts[lo] + DAY) continue; // past the truncated end
    point.values[row.metric] = (point.values[row.metric] ?? 0) + row.events;
  }
  return { points, truncated };
}
