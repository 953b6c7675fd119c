// Which encoding an uploaded CSV is in, and its text. UTF-8 (with or without BOM) and UTF-16 with a BOM are told by
// their bytes; anything else is read as Windows-1252, which French Excel writes for "CSV (séparateur : point-virgule)"
// (Latin-1 files are read the same: Windows-1252 is its superset, as in browsers). Files that are not text at all (a
// workbook, a PDF) or that chardet is sure are in another script are refused with a 422 before anything is imported.
import { analyse } from 'chardet';
import { InvalidInputError } from '../errors.js';
import { decodeUtf8, firstInvalidUtf8 } from './csv-lines.js';

export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface DecodedText {
  /** 'utf-8' while every byte so far is ASCII; final once `text` is done. */
  readonly encoding: CsvEncoding;
  text: AsyncGenerator<string>;
}

const SAMPLE_BYTES = 64 * 1024;
/** Bytes read past a file's first non-ASCII byte before telling UTF-8 from Windows-1252. */
const LOOKAHEAD_BYTES = 1024;

const SIGNATURES: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'an Excel workbook (.xlsx) or another ZIP archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an Excel 97-2003 workbook (.xls)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 text'],
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 text'],
];

/** chardet's names for encodings of other scripts than ours; Latin ones it confuses with Windows-1252 are read as it. */
const OTHER_SCRIPTS = /^(ISO-8859-[5678]|windows-(1251|1253|1255|1256|874)|KOI8-R|Shift_JIS|Big5|EUC-JP|EUC-KR|GB18030|ISO-2022-(JP|KR|CN)|UTF-32(LE|BE))$/;
const SURE = 50;

export class UnreadableFileError extends InvalidInputError {
  constructor(what: string) {
    super('The file cannot be read as CSV text', [{ field: 'body', message: `${what}: save it from Excel as "CSV UTF-8" and import it again` }]);
  }
}

/** Reads the first 64 KiB to tell the encoding (throwing UnreadableFileError), then decodes the whole body. */
export async function decodeText(body: ReadableStream<Uint8Array>): Promise<DecodedText> {
  const source = chunksOf(body);
  const head: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < SAMPLE_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const joined = concat(head);
  const rest = prepend([joined], source);
  // One upload may come as a single large chunk: look at its start only.
  const sample = joined.subarray(0, SAMPLE_BYTES);
  ended &&= joined.length <= SAMPLE_BYTES;
  const state: { encoding: CsvEncoding } = { encoding: 'utf-8' };
  let text: AsyncGenerator<string>;
  try {
    const signature = SIGNATURES.find(([bytes]) => startsWith(sample, bytes));
    if (signature) throw new UnreadableFileError(`this is ${signature[1]}, not a CSV file`);
    const utf16 = startsWith(sample, [0xff, 0xfe]) ? 'utf-16le' : startsWith(sample, [0xfe, 0xff]) ? 'utf-16be' : undefined;
    if (!utf16) refuseIfBinary(sample);
    if (utf16) {
      state.encoding = utf16;
      text = decodeWith(utf16, rest);
    } else if (startsWith(sample, [0xef, 0xbb, 0xbf])) {
      text = decodeUtf8(rest);
    } else if (firstHighByte(sample) >= 0) {
      state.encoding = isUtf8(sample, ended) ? 'utf-8' : singleByte(sample);
      text = state.encoding === 'utf-8' ? decodeUtf8(rest) : decodeWith(state.encoding, rest);
    } else {
      text = asciiUntilDecided(rest, state);
    }
  } catch (err) {
    await rest.return(undefined); // stops reading the upload
    throw err;
  }
  return { get encoding() { return state.encoding; }, text };
}

function refuseIfBinary(sample: Uint8Array) {
  let controls = 0;
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls++;
  // A stray NUL in a cell is that row's problem; a file full of them is binary (or UTF-16 without its BOM).
  if (controls >= 8 && controls * 100 > sample.length) {
    throw new UnreadableFileError(`this is not text: its first ${sample.length} bytes hold ${controls} control characters such as NUL`);
  }
}

/** Not UTF-8: Windows-1252, unless chardet is sure it is another script. */
function singleByte(sample: Uint8Array): CsvEncoding {
  const [best] = analyse(sample);
  if (best && best.confidence >= SURE && OTHER_SCRIPTS.test(best.name)) {
    throw new UnreadableFileError(`this looks like ${best.name} text, which the import does not read`);
  }
  return 'windows-1252';
}

/** Whether the bytes are UTF-8, a sequence cut by the end of the sample aside. */
function isUtf8(bytes: Uint8Array, ended: boolean): boolean {
  const bad = firstInvalidUtf8(bytes);
  return bad === bytes.length || (!ended && bytes.length - bad < 4 && bytes[bad] >= 0xc2 && bytes[bad] <= 0xf4);
}

/** A long ASCII start says nothing: the choice is made at the first non-ASCII byte, wherever it is. */
async function* asciiUntilDecided(chunks: AsyncGenerator<Uint8Array>, state: { encoding: CsvEncoding }): AsyncGenerator<string> {
  try {
    yield* asciiThenDecide(chunks, state);
  } finally {
    await chunks.return(undefined);
  }
}

async function* asciiThenDecide(chunks: AsyncGenerator<Uint8Array>, state: { encoding: CsvEncoding }): AsyncGenerator<string> {
  const ascii = new TextDecoder('utf-8');
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const chunk = next.value;
    const high = firstHighByte(chunk);
    if (high < 0) {
      yield ascii.decode(chunk);
      continue;
    }
    if (high > 0) yield ascii.decode(chunk.subarray(0, high));
    const window = [chunk.subarray(high)];
    let size = window[0].length;
    let ended = false;
    while (size < LOOKAHEAD_BYTES) {
      const more = await chunks.next();
      if (more.done) {
        ended = true;
        break;
      }
      window.push(more.value);
      size += more.value.length;
    }
    const joined = concat(window);
    state.encoding = isUtf8(joined, ended) ? 'utf-8' : 'windows-1252';
    const rest = prepend([joined], chunks);
    yield* state.encoding === 'utf-8' ? decodeUtf8(rest, { bom: false }) : decodeWith(state.encoding, rest);
    return;
  }
}

async function* decodeWith(encoding: CsvEncoding, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // Never fails: every byte is a Windows-1252 character, and a broken UTF-16 pair becomes U+FFFD.
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** The body's chunks; stopping early cancels the upload instead of reading it to the end. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      if (next.value.length) yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

async function* prepend(first: Uint8Array[], rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for (const chunk of first) if (chunk.length) yield chunk;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function firstHighByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
