// Reading an uploaded CSV file as rows, streaming: its encoding told and decoded, its separator guessed from the
// header, each row with the physical line it starts on, and the limits on a line and a cell enforced before the
// parser sees an oversized line. Both imports (contacts, list members) read files through it.
import { parse } from 'csv-parse';
import { InvalidInputError, TooLargeError, type FieldProblem } from '../errors.js';
import { exactBytes, formatBytes } from '../http/body-limit.js';
import { unstorableText } from '../http/storable.js';
import { decodeText, type CsvEncoding } from './csv-encoding.js';
import { LineCounter, LineLengthGuard, NotUtf8Error } from './csv-lines.js';

export const CSV_LIMITS = {
  /** A physical line, in UTF-8 bytes; a row spanning lines (quoted line breaks) gets the same limit in characters. */
  maxLineBytes: 256 * 1024,
  /** A cell, in characters: Excel's own limit. Cells mapped to fields get the fields' (shorter) limits. */
  maxCellChars: 32_767,
};
export type CsvLimits = typeof CSV_LIMITS;

/** How far the first non-blank line (the header) is looked for. */
const MAX_HEAD_BYTES = 1024 * 1024;

export interface CsvRow {
  line: number;
  cells: string[];
  /** Cells longer than the limit, named by their header. */
  problems: FieldProblem[];
}

export interface CsvFile {
  readonly encoding: CsvEncoding;
  /** The first row; undefined for a file with no row at all. */
  header: string[] | undefined;
  /**
   * The rows after the header. They stop early at a CSV syntax error or a byte that is not text (see `stopped`), and
   * throw a TooLargeError at a line over the limit, once every row before it has been given.
   */
  rows: AsyncGenerator<CsvRow>;
  /** Once `rows` is done: why the rest of the file was not read, to report at its line. */
  stopped(): { line: number; errors: FieldProblem[] } | undefined;
}

type SkipError = { bytes: number; records: number; code?: string; message: string };
type Parsed = { record: string[]; info: { bytes: number; records: number } };

const LF = 0x0a;
const CR = 0x0d;

/** Opens the file and reads its header; throws UnreadableFileError (422) or TooLargeError (413) for line 1. */
export async function openCsv(body: ReadableStream<Uint8Array>, limits: CsvLimits = CSV_LIMITS): Promise<CsvFile> {
  const decoded = await decodeText(body);
  const text = decoded.text;
  const lines = new LineCounter();
  const guard = new LineLengthGuard(limits.maxLineBytes);
  const encoder = new TextEncoder();
  let notUtf8: NotUtf8Error | undefined;
  let tooLong = false;

  // The next bytes for the parser: undefined at the end, or from where reading stops (a bad byte, a long line).
  const nextBytes = async (): Promise<Uint8Array | undefined> => {
    if (tooLong || notUtf8) return undefined;
    let next: IteratorResult<string>;
    try {
      next = await text.next();
    } catch (err) {
      if (!(err instanceof NotUtf8Error)) throw err;
      notUtf8 = err;
      return undefined;
    }
    if (next.done) return undefined;
    const bytes = encoder.encode(next.value);
    const allowed = guard.accepts(bytes);
    if (allowed === bytes.length) return bytes;
    tooLong = true;
    return bytes.subarray(0, allowed);
  };

  // The header line tells the separator: read up to its end.
  const head: Uint8Array[] = [];
  let headSize = 0;
  let content = false;
  for (let bytes = await nextBytes(); bytes; bytes = await nextBytes()) {
    head.push(bytes);
    headSize += bytes.length;
    const start = content ? 0 : bytes.findIndex((b) => b !== LF && b !== CR);
    if (start >= 0) content = true;
    if (content && (bytes.indexOf(LF, start) >= 0 || bytes.indexOf(CR, start) >= 0)) break;
    if (headSize > MAX_HEAD_BYTES) {
      await text.return(undefined);
      throw new InvalidInputError('The file has no header line', [{ field: 'header', message: `no header line in the first ${formatBytes(MAX_HEAD_BYTES)}` }]);
    }
  }
  const headText = new TextDecoder().decode(concat(head));
  const firstLine = headText.replace(/^[\r\n\ufeff]+/, '').split(/\r\n|\r|\n/)[0];
  if (tooLong && !/[\r\n]/.test(headText.replace(/^[\r\n\ufeff]+/, ''))) {
    for (const bytes of head) lines.feed(bytes);
    await text.return(undefined);
    throw lineTooLong(lines.lineAt(lines.fed), limits);
  }

  // A syntax error (an unclosed quote…) stops reading after the rows before it; the parser is told to skip rather
  // than fail, so that rows it has already parsed are not lost with the stream.
  let syntaxError: SkipError | undefined;
  const parser = parse({
    delimiter: detectDelimiter(firstLine),
    bom: true,
    info: true,
    max_record_size: limits.maxLineBytes,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const e = err as unknown as SkipError;
      syntaxError ??= { bytes: e.bytes, records: e.records, code: e.code, message: e.message };
    },
    trim: true,
  });
  const write = async (bytes: Uint8Array) => {
    lines.feed(bytes);
    if (!parser.write(bytes)) await drained(parser);
  };
  const pump = (async () => {
    try {
      for (const bytes of head) await write(bytes);
      for (let bytes = await nextBytes(); bytes && !parser.destroyed; bytes = await nextBytes()) await write(bytes);
    } catch (err) {
      parser.destroy(err as Error);
      return;
    } finally {
      // Stops reading the upload when the parser stopped first.
      await text.return(undefined).catch(() => undefined);
    }
    if (!parser.destroyed) parser.end();
  })();

  const records = (parser as AsyncIterable<Parsed>)[Symbol.asyncIterator]();
  const stoppedEarly = () => notUtf8 !== undefined || tooLong;
  // A record that ends where reading stopped, without its line break, was cut there: it is not a row.
  const usable = (r: IteratorResult<Parsed>): r is IteratorYieldResult<Parsed> =>
    !r.done &&
    !(syntaxError && r.value.info.records > syntaxError.records) &&
    !(stoppedEarly() && r.value.info.bytes >= lines.fed && !lines.endsLine(r.value.info.bytes));

  const finish = async () => {
    if (!parser.destroyed) parser.destroy();
    await pump;
  };
  let header: string[] | undefined;
  try {
    const first = await records.next();
    if (usable(first)) header = first.value.record;
  } catch (err) {
    await finish();
    throw err;
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      if (header) {
        for (let next = await records.next(); usable(next); next = await records.next()) {
          const { record, info } = next.value;
          yield { line: lines.recordStart(info.bytes, record), cells: record, problems: cellProblems(record, header, limits) };
        }
      }
    } finally {
      await finish();
    }
    if (tooLong) throw lineTooLong(lines.lineAt(lines.fed), limits);
    if (syntaxError?.code === 'CSV_MAX_RECORD_SIZE') throw lineTooLong(lines.lineAt(syntaxError.bytes), limits);
  }

  return {
    get encoding() {
      return decoded.encoding;
    },
    header,
    rows: rows(),
    stopped() {
      if (notUtf8) return { line: header ? lines.lineAt(lines.fed) : 1, errors: [{ field: 'encoding', message: notUtf8Message(notUtf8) }] };
      if (syntaxError) return { line: lines.lineAt(syntaxError.bytes), errors: [{ field: 'row', message: syntaxMessage(syntaxError) }] };
      return undefined;
    },
  };
}

function cellProblems(cells: string[], header: string[], limits: CsvLimits): FieldProblem[] {
  const problems: FieldProblem[] = [];
  cells.forEach((cell, i) => {
    if (cell.length > limits.maxCellChars) {
      problems.push({ field: header[i] || `column ${i + 1}`, message: `is longer than ${limits.maxCellChars} characters` });
    }
    const unstorable = unstorableText(cell);
    if (unstorable) problems.push({ field: header[i] || `column ${i + 1}`, message: unstorable });
  });
  return problems;
}

function lineTooLong(line: number, limits: CsvLimits): TooLargeError {
  const size = formatBytes(limits.maxLineBytes);
  return new TooLargeError(`Line ${line} is longer than ${size}, the limit for a line of a CSV file`, [
    { field: `line ${line}`, message: `must be at most ${exactBytes(limits.maxLineBytes)}` },
  ]);
}

export function detectDelimiter(headerLine: string): string {
  const counts = [';', ',', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/** Resolves once the parser takes more input, or is gone (so a stopped import never waits forever). */
function drained(stream: { once(event: string, f: () => void): unknown; off(event: string, f: () => void): unknown }) {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

function syntaxMessage(err: { code?: string; message: string }): string {
  const what =
    err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted cell is never closed'
    : err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
      ? 'a closing quote is followed by other characters instead of a separator'
    : err.message.replace(/ at line \d+.*$/s, '');
  return `${what}: this row and the rest of the file were not imported`;
}

function notUtf8Message(err: NotUtf8Error): string {
  return `the file starts as UTF-8 text but is not UTF-8 from here on (${err.message}): save it as "CSV UTF-8" and import it again. ` +
    'Nothing from this line on was imported';
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
