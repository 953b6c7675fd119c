// Reading an uploaded CSV as UTF-8 text, and knowing on which physical line of the file each record starts.
// csv-parse's own `info.lines` counts a CRLF inside a quoted cell twice, so reports drifted on Excel files.

/** The upload is not UTF-8: `text` is the valid part before the first bad byte, which is `byte`. */
export class NotUtf8Error extends Error {
  constructor(readonly byte: number | undefined) {
    super(byte === undefined ? 'the file ends in the middle of a UTF-8 character' : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8`);
  }
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence (an unfinished one counts). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= b.length) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let j = 2; j <= n; j++) if ((b[i + j] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/**
 * The body as text, chunk by chunk, without a leading BOM (unless `bom: false`: the bytes start mid-file). On the first
 * bad byte it yields the valid text before it, then throws NotUtf8Error: a file that turns out not to be UTF-8 past
 * its start is refused where it goes wrong, never imported as mojibake.
 */
export async function* decodeUtf8(body: AsyncIterable<Uint8Array>, options: { bom?: boolean } = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry: Uint8Array = new Uint8Array(0); // the unfinished sequence the decoder holds from the previous chunk
  let first = options.bom !== false;
  const strip = (text: string) => {
    if (first && text) {
      first = false;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return text;
  };
  for await (const chunk of body) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const bytes = new Uint8Array(carry.length + chunk.length);
      bytes.set(carry);
      bytes.set(chunk, carry.length);
      const bad = firstInvalidUtf8(bytes);
      const valid = strip(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad)));
      if (valid) yield valid;
      throw new NotUtf8Error(bytes[bad]);
    }
    carry = unfinishedTail(carry, chunk);
    text = strip(text);
    if (text) yield text;
  }
  try {
    decoder.decode();
  } catch {
    throw new NotUtf8Error(undefined);
  }
}

/** The bytes of a UTF-8 sequence left unfinished at the end of carry + chunk (at most 3). */
function unfinishedTail(carry: Uint8Array, chunk: Uint8Array): Uint8Array {
  const bytes = chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : Uint8Array.from([...carry, ...chunk].slice(-3));
  for (let k = bytes.length - 1; k >= 0 && k >= bytes.length - 3; k--) {
    const c = bytes[k];
    if ((c & 0xc0) === 0x80) continue; // continuation: keep looking for the lead byte
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > bytes.length - k ? bytes.slice(k) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Follows the bytes given to the CSV parser and tells physical line numbers (1-based; CRLF, LF and CR each end a line).
 * Queries must come in increasing byte order; bytes behind the last query are let go.
 */
export class LineCounter {
  private chunks: Uint8Array[] = [];
  private pos = 0;
  private offset = 0;
  private breaks = 0;
  private afterCR = false;
  private lastByte = -1;
  /** Bytes fed so far. */
  fed = 0;

  feed(bytes: Uint8Array) {
    if (!bytes.length) return;
    this.chunks.push(bytes);
    this.fed += bytes.length;
  }

  private advanceTo(to: number) {
    while (this.offset < to && this.chunks.length) {
      const chunk = this.chunks[0];
      const end = Math.min(chunk.length, this.pos + (to - this.offset));
      let { breaks, afterCR } = this;
      for (let i = this.pos; i < end; i++) {
        const b = chunk[i];
        if (b === LF) {
          if (!afterCR) breaks++;
          afterCR = false;
        } else if (b === CR) {
          breaks++;
          afterCR = true;
        } else afterCR = false;
      }
      this.breaks = breaks;
      this.afterCR = afterCR;
      if (end > this.pos) this.lastByte = chunk[end - 1];
      this.offset += end - this.pos;
      this.pos = end;
      if (this.pos >= chunk.length) {
        this.chunks.shift();
        this.pos = 0;
      }
    }
  }

  /** Whether the byte just before `end` ends a line. */
  endsLine(end: number): boolean {
    this.advanceTo(end);
    return this.offset === end && (this.lastByte === LF || this.lastByte === CR);
  }

  /**
   * The line on which a record starts, given the byte offset just past it (csv-parse's `info.bytes`, which includes
   * its line break) and its cells: every line break inside a record is inside one of its quoted cells.
   */
  recordStart(end: number, cells: string[]): number {
    this.advanceTo(end);
    const endsWithBreak = this.lastByte === LF || this.lastByte === CR;
    let inside = 0;
    for (const cell of cells) if (cell.length) inside += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    return 1 + this.breaks - (endsWithBreak ? 1 : 0) - inside;
  }

  /** The line of the first non-blank byte at or after `at` (or of the end of what was fed). */
  lineAt(at: number): number {
    this.advanceTo(at);
    let { breaks, afterCR } = this;
    for (let c = 0, pos = this.pos; c < this.chunks.length; c++, pos = 0) {
      const chunk = this.chunks[c];
      for (let i = pos; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === LF) {
          if (!afterCR) breaks++;
          afterCR = false;
        } else if (b === CR) {
          breaks++;
          afterCR = true;
        } else if (b === 0x20 || b === 0x09) afterCR = false;
        else return 1 + breaks;
      }
    }
    return 1 + breaks;
  }
}

/**
 * Watches the length of the line being fed, so that a file without line breaks is refused before the parser is given
 * more than `max` bytes of one line (a 20 MB line once held the event loop for 18 s).
 */
export class LineLengthGuard {
  private current = 0;

  constructor(readonly max: number) {}

  /** How many of these bytes can be fed: all of them, or those before the line that gets too long. */
  accepts(bytes: Uint8Array): number {
    let current = this.current;
    let start = 0;
    let lf = bytes.indexOf(LF);
    let cr = bytes.indexOf(CR);
    for (;;) {
      if (lf >= 0 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      current += (end < 0 ? bytes.length : end) - start;
      if (current > this.max) return start;
      if (end < 0) break;
      current = 0;
      start = end + 1;
    }
    this.current = current;
    return bytes.length;
  }
}
