import { describe, expect, it } from 'vitest';
import { decodeText, UnreadableFileError } from './csv-encoding.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Windows-1252 for the characters these tests use: Latin-1 letters are their code point, the rest from the table. */
const cp1252 = (s: string) => Uint8Array.from([...s].map((ch) => ({ '€': 0x80, '’': 0x92, 'œ': 0x9c })[ch] ?? ch.charCodeAt(0)));

function streamOf(data: Uint8Array, size = data.length || 1): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function read(data: Uint8Array, size?: number) {
  const decoded = await decodeText(streamOf(data, size));
  let text = '';
  for await (const chunk of decoded.text) text += chunk;
  return { text, encoding: decoded.encoding };
}

describe('decodeText', () => {
  const french = 'email;prénom;ville\r\nzoe@example.fr;Zoé;Saint-Étienne\r\nleon@example.fr;Léon;Besançon\r\n';

  it('reads UTF-8 with or without a BOM', async () => {
    expect(await read(utf8(french))).toEqual({ text: french, encoding: 'utf-8' });
    expect(await read(utf8('\ufeff' + french), 3)).toEqual({ text: french, encoding: 'utf-8' });
  });

  it('reads Windows-1252 and Latin-1 (what French Excel writes), the euro sign and curly quotes included', async () => {
    const excel = 'Nom;Note\r\nLefèvre;l’œuvre à 12 €\r\n';
    expect(await read(cp1252(excel))).toEqual({ text: excel, encoding: 'windows-1252' });
    expect(await read(cp1252(french), 7)).toEqual({ text: french, encoding: 'windows-1252' });
  });

  it('decides at the first byte past ASCII, wherever it is', async () => {
    const ascii = 'email;name\r\n' + 'x@example.fr;Anne\r\n'.repeat(5000);
    expect(await read(cp1252(ascii + 'z@example.fr;Zoé\r\n'), 4096)).toEqual({ text: ascii + 'z@example.fr;Zoé\r\n', encoding: 'windows-1252' });
    expect(await read(utf8(ascii + 'z@example.fr;Zoé 🚲\r\n'), 4096)).toEqual({ text: ascii + 'z@example.fr;Zoé 🚲\r\n', encoding: 'utf-8' });
    expect(await read(utf8(ascii), 4096)).toEqual({ text: ascii, encoding: 'utf-8' });
  });

  it('reads UTF-16 with its byte order mark, little or big endian', async () => {
    const le = new Uint8Array([0xff, 0xfe, ...[...french].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]);
    const be = new Uint8Array([0xfe, 0xff, ...[...french].flatMap((ch) => [ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff])]);
    expect(await read(le, 5)).toEqual({ text: french, encoding: 'utf-16le' });
    expect(await read(be)).toEqual({ text: french, encoding: 'utf-16be' });
  });

  it('refuses what is not text: a workbook, a PDF, binary data', async () => {
    const refused = async (data: Uint8Array) => {
      const err = await decodeText(streamOf(data)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreadableFileError);
      return (err as UnreadableFileError).problems[0];
    };
    expect(await refused(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))).toEqual({
      field: 'body', message: 'this is an Excel workbook (.xlsx) or another ZIP archive, not a CSV file: save it from Excel as "CSV UTF-8" and import it again',
    });
    expect((await refused(utf8('%PDF-1.7\n'))).message).toContain('a PDF document');
    const binary = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
    expect((await refused(binary)).message).toMatch(/^this is not text: its first 4096 bytes hold \d+ control characters/);
  });

  it('takes a stray NUL as text (that row is refused later), not as a binary file', async () => {
    expect(await read(utf8('email\r\na@example.fr\u0000\r\n'))).toEqual({ text: 'email\r\na@example.fr\u0000\r\n', encoding: 'utf-8' });
  });
});
