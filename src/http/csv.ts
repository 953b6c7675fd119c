// CSV exports (a campaign's recipients, its report): RFC 4180 lines, streamed a batch of rows at a time through a
// ReadableStream, which both Node and Workers send as they go. The one writer every export uses.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

export type CsvValue = string | number | boolean | Date | null | undefined;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

// A UTF-8 byte order mark first: without it, Excel reads a CSV file as the system's code page and turns "Hélène" into
// "HÃ©lÃ¨ne". Other readers skip it (or see it in the first header, which they rarely look up by name).
const BOM = '\uFEFF';
const CRLF = '\r\n';

// OWASP's CSV injection guidance: a spreadsheet runs a cell starting with one of these as a formula
// (=HYPERLINK("http://evil", "…"), +cmd|…, -2+3, @SUM…), or a tab or CR followed by one. Such a string is prefixed
// with a single quote, which makes it text. Numbers are written as numbers: -12.5 is a value, not a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: empty for null, numbers and booleans as written, dates in ISO 8601, strings neutralised and quoted. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF (RFC 4180). */
export function csvLine(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',') + CRLF;
}

/**
 * A CSV body: the BOM and the header, then one chunk per batch of rows, each batch read only when the reader wants
 * more (pull), so an export of a million rows holds one batch in memory. `onEnd` is told once the body is done, read
 * to the end, cancelled by the reader, or failed.
 */
export function csvStream(header: readonly string[], batches: AsyncIterable<readonly CsvValue[][]>, onEnd: (error?: unknown) => void = () => {}) {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + csvLine(header)));
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          end();
        } else {
          controller.enqueue(encoder.encode(next.value.map(csvLine).join('')));
        }
      } catch (error) {
        // The status line is long gone: the reader sees a cut-off body, and the error is logged through onEnd.
        controller.error(error);
        end(error);
      }
    },
    async cancel() {
      end();
      await iterator.return?.();
    },
  });
}

/**
 * A streamed CSV attachment. The export counts as background work until its body is done, so the Worker keeps the
 * request's database connection open while pages are still being read (it closes it once background work is idle);
 * a failure half-way is logged as that task's failure.
 */
export function csvResponse(c: Context<AppEnv>, filename: string, header: readonly string[], batches: AsyncIterable<readonly CsvValue[][]>) {
  let finish!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  c.get('deps').background.run(`csv export ${filename}`, () => done);
  return c.body(csvStream(header, batches, finish), 200, {
    'Content-Type': CSV_CONTENT_TYPE,
    'Content-Disposition': `attachment; filename="${filename}"`,
  });
}

/** Rows already in memory (a report), as the one batch csvStream reads. */
export async function* oneBatch(rows: CsvValue[][]): AsyncIterable<CsvValue[][]> {
  yield rows;
}

/**
 * Whether the client asks for CSV: `text/csv` in Accept with a quality above 0 and at least that of any JSON type it
 * also names. Wildcards (a browser's *\/*) keep JSON, the default.
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(quality)) continue;
    if (type === 'text/csv') csv = Math.max(csv, quality);
    else if (type === 'application/json') json = Math.max(json, quality);
  }
  return csv > 0 && csv >= json;
}

/** The text/csv entry of a route's response whose JSON can also be had as CSV (Accept: text/csv). */
export function orCsv<R extends { description: string; content: object }>(response: R, example: string, description: string) {
  return {
    ...response,
    content: { ...response.content, 'text/csv': { schema: z.string().openapi({ description }), example } },
  };
}
