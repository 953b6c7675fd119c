// The printer, read back the way a print house's preflight would: pdfjs finds every text and every filled path,
// with its position on the page. Expected positions come from the norm's numbers (a DL window 85.5 × 25.5 mm, 60 mm
// from the top, 22 mm from the side), never from print.ts.
import { parse } from 'csv-parse/sync';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { printBatch, qrSquares, windowArea, winAnsi } from './print.js';
import type { PostalBatch, PostalLetter, PrintedBatch } from './types.js';

const MM = 72 / 25.4;
const PAGE_HEIGHT = 841.89;

/** The window in points from the page's bottom-left corner, worked out from the norm. */
function expectedWindow(side: 'left' | 'right') {
  const left = side === 'left' ? 22 * MM : (210 - 22 - 85.5) * MM;
  const top = PAGE_HEIGHT - 60 * MM;
  return { x0: left, x1: left + 85.5 * MM, y0: top - 25.5 * MM, y1: top };
}

interface Item { str: string; x0: number; x1: number; y: number; size: number }
interface Rect { x0: number; y0: number; x1: number; y1: number }
/** A black fill: its bounding box, and its outline, subpath by subpath, in page points, with the rule it is filled by. */
interface Fill extends Rect { evenOdd: boolean; polygons: Polygon[] }
/** A subpath's corners, and how low and high it reaches. */
interface Polygon { points: Array<[number, number]>; y0: number; y1: number }
interface Page { items: Item[]; filled: Fill[]; stroked: Rect[]; ops: number }

const apply = (m: number[], x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

// pdfjs's path data (its DrawOPS, not exported): each operator's code followed by its points.
const MOVE_TO = 0, LINE_TO = 1, CLOSE_PATH = 4;

/** A path's subpaths as polygons in page points; a curve (which no fill of ours has) fails the read. */
function polygonsOf(path: ArrayLike<number>, ctm: number[]): Polygon[] {
  const corners: Array<Array<[number, number]>> = [];
  for (let i = 0; i < path.length;) {
    const op = path[i++];
    if (op === MOVE_TO) corners.push([apply(ctm, path[i++], path[i++])]);
    else if (op === LINE_TO) corners.at(-1)!.push(apply(ctm, path[i++], path[i++]));
    else if (op !== CLOSE_PATH) throw new Error(`Unexpected path operator ${op} in a fill`);
  }
  return corners.map((points) => ({ points, y0: Math.min(...points.map((p) => p[1])), y1: Math.max(...points.map((p) => p[1])) }));
}

/**
 * Whether a fill paints the point (x, y), by a ray cast to its right through every edge of every subpath: the winding
 * number, or for an even-odd fill the crossings' parity.
 */
function paints(fill: Fill, x: number, y: number) {
  let [winding, crossings] = [0, 0];
  for (const { points, y0: low, y1: high } of fill.polygons) {
    if (y < low || y > high) continue;
    for (let i = 0; i < points.length; i++) {
      const [x0, y0] = points[i];
      const [x1, y1] = points[(i + 1) % points.length];
      if (y0 <= y === y1 <= y || x0 + ((y - y0) * (x1 - x0)) / (y1 - y0) <= x) continue;
      crossings += 1;
      winding += y1 > y0 ? 1 : -1;
    }
  }
  return fill.evenOdd ? crossings % 2 === 1 : winding !== 0;
}

/** Every page's texts (no-break spaces made plain), black fills and stroked paths, in PDF points. */
async function readPdf(bytes: Uint8Array) {
  const doc = await pdfjs.getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
  const { info } = await doc.getMetadata();
  const pages: Page[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const { items } = await page.getTextContent();
    const texts = items.flatMap((it) => ('str' in it && it.str ? [{ str: it.str.replaceAll('\u00a0', ' '), x0: it.transform[4], x1: it.transform[4] + it.width, y: it.transform[5], size: it.height }] : []));
    const { fnArray, argsArray } = await page.getOperatorList();
    // Follow the graphics state to place each path, as a renderer would.
    let ctm = [1, 0, 0, 1, 0, 0];
    let fill = '';
    const stack: Array<[number[], string]> = [];
    const filled: Fill[] = [];
    const stroked: Rect[] = [];
    fnArray.forEach((fn, i) => {
      const args = argsArray[i];
      if (fn === pdfjs.OPS.save) stack.push([ctm, fill]);
      else if (fn === pdfjs.OPS.restore) [ctm, fill] = stack.pop()!;
      else if (fn === pdfjs.OPS.transform) ctm = pdfjs.Util.transform(ctm, args);
      else if (fn === pdfjs.OPS.setFillRGBColor) fill = args[0];
      else if (fn === pdfjs.OPS.constructPath) {
        const [paint, [path], box] = args;
        const [a, b] = [apply(ctm, box[0], box[1]), apply(ctm, box[2], box[3])];
        const rect = { x0: Math.min(a[0], b[0]), y0: Math.min(a[1], b[1]), x1: Math.max(a[0], b[0]), y1: Math.max(a[1], b[1]) };
        if ((paint === pdfjs.OPS.fill || paint === pdfjs.OPS.eoFill) && fill === '#000000') {
          filled.push({ ...rect, evenOdd: paint === pdfjs.OPS.eoFill, polygons: polygonsOf(path, ctm) });
        } else if (paint === pdfjs.OPS.stroke) stroked.push(rect);
      }
    });
    pages.push({ items: texts, filled, stroked, ops: fnArray.length });
  }
  return { info: info as Record<string, unknown>, pages };
}

/**
 * Whether a text sits inside a rectangle: its descender (a quarter of its size) to a full size above the baseline,
 * give or take a hundredth of a point of rounding.
 */
function inside(item: Item, r: Rect, above = 1) {
  const e = 0.01;
  return item.x0 >= r.x0 - e && item.x1 <= r.x1 + e && item.y - item.size / 4 >= r.y0 - e && item.y + above * item.size <= r.y1 + e;
}

/**
 * An address line is well inside the window: 2.5 mm clear of its edges, counting Helvetica's capitals (0.72 em) above
 * the baseline. The window is 85.5 × 25.5 mm only, and letters shift in their envelope: a block drawn a millimetre off
 * fails here.
 */
function wellInside(item: Item, window: Rect) {
  const inset = { x0: window.x0 + 2.5 * MM, x1: window.x1 - 2.5 * MM, y0: window.y0 + 2.5 * MM, y1: window.y1 - 2.5 * MM };
  return inside(item, inset, 0.75);
}
function overlaps(item: Item, r: Rect) {
  return item.x0 < r.x1 && item.x1 > r.x0 && item.y - item.size / 4 < r.y1 && item.y + item.size > r.y0;
}

const numbered = (word: string, count: number) => Array.from({ length: count }, (_, i) => `${word} ${i + 1}`).join('\n');

const hélène: PostalLetter = {
  messageId: 'msg-1', contactId: 101, lang: 'fr',
  addressLines: ['Mme Hélène Œuvray', '12 rue des Lilas', '75011 PARIS'],
  subject: 'Votre avoir 😀',
  // A paragraph of kerning pairs (AV, Wo, Ty…) wrapped at the margin, and a word longer than a line.
  text: `Bonjour Hélène,\n\nVotre avoir de 10 € vous attend, avec nos vœux « les meilleurs ».\nÀ bientôt,\n\n${'AVATAR, Wow ! Yves vit à Tyr, Tove y va. '.repeat(8)}\n\nhttps://relais.example.fr/${'a'.repeat(200)}`,
  coupon: { code: 'ABCDEFGH', url: 'https://relais.example.fr/r/7f3a9c2e1b' },
};
// Seven address lines, and a body of 120 short lines over three pages.
const john: PostalLetter = {
  messageId: 'msg-2', contactId: 102, lang: 'en',
  addressLines: ['Mr John Smith', 'Flat 4', 'Rosebank House', '221 Baker Street', 'Marylebone', 'LONDON NW1 6XE', 'ROYAUME-UNI'],
  subject: '',
  text: numbered('Line', 120),
  coupon: { code: 'WXYZ2345', url: 'https://relais.example.fr/r/0123456789abcdef0123456789abcdef' },
};
// Six address lines, one too long for the window; 30 lines reach into the coupon's place, which moves to a new page.
const jean: PostalLetter = {
  messageId: 'msg-3', contactId: 103, lang: 'fr',
  addressLines: ['M. Jean-Baptiste de La Tour d’Auvergne-Lauraguais et de Montmorency-Laval', 'Résidence Les Tilleuls, Bâtiment C', 'Appartement 14', '3 allée des Peupliers', 'BP 42', '69003 LYON'],
  subject: 'Relevé',
  text: numbered('Ligne', 30),
  coupon: { code: 'JKLM6789', url: 'https://relais.example.fr/r/jean' },
};
const noCoupon: PostalLetter = {
  messageId: 'msg-4', contactId: 104, lang: 'fr',
  addressLines: ['Mme Zoé Martin', '8 place du Marché', '33000 BORDEAUX', 'FRANCE'],
  subject: '',
  text: numbered('Rang', 60),
};

// Body lines: 11 pt on 14 pt lines, from 95 mm under the top (20 mm on later pages) down to 20 mm above the bottom;
// a line takes a whole em above its baseline (room for É) and its descender (0.207 em) below.
const linesIn = (mm: number) => Math.floor((mm * MM - 1.207 * 11) / 14) + 1;
const FIRST = linesIn(297 - 95 - 20);
const NEXT = linesIn(297 - 20 - 20);

describe('printing a batch of letters', () => {
  let left: PrintedBatch;
  let right: PrintedBatch;
  let leftPdf: Awaited<ReturnType<typeof readPdf>>;
  let rightPdf: Awaited<ReturnType<typeof readPdf>>;
  const returnAddress = ['Relais SAS', '1 rue de la Paix', '75002 Paris'];

  beforeAll(async () => {
    left = await printBatch({ key: 'camp-7-1', letters: [hélène, john, jean], options: { window: 'left', duplex: false, returnAddress } });
    right = await printBatch({ key: 'camp-7-2', letters: [hélène, john, noCoupon, jean], options: { window: 'right', duplex: true } });
    [leftPdf, rightPdf] = await Promise.all([readPdf(left.pdf), readPdf(right.pdf)]);
  });

  it('gives each letter its pages: one, three (120 lines), two (the coupon pushed over)', () => {
    expect([FIRST, NEXT]).toEqual([36, 52]);
    expect(leftPdf.pages).toHaveLength(6);
    expect(left.pages).toEqual([
      { messageId: 'msg-1', first: 1, last: 1 },
      { messageId: 'msg-2', first: 2, last: 4 },
      { messageId: 'msg-3', first: 5, last: 6 },
    ]);
    expect(leftPdf.info).toMatchObject({ Title: 'camp-7-1', Producer: 'Relais' });
    // Line n of John's letter is on the page its number says, and nowhere else.
    const pageOf = (n: number) => (n <= FIRST ? 2 : n <= FIRST + NEXT ? 3 : 4);
    for (const n of [1, FIRST, FIRST + 1, FIRST + NEXT, FIRST + NEXT + 1, 120]) {
      const found = leftPdf.pages.flatMap((p, i) => (p.items.some((it) => it.str === `Line ${n}`) ? [i + 1] : []));
      expect(found, `Line ${n}`).toEqual([pageOf(n)]);
    }
  });

  it('keeps every text within the margins, and nothing but the address in the window', () => {
    for (const [pdf, side] of [[leftPdf, 'left'], [rightPdf, 'right']] as const) {
      for (const page of pdf.pages) for (const item of page.items) expect(inside(item, { x0: 20 * MM, x1: 190 * MM, y0: 20 * MM, y1: 277 * MM }), item.str).toBe(true);
      const window = expectedWindow(side);
      for (const { first } of (pdf === leftPdf ? left : right).pages) {
        const address = pdf.pages[first - 1].items.filter((it) => overlaps(it, window));
        expect(address.length).toBeGreaterThanOrEqual(3);
        for (const item of address) expect(wellInside(item, window), item.str).toBe(true);
      }
    }
  });

  it('prints each address inside the left window of its first page, and on no other page', () => {
    const window = expectedWindow('left');
    for (const [letter, { first }] of [[hélène, left.pages[0]], [john, left.pages[1]], [jean, left.pages[2]]] as const) {
      const page = leftPdf.pages[first - 1];
      const inWindow = page.items.filter((it) => overlaps(it, window));
      expect(inWindow.map((it) => it.str)).toEqual(letter === jean ? [expect.stringMatching(/^M\. Jean-Baptiste de La Tour.*…$/), ...jean.addressLines.slice(1)] : letter.addressLines);
      for (const item of inWindow) expect(wellInside(item, window), item.str).toBe(true);
      leftPdf.pages.forEach((other, i) => {
        if (i !== first - 1) expect(other.items.filter((it) => letter.addressLines.includes(it.str))).toEqual([]);
      });
    }
    // Seven lines shrink to fit; the over-long name is cut to the window's width.
    const sizes = leftPdf.pages[1].items.filter((it) => john.addressLines.includes(it.str)).map((it) => it.size);
    expect(Math.max(...sizes)).toBeLessThan(9.5);
  });

  it('puts the return address on one small line just above the window, within its width', () => {
    const window = expectedWindow('left');
    const [line] = leftPdf.pages[0].items.filter((it) => it.str === 'Relais SAS, 1 rue de la Paix, 75002 Paris');
    expect(line.size).toBeLessThanOrEqual(7);
    expect(line.x0).toBeGreaterThanOrEqual(window.x0);
    expect(line.x1).toBeLessThanOrEqual(window.x1);
    expect(line.y).toBeGreaterThan(window.y1);
    expect(line.y).toBeLessThan(window.y1 + 5 * MM);
    expect(rightPdf.pages[0].items.some((it) => it.str.startsWith('Relais SAS'))).toBe(false);
  });

  it('prints in the right window, and starts every letter on a recto in duplex', () => {
    expect(right.pages).toEqual([
      { messageId: 'msg-1', first: 1, last: 1 },
      { messageId: 'msg-2', first: 3, last: 5 },
      { messageId: 'msg-4', first: 7, last: 8 },
      { messageId: 'msg-3', first: 9, last: 10 },
    ]);
    expect(rightPdf.pages).toHaveLength(10);
    for (const blank of [2, 6]) expect(rightPdf.pages[blank - 1]).toEqual({ items: [], filled: [], stroked: [], ops: 0 });
    const window = expectedWindow('right');
    for (const [letter, first] of [[hélène, 1], [john, 3], [noCoupon, 7], [jean, 9]] as const) {
      const address = rightPdf.pages[first - 1].items.filter((it) => overlaps(it, window));
      expect(address.map((it) => it.str)).toEqual(letter === jean ? [expect.stringMatching(/…$/), ...jean.addressLines.slice(1)] : letter.addressLines);
      for (const item of address) expect(wellInside(item, window), item.str).toBe(true);
    }
  });

  it('keeps French accents, œ and €, and turns an emoji into ?', () => {
    const texts = leftPdf.pages[0].items.map((it) => it.str);
    expect(texts).toContain('Objet : Votre avoir ?');
    expect(texts).toContain('Votre avoir de 10 € vous attend, avec nos vœux « les meilleurs ».');
    expect(texts).toContain('À bientôt,');
    expect(leftPdf.pages[4].items.map((it) => it.str)).toContain('Objet : Relevé');
    // John's letter has no subject: no object line.
    expect(leftPdf.pages[1].items.some((it) => it.str.startsWith('Subject'))).toBe(false);
  });

  it('prints the coupon on each letter’s last page only, in its language, with the QR code of its URL', async () => {
    const checks = [[hélène, left.pages[0], leftPdf], [john, left.pages[1], leftPdf], [jean, left.pages[2], leftPdf], [john, right.pages[1], rightPdf]] as const;
    for (const [letter, { first, last }, pdf] of checks) {
      const coupon = letter.coupon!;
      const fr = letter.lang === 'fr';
      const spaced = `${coupon.code.slice(0, 4)} ${coupon.code.slice(4)}`;
      const page = pdf.pages[last - 1];
      const texts = page.items.map((it) => it.str);
      expect(texts).toEqual(expect.arrayContaining([
        fr ? 'Coupon-réponse' : 'Reply coupon',
        fr ? 'Votre code' : 'Your code',
        spaced,
        fr ? 'Scannez le QR code ou saisissez votre code sur relais.example.fr' : 'Scan the QR code or enter your code at relais.example.fr',
      ]));
      for (let p = first; p < last; p++) {
        expect(pdf.pages[p - 1].items.some((it) => it.str === spaced)).toBe(false);
        expect(pdf.pages[p - 1].filled).toEqual([]);
      }
      // The dashed box, about 60 mm high, below every other text of the page.
      const [box] = page.stroked;
      expect(page.stroked).toHaveLength(1);
      expect((box.y1 - box.y0) / MM).toBeCloseTo(60, 0);
      for (const item of page.items) if (!overlaps(item, box)) expect(item.y - item.size / 4, item.str).toBeGreaterThan(box.y1);

      // The QR code: the page's black fills, sampled at each module's centre, are the code of the coupon's URL.
      const { size, data } = QRCode.create(coupon.url, { errorCorrectionLevel: 'M' }).modules;
      const qr = { x0: Math.min(...page.filled.map((r) => r.x0)), x1: Math.max(...page.filled.map((r) => r.x1)), y0: Math.min(...page.filled.map((r) => r.y0)), y1: Math.max(...page.filled.map((r) => r.y1)) };
      expect((qr.x1 - qr.x0) / MM).toBeCloseTo(30, 1);
      expect((qr.y1 - qr.y0) / MM).toBeCloseTo(30, 1);
      expect(qr.x0 > box.x0 && qr.x1 < box.x1 && qr.y0 > box.y0 && qr.y1 < box.y1).toBe(true);
      const module = (qr.x1 - qr.x0) / size;
      const drawn = Array.from({ length: size * size }, (_, i) => {
        const [cx, cy] = [qr.x0 + (i % size + 0.5) * module, qr.y1 - (Math.floor(i / size) + 0.5) * module];
        return page.filled.some((f) => paints(f, cx, cy)) ? 1 : 0;
      });
      expect(drawn).toEqual(Array.from(data));
      // Its quiet zone, four modules around it, is blank.
      const quiet = { x0: qr.x0 - 4 * module, x1: qr.x1 + 4 * module, y0: qr.y0 - 4 * module, y1: qr.y1 + 4 * module };
      expect(page.items.filter((it) => overlaps(it, quiet))).toEqual([]);
    }
    // Jean's 30 lines leave no room: the coupon has a page of its own.
    expect(leftPdf.pages[5].items.map((it) => it.str)).toEqual(['Coupon-réponse', 'Votre code', 'JKLM 6789', 'Scannez le QR code ou saisissez votre code sur relais.example.fr']);
    expect(rightPdf.pages.slice(6, 8).every((p) => p.filled.length === 0 && p.stroked.length === 0)).toBe(true);
  });

  it('writes the manifest the PDF agrees with', () => {
    for (const [printed, pdf, letters] of [[left, leftPdf, [hélène, john, jean]], [right, rightPdf, [hélène, john, noCoupon, jean]]] as const) {
      expect(printed.manifest.startsWith('\uFEFFmessage_id,contact_id,address_line_1,')).toBe(true);
      expect(printed.manifest.split('\r\n')).toHaveLength(letters.length + 2);
      const rows: Record<string, string>[] = parse(printed.manifest, { bom: true, columns: true });
      expect(Object.keys(rows[0])).toEqual(['message_id', 'contact_id', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `address_line_${n}`), 'first_page', 'last_page', 'pages', 'coupon_code']);
      rows.forEach((row, i) => {
        const letter = letters[i];
        const address = [0, 1, 2, 3, 4, 5, 6].map((n) => row[`address_line_${n + 1}`]);
        expect(address).toEqual([...letter.addressLines, ...Array(7 - letter.addressLines.length).fill('')]);
        expect([row.message_id, row.contact_id, row.coupon_code]).toEqual([letter.messageId, String(letter.contactId), letter.coupon?.code ?? '']);
        // The address is found on first_page; the coupon (or the body's end) on last_page; pages runs to the next letter.
        const [first, last, pages] = [Number(row.first_page), Number(row.last_page), Number(row.pages)];
        expect(pdf.pages[first - 1].items.some((it) => it.str === letter.addressLines[1])).toBe(true);
        const end = letter.coupon ? `${letter.coupon.code.slice(0, 4)} ${letter.coupon.code.slice(4)}` : 'Rang 60';
        expect(pdf.pages.flatMap((p, n) => (p.items.some((it) => it.str === end) ? [n + 1] : []))).toEqual([last]);
        const next = i + 1 < rows.length ? Number(rows[i + 1].first_page) : pdf.pages.length + 1;
        expect(first + pages).toBe(next);
        expect(printed.pages[i]).toEqual({ messageId: letter.messageId, first, last });
      });
    }
  });

  it('refuses what no print run should take', async () => {
    const batch = (letters: PostalLetter[]): PostalBatch => ({ key: 'k', letters, options: { window: 'left', duplex: false } });
    await expect(printBatch(batch([]))).rejects.toThrow('no letters');
    await expect(printBatch(batch(Array(5001).fill(hélène)))).rejects.toThrow('5001 letters');
    await expect(printBatch(batch([hélène, hélène]))).rejects.toThrow('twice');
    await expect(printBatch(batch([{ ...hélène, addressLines: Array(8).fill('x') }]))).rejects.toThrow('msg-1 has 8 address lines');
    // 20 pages hold 36 + 19 × 52 lines: one more page's worth is a template gone wrong.
    await expect(printBatch(batch([{ ...john, text: numbered('L', FIRST + 20 * NEXT) }]))).rejects.toThrow('msg-2 runs over 20 pages');
  });
});

describe('winAnsi', () => {
  it('keeps what Helvetica prints and turns the rest into ?', () => {
    expect(winAnsi('Hélène Œuvray, 10 € « vœux » – “ok” …')).toBe('Hélène Œuvray, 10 € « vœux » – “ok” …');
    expect(winAnsi('Merci 😀 東京')).toBe('Merci ? ??');
    // An emoji's variation selector, the joiners of a family, and a soft hyphen are invisible: dropped.
    expect(winAnsi('❤️ 👨‍👩‍👧 co\u00adop')).toBe('? ??? coop');
    // Decomposed accents are composed; narrow no-break spaces become no-break spaces, tabs spaces.
    expect(winAnsi('Rene\u0301e\u202f;\tfin')).toBe('Renée\u00a0; fin');
  });
});

describe('windowArea and qrSquares', () => {
  it('places the DL window by the norm', () => {
    expect(windowArea('left')).toEqual({ left: 22, top: 60, width: 85.5, height: 25.5 });
    expect(windowArea('right')).toEqual({ left: 102.5, top: 60, width: 85.5, height: 25.5 });
  });

  it('draws exactly the dark modules, in runs, with the three finder patterns', async () => {
    const url = 'https://relais.example.fr/r/7f3a9c2e1b';
    const { size, squares } = await qrSquares(url);
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    expect(size).toBe(modules.size);
    const grid = new Uint8Array(size * size);
    for (const s of squares) {
      expect(s.height).toBe(1);
      for (let x = s.x; x < s.x + s.width; x++) grid[s.y * size + x] += 1;
    }
    expect(Array.from(grid)).toEqual(Array.from(modules.data));
    // Runs are merged: two squares of a row never touch.
    for (let i = 1; i < squares.length; i++) if (squares[i].y === squares[i - 1].y) expect(squares[i].x).toBeGreaterThan(squares[i - 1].x + squares[i - 1].width);
    const finder = ['1111111', '1000001', '1011101', '1011101', '1011101', '1000001', '1111111'];
    for (const [x0, y0] of [[0, 0], [size - 7, 0], [0, size - 7]]) {
      const seen = finder.map((_, y) => Array.from({ length: 7 }, (_, x) => grid[(y0 + y) * size + x0 + x]).join(''));
      expect(seen).toEqual(finder);
    }
  });
});
