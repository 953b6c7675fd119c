// Charts drawn on the server as SVG: no script, so they read the same with JavaScript off. Each is an image with a
// name and a description that give its numbers to screen readers, prints its numbers as text, and carries a table of
// them under a <details> (a fallback that needs no script either). They take plain numbers and labels; what they
// mean is the caller's. Bounded: at most MAX_BARS bars and MAX_POINTS points are drawn.
import type { Child } from 'hono/jsx';
import { messages, type Lang } from '../i18n/index.js';
import { TEXT } from './theme.js';

export const MAX_BARS = 50;
export const MAX_POINTS = 500;

/** Colours that keep 3:1 against white (WCAG 1.4.11): the brand's accent (4.5:1 by construction) and a grey. */
export const CHART_COLORS = { accent: 'var(--accent,#1d4f91)', muted: '#6b7280' } as const;
const GRID = '#e5e7eb';
const FONT = 13;
const SMALL = 11;

const round1 = (n: number) => Math.round(n * 10) / 10;

interface ChartBase {
  /** Unique on the page: the description's id is built from it. */
  id: string;
  lang: Lang;
  /** The chart's accessible name. */
  title: string;
  /** Said before the numbers in the description. */
  description?: string;
}

/** The image and its fallback table; a sentence instead when there is nothing to draw. */
function Figure({ lang, title, svg, table }: { lang: Lang; title: string; svg: Child; table: Child }) {
  const t = messages(lang).charts;
  return (
    <figure class="chart">
      {svg}
      <details>
        <summary>{t.dataTable}<span class="visually-hidden">{` — ${title}`}</span></summary>
        <div class="table-scroll" role="region" aria-label={title} tabindex={0}>{table}</div>
      </details>
    </figure>
  );
}

function svgProps(id: string, title: string, width: number, height: number, maxWidth: number) {
  return {
    id,
    role: 'img',
    'aria-label': title,
    'aria-describedby': `${id}-desc`,
    viewBox: `0 0 ${width} ${height}`,
    width: String(width),
    height: String(height),
    style: `display:block;width:100%;max-width:${maxWidth}px;height:auto`,
    'font-size': String(FONT),
  };
}

export interface Bar {
  label: string;
  value: number;
  /** Printed after the value: a rate, a share. */
  note?: string;
}

interface BarChartProps extends ChartBase {
  bars: Bar[];
  /** The fallback table's column headings: what a bar is, its value, and its note when bars have one. */
  headers: { label: string; value: string; note?: string };
}

/** Horizontal bars geometry: each row is a label, then its bar, then the value printed after the bar. */
export const BAR_GEOMETRY = { width: 360, row: 48, top: 4, barY: 20, barHeight: 18, barMax: 230 } as const;

/**
 * Horizontal bars, one per row, as long as its value is to the largest: a label above each bar and the value (and
 * its note) after it. Nothing but a "no data yet" sentence when every value is 0.
 */
export function BarChart({ id, lang, title, description, bars: all, headers }: BarChartProps) {
  const t = messages(lang).charts;
  const bars = all.slice(0, MAX_BARS).map((b) => ({ ...b, value: Number.isFinite(b.value) ? Math.max(0, b.value) : 0 }));
  const max = Math.max(0, ...bars.map((b) => b.value));
  if (max === 0) return <p class="chart-empty">{t.noData}</p>;
  const g = BAR_GEOMETRY;
  const height = g.top + bars.length * g.row;
  const printed = (b: Bar) => `${t.number(b.value)}${b.note ? ` · ${b.note}` : ''}`;
  const said = bars.map((b) => t.total(b.label, b.note ? `${t.number(b.value)} (${b.note})` : t.number(b.value))).join(' · ');
  const svg = (
    <svg {...svgProps(id, title, g.width, height, g.width * 1.3)}>
      <title>{title}</title>
      <desc id={`${id}-desc`}>{[description, said].filter(Boolean).join(' ')}</desc>
      {bars.map((b, i) => {
        const top = g.top + i * g.row;
        const width = b.value === 0 ? 0 : Math.max(2, round1((b.value / max) * g.barMax));
        return (
          <g>
            <text x="0" y={String(top + 14)} fill={TEXT}>{b.label}</text>
            <rect x="0" y={String(top + g.barY)} width={String(width)} height={String(g.barHeight)} rx="2" style={`fill:${CHART_COLORS.accent}`} />
            <text x={String(width + 8)} y={String(top + g.barY + 14)} fill={TEXT} font-weight="600">{printed(b)}</text>
          </g>
        );
      })}
    </svg>
  );
  const withNotes = headers.note !== undefined;
  const table = (
    <table>
      <thead><tr><th scope="col">{headers.label}</th><th scope="col">{headers.value}</th>{withNotes && <th scope="col">{headers.note}</th>}</tr></thead>
      <tbody>
        {bars.map((b) => (
          <tr><th scope="row">{b.label}</th><td>{t.number(b.value)}</td>{withNotes && <td>{b.note ?? ''}</td>}</tr>
        ))}
      </tbody>
    </table>
  );
  return <Figure lang={lang} title={title} svg={svg} table={table} />;
}

export interface FunnelStep {
  label: string;
  value: number;
  /** The step's rate (0.356), printed as a percentage after its value. */
  share?: number;
}

/** A funnel: one bar per step, each with its count and, when it has one, its rate. */
export function FunnelChart({ steps, headers, ...base }: ChartBase & { steps: FunnelStep[]; headers: { step: string; count: string; rate: string } }) {
  const t = messages(base.lang).charts;
  const bars = steps.map((s) => ({ label: s.label, value: s.value, note: s.share === undefined ? undefined : t.percent(s.share) }));
  return <BarChart {...base} bars={bars} headers={{ label: headers.step, value: headers.count, note: headers.rate }} />;
}

export interface LineSeries {
  name: string;
  values: number[];
  /** A CSS colour (CHART_COLORS); dashed lines tell series apart without colour. */
  color: string;
  dashed?: boolean;
}

interface LineChartProps extends ChartBase {
  /** One label per point, already formatted: the x axis and the table's first column. */
  xLabels: string[];
  series: LineSeries[];
  /** The table's first column heading. */
  xHeading: string;
}

// Narrow enough that its text stays legible on a phone's screen; the legend is HTML, under it.
export const LINE_GEOMETRY = { width: 400, height: 200, left: 40, right: 388, top: 12, bottom: 172, maxXLabels: 4 } as const;

/** A round step for about four intervals up to `max`: 1, 2 or 5 times a power of ten, never below 1 (counts). */
export function niceStep(max: number): number {
  const rough = max / 4;
  if (rough <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** The indexes of the points labelled on the x axis: at most `most`, evenly spaced from the first. */
export function xLabelIndexes(n: number, most: number): number[] {
  if (n <= most) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil((n - 1) / (most - 1));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}

/**
 * Lines over points evenly spaced (an axis of buckets, not of time), on a y axis from 0 with round ticks, and under it
 * a legend giving each series' total. Nothing but a "no data yet" sentence when there is no point or every value is 0.
 */
export function LineChart({ id, lang, title, description, xLabels: allLabels, series: allSeries, xHeading }: LineChartProps) {
  const t = messages(lang).charts;
  const xLabels = allLabels.slice(0, MAX_POINTS);
  const n = xLabels.length;
  const series = allSeries.map((s) => ({ ...s, values: xLabels.map((_, i) => (Number.isFinite(s.values[i]) ? Math.max(0, s.values[i]) : 0)) }));
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  if (n === 0 || max === 0) return <p class="chart-empty">{t.noData}</p>;
  const g = LINE_GEOMETRY;
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: yMax / step + 1 }, (_, i) => i * step);
  const x = (i: number) => round1(n === 1 ? (g.left + g.right) / 2 : g.left + (i * (g.right - g.left)) / (n - 1));
  const y = (v: number) => round1(g.bottom - (v / yMax) * (g.bottom - g.top));
  const totals = series.map((s) => t.total(s.name, t.number(s.values.reduce((a, b) => a + b, 0))));
  const svg = (
    <svg {...svgProps(id, title, g.width, g.height, g.width * 1.3)}>
      <title>{title}</title>
      <desc id={`${id}-desc`}>{[description, totals.join(' · ')].filter(Boolean).join(' ')}</desc>
      {ticks.map((v) => (
        <g>
          <line x1={String(g.left)} x2={String(g.right)} y1={String(y(v))} y2={String(y(v))} stroke={v === 0 ? TEXT : GRID} stroke-width="1" />
          <text x={String(g.left - 6)} y={String(y(v) + 4)} text-anchor="end" font-size={String(SMALL)} fill={TEXT}>{t.number(v)}</text>
        </g>
      ))}
      {xLabelIndexes(n, g.maxXLabels).map((i) => (
        <text x={String(x(i))} y={String(g.bottom + 20)} font-size={String(SMALL)} fill={TEXT}
          text-anchor={n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle'}>{xLabels[i]}</text>
      ))}
      {series.map((s) => (n === 1
        ? <circle cx={String(x(0))} cy={String(y(s.values[0]))} r="4" style={`fill:${s.color}`} />
        : <polyline points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} fill="none" stroke-width="2" stroke-linejoin="round"
            stroke-dasharray={s.dashed ? '6 4' : undefined} style={`stroke:${s.color}`} />))}
    </svg>
  );
  // The legend: each series' line and its total, as text that wraps on a narrow screen.
  const legend = (
    <ul class="chart-legend">
      {series.map((s, k) => (
        <li>
          <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
            <line x1="0" x2="28" y1="5" y2="5" stroke-width="3" stroke-dasharray={s.dashed ? '6 4' : undefined} style={`stroke:${s.color}`} />
          </svg>
          {totals[k]}
        </li>
      ))}
    </ul>
  );
  const table = (
    <table>
      <thead><tr><th scope="col">{xHeading}</th>{series.map((s) => <th scope="col">{s.name}</th>)}</tr></thead>
      <tbody>
        {xLabels.map((label, i) => (
          <tr><th scope="row">{label}</th>{series.map((s) => <td>{t.number(s.values[i])}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
  return <Figure lang={lang} title={title} svg={<>{svg}{legend}</>} table={table} />;
}

/** What the charts and their tables need beyond the page's stylesheet: one rule list, to put in the page once. */
export const CHART_STYLE = [
  '.chart{margin:12px 0 20px}',
  '.chart svg{overflow:visible}',
  '.chart details{margin-top:8px}',
  '.chart summary{cursor:pointer;color:var(--accent);font-weight:600;padding:8px 0}',
  '.chart-empty{color:var(--muted)}',
  '.chart-legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 24px}',
  '.chart-legend svg{margin-right:8px;vertical-align:middle}',
  '.table-scroll{overflow-x:auto}',
  '.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}',
].join('');
