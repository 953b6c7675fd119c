import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8, LineCounter, LineLengthGuard, NotUtf8Error } from './csv-lines.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

function streamOf(data: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let offset = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      const size = sizes[i++ % sizes.length];
      controller.enqueue(data.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>) {
  let text = '';
  try {
    for await (const chunk of decodeUtf8(stream as unknown as AsyncIterable<Uint8Array>)) text += chunk;
  } catch (err) {
    return { text, error: err as NotUtf8Error };
  }
  return { text, error: undefined };
}

describe('firstInvalidUtf8', () => {
  it('finds the first byte that is not UTF-8', () => {
    expect(firstInvalidUtf8(utf8('Zoé € 🚲'))).toBe(utf8('Zoé € 🚲').length);
    expect(firstInvalidUtf8(bytes('Zo', [0xe9], '!'))).toBe(2); // Latin-1 é
    expect(firstInvalidUtf8(bytes('a', [0xc0, 0xaf]))).toBe(1); // overlong
    expect(firstInvalidUtf8(bytes('ab', [0xed, 0xa0, 0x80]))).toBe(2); // surrogate
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // beyond U+10FFFF
    expect(firstInvalidUtf8(bytes('abc', [0xe2, 0x82]))).toBe(3); // unfinished
    expect(firstInvalidUtf8(bytes([0x80]))).toBe(0); // lone continuation
  });
});

describe('decodeUtf8', () => {
  const text = 'email;prénom\r\nzoe@example.fr;Zoé € 🚲\r\n';

  it('decodes any chunking the same, splitting characters anywhere, and drops one leading BOM', async () => {
    const data = bytes([0xef, 0xbb, 0xbf], text);
    for (const sizes of [[1], [2], [3], [1, 2, 3, 4, 5], [7], [1000]]) {
      expect(await collect(streamOf(data, sizes)), String(sizes)).toEqual({ text, error: undefined });
    }
    // A BOM further in is content.
    expect((await collect(streamOf(bytes('a\uFEFFb'), [1]))).text).toBe('a\uFEFFb');
  });

  it('yields the text before the first bad byte, then names the byte', async () => {
    const data = bytes('email;prénom\nzoe@example.fr;Zo', [0xe9], '\n');
    for (const sizes of [[1], [3], [1000], [2, 5]]) {
      const { text: got, error } = await collect(streamOf(data, sizes));
      expect(got, String(sizes)).toBe('email;prénom\nzoe@example.fr;Zo');
      expect(error).toBeInstanceOf(NotUtf8Error);
      expect(error!.message).toBe('byte 0xE9 is not UTF-8');
    }
  });

  it('refuses a file cut in the middle of a character', async () => {
    const { text: got, error } = await collect(streamOf(bytes('abc', [0xe2, 0x82]), [2]));
    expect(got).toBe('abc');
    expect(error?.message).toBe('the file ends in the middle of a UTF-8 character');
  });
});

describe('LineCounter', () => {
  it('tells the line a record starts on, with CRLF, LF and CR breaks, blank lines and multi-line cells', () => {
    // line 1: h1,h2 | 2: a,"x | 3: y" | 4: (blank) | 5: b,c | 6: d,"p | 7: (blank) | 8: q"   (CRLF)
    const text = 'h1,h2\r\na,"x\r\ny"\r\n\r\nb,c\r\nd,"p\r\n\r\nq"';
    const counter = new LineCounter();
    const data = utf8(text);
    counter.feed(data.subarray(0, 9));
    counter.feed(data.subarray(9));
    const end = (s: string) => text.indexOf(s) + s.length;
    expect(counter.recordStart(end('h1,h2\r\n'), ['h1', 'h2'])).toBe(1);
    expect(counter.recordStart(end('y"\r\n'), ['a', 'x\r\ny'])).toBe(2);
    expect(counter.recordStart(end('b,c\r\n'), ['b', 'c'])).toBe(5);
    expect(counter.recordStart(text.length, ['d', 'p\r\n\r\nq'])).toBe(6);
  });

  it('counts LF-only and CR-only files too', () => {
    const lf = new LineCounter();
    lf.feed(utf8('h\n\na\nb\n'));
    expect(lf.recordStart(2, ['h'])).toBe(1);
    expect(lf.recordStart(5, ['a'])).toBe(3);
    expect(lf.recordStart(7, ['b'])).toBe(4);
    const cr = new LineCounter();
    cr.feed(utf8('h\ra\rb'));
    expect(cr.recordStart(2, ['h'])).toBe(1);
    expect(cr.recordStart(4, ['a'])).toBe(2);
    expect(cr.recordStart(5, ['b'])).toBe(3);
  });

  it('tells the line of the next content after a position', () => {
    const counter = new LineCounter();
    counter.feed(utf8('h\r\n\r\n   \r\n  x'));
    expect(counter.lineAt(3)).toBe(4);
    const end = new LineCounter();
    end.feed(utf8('h\r\nabc\r\n'));
    expect(end.lineAt(end.fed)).toBe(3);
    expect(end.fed).toBe(8);
  });

  it('knows whether a record ended with its line break', () => {
    const counter = new LineCounter();
    counter.feed(utf8('a\nbc'));
    expect(counter.endsLine(2)).toBe(true);
    expect(counter.endsLine(4)).toBe(false);
  });
});

describe('LineLengthGuard', () => {
  it('lets lines up to the limit through, across chunks and any line break', () => {
    const guard = new LineLengthGuard(4);
    expect(guard.accepts(utf8('abcd\r\nab'))).toBe(8);
    expect(guard.accepts(utf8('cd\n'))).toBe(3);
    expect(guard.accepts(utf8('wxyz\rabcd\n\n'))).toBe(11);
    expect(guard.accepts(utf8(''))).toBe(0);
  });

  it('stops before the line that gets too long: at the chunk start when it began earlier', () => {
    const split = new LineLengthGuard(4);
    expect(split.accepts(utf8('h\nabc'))).toBe(5);
    expect(split.accepts(utf8('de\nok\n'))).toBe(0);
    const inside = new LineLengthGuard(4);
    expect(inside.accepts(utf8('ab\ncd\r\nabcde\nx'))).toBe(7);
    const first = new LineLengthGuard(4);
    expect(first.accepts(new Uint8Array(20_000_000).fill(0x61))).toBe(0);
  });
});
