// What the report pages share: their wider column and the style of their parts, and a table under its caption.
import { CHART_STYLE } from '../pages/charts.js';

// A report is wider than the preference center's column: its tables have up to a dozen columns.
export const REPORT_STYLE = [
  'main,.masthead p{max-width:60rem}',
  '.report-part{margin-top:36px}',
  '.report-part>p{color:var(--muted)}',
  'caption{text-align:left;font-weight:600;padding:12px 0 4px}',
  '.report-part td{width:auto}',
  'td.link{text-align:left;min-width:10rem;overflow-wrap:anywhere}',
  '.breakdown th[scope=row]{white-space:nowrap}',
  CHART_STYLE,
].join('');

/** A table under its caption, its first column a row heading, scrolling sideways on a narrow screen. */
export function Table({ id, class: className, caption, head, rows }: { id?: string; class?: string; caption: string; head: string[]; rows: string[][] }) {
  return (
    <div class="table-scroll" role="region" aria-label={caption} tabindex={0}>
      <table id={id} class={className}>
        <caption>{caption}</caption>
        <thead><tr>{head.map((h) => <th scope="col">{h}</th>)}</tr></thead>
        <tbody>
          {rows.map(([first, ...rest]) => <tr><th scope="row">{first}</th>{rest.map((cell) => <td>{cell}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}
