import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, csvStream, prefersCsv, type CsvValue } from './csv.js';

async function read(stream: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return chunks;
}

describe('csvCell', () => {
  it('writes plain text as is, and quotes text holding a comma, a quote, CR or LF (quotes doubled)', () => {
    expect(csvCell('Hélène')).toBe('Hélène');
    expect(csvCell('Dupont, Marie')).toBe('"Dupont, Marie"');
    expect(csvCell('le "best"')).toBe('"le ""best"""');
    expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell('')).toBe('');
    expect(csvCell(' espace ')).toBe(' espace ');
  });

  it('neutralises text a spreadsheet would run as a formula with a leading single quote', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+33612345678')).toBe("'+33612345678");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    // Only at the start.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('x-y@z')).toBe('x-y@z');
  });

  it('writes numbers as numbers, negative ones included, and booleans as true/false', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(0.3563)).toBe('0.3563');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
    // The same characters as text are neutralised: only a number is known to be one.
    expect(csvCell('-12.5')).toBe("'-12.5");
  });

  it('writes null and undefined as an empty cell, and dates in ISO 8601', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-11-03T09:00:00+01:00'))).toBe('2026-11-03T08:00:00.000Z');
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', 1, null, 'b,c', -1, '=x'])).toBe('a,1,,"b,c",-1,\'=x\r\n');
    expect(csvLine([])).toBe('\r\n');
  });
});

describe('csvStream', () => {
  it('starts with a UTF-8 BOM and the header, then one chunk per batch, and tells onEnd once', async () => {
    let ended = 0;
    async function* batches(): AsyncIterable<CsvValue[][]> {
      yield [['Zoé', 1], ['Ève', -2]];
      yield [['=x', null]];
    }
    const chunks = await read(csvStream(['name', 'n'], batches(), () => ended++));
    expect(chunks.length).toBe(3);
    expect([...chunks[0].slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = chunks.map((c) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(c));
    expect(text).toEqual(['\uFEFFname,n\r\n', 'Zoé,1\r\nÈve,-2\r\n', "'=x,\r\n"]);
    expect(ended).toBe(1);
  });

  it('reads a batch only when the reader asks for more', async () => {
    const read: number[] = [];
    async function* batches(): AsyncIterable<CsvValue[][]> {
      for (let i = 1; i <= 3; i++) {
        read.push(i);
        yield [[i]];
      }
    }
    const reader = csvStream(['n'], batches()).getReader();
    await reader.read(); // the header
    await new Promise((r) => setTimeout(r, 10));
    // The stream keeps at most one batch ahead of its reader.
    expect(read.length).toBeLessThanOrEqual(1);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('1\r\n');
    await reader.cancel();
    expect(read.length).toBeLessThanOrEqual(2);
  });

  it('tells onEnd of a failure, and of a reader that gave up', async () => {
    const ends: unknown[] = [];
    async function* failing(): AsyncIterable<CsvValue[][]> {
      yield [[1]];
      throw new Error('database gone');
    }
    await expect(read(csvStream(['n'], failing(), (e) => ends.push(e)))).rejects.toThrow('database gone');
    const reader = csvStream(['n'], failing(), (e) => ends.push(e ?? 'cancelled')).getReader();
    await reader.read();
    await reader.cancel();
    expect(ends.map((e) => (e instanceof Error ? e.message : e))).toEqual(['database gone', 'cancelled']);
  });
});

describe('prefersCsv', () => {
  it('is true when text/csv is asked for at least as much as JSON, false for wildcards and no header', () => {
    expect(prefersCsv('text/csv')).toBe(true);
    expect(prefersCsv('text/csv; charset=utf-8')).toBe(true);
    expect(prefersCsv('Text/CSV')).toBe(true);
    expect(prefersCsv('application/json;q=0.5, text/csv')).toBe(true);
    expect(prefersCsv('text/csv;q=0.5, application/json')).toBe(false);
    expect(prefersCsv('text/csv;q=0')).toBe(false);
    expect(prefersCsv('application/json')).toBe(false);
    expect(prefersCsv('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
    expect(prefersCsv('*/*')).toBe(false);
    expect(prefersCsv(undefined)).toBe(false);
    expect(prefersCsv('')).toBe(false);
  });
});
