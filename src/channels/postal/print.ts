// The postal channel's printer: a batch of letters as one print-ready A4 PDF, and the manifest the print house checks
// it against. Pure: no database, no network. pdf-lib and qrcode load on the first print, so a sender that never prints
// never holds them in memory.
import type { PDFDocument, PDFFont, PDFName, PDFPage } from '@cantoo/pdf-lib';
import { csvLine } from '../../http/csv.js';
import { messages } from '../../i18n/index.js';
import type { PostalBatch, PostalLetter, PrintedBatch } from './types.js';

const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };

/** At most this many letters a batch, and pages a letter: beyond, the caller or the template is wrong. */
export const MAX_LETTERS = 5000;
export const MAX_PAGES_PER_LETTER = 20;

/** A rectangle in millimetres, measured from the page's top-left corner, as the envelope norms give them. */
export interface Area {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the address shows through a French DL window envelope (NF EN ISO 269, La Poste's window position): 85.5 ×
 * 25.5 mm, its top 60 mm from the top of the page, 22 mm from the page's left edge, or from its right edge.
 */
export function windowArea(side: 'left' | 'right'): Area {
  const width = 85.5;
  return { left: side === 'left' ? 22 : 210 - 22 - width, top: 60, width, height: 25.5 };
}

// Helvetica is a standard font, so nothing is embedded, but it speaks WinAnsi only: Latin-1 and these.
const WIN_ANSI_EXTRA = new Set('ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™');
const NO_BREAK_SPACES = new Set('\u202f\u2007\u2060\ufeff');
const HYPHENS = new Set('\u2010\u2011\u2212');

/**
 * One line as Helvetica can print it: French typography kept (é, œ, €, « », the no-break space before ":"), any other
 * character (emoji, CJK) a '?', so that an odd contact name never stops a batch. Invisible characters (a soft hyphen,
 * a zero-width joiner, an emoji's variation selector) are dropped: WinAnsi would print a soft hyphen as a hyphen.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (NO_BREAK_SPACES.has(ch)) out += '\u00a0';
    else if (HYPHENS.has(ch)) out += '-';
    else if (/[\p{Cf}\p{M}]/u.test(ch)) continue;
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (/\s/u.test(ch)) out += ' ';
    else out += '?';
  }
  return out;
}

/** One filled rectangle of a QR code, in modules from its top-left corner. */
export interface QrSquare {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The dark modules of `text`'s QR code (error correction M), each row's runs merged into one rectangle: fewer
 * operators, and no hairline seams between neighbours in a viewer. The quiet zone is the caller's to leave blank.
 */
export async function qrSquares(text: string): Promise<{ size: number; squares: QrSquare[] }> {
  const { create } = await (qrcode ??= import('qrcode'));
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  const squares: QrSquare[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!data[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && data[y * size + x + 1]) x++;
      squares.push({ x: start, y, width: x - start + 1, height: 1 });
    }
  }
  return { size, squares };
}

// The page, in points from the bottom-left corner as PDF draws. Body text: 11 pt on 14 pt lines, 25 mm from the left
// edge and 20 mm from the right; the first page's text starts under the window, later pages' near the top.
const LEFT = 25 * MM;
const RIGHT = A4.width - 20 * MM;
const FIRST_PAGE_TOP = A4.height - 95 * MM;
const NEXT_PAGE_TOP = A4.height - 20 * MM;
const BOTTOM = 20 * MM;
const BODY_SIZE = 11;
const LEADING = 14;
const PARAGRAPH_GAP = 7;
// The address: 3 mm inside the window; 9.5 pt, down to 7 pt when 7 lines must fit the window's 19.5 mm.
const INNER = 3 * MM;
const ADDRESS_SIZES = [9.5, 9, 8.5, 8, 7.5, 7];
const ADDRESS_LEADING = 1.1;
const MAX_ADDRESS_LINES = 7;
const RETURN_SIZE = 6.5;
// The coupon: a dashed box 60 mm high, 15 mm above the bottom edge, its QR code 30 mm square on the right; the body
// keeps 8 mm clear above it.
const COUPON_BOTTOM = 15 * MM;
const COUPON_TOP = COUPON_BOTTOM + 60 * MM;
const COUPON_CLEARANCE = 8 * MM;
const COUPON_PAD = 6 * MM;
const QR_SIZE = 30 * MM;
const QR_RIGHT = RIGHT - 8 * MM;
// Helvetica's ascender and descender, per point of size: what a line needs above and below its baseline.
const ASCENT = 0.718;
const DESCENT = 0.207;

// The libraries, imported once: a dynamic import() goes through the module loader's resolution each time (under tsx
// or Vite, a round trip to their loader), which once a letter cost more than the letter.
type PdfLib = typeof import('@cantoo/pdf-lib');
let pdfLib: Promise<PdfLib> | undefined;
let qrcode: Promise<typeof import('qrcode')> | undefined;

interface Glyph {
  /** The character's advance at 1 pt. */
  advance: number;
  /** Its WinAnsi code, two hex digits. */
  hex: string;
}

/**
 * A font as printed: pdf-lib's embedded font, the name of its resource on the pages, and each character's advance and
 * code, asked of pdf-lib once per process (the standard fonts' metrics never change). Widths are summed without
 * kerning: pdf-lib's widthOfTextAtSize adds kerning pairs, which a `Tj` does not apply, so it would measure lines up to
 * 1% short of what is printed.
 */
interface Font {
  pdf: PDFFont;
  resource: PDFName;
  glyphs: Map<string, Glyph>;
}
interface Fonts {
  regular: Font;
  bold: Font;
}
const glyphTables = new Map<string, Map<string, Glyph>>();

async function embedFonts(doc: PDFDocument, pdf: PdfLib): Promise<Fonts> {
  const font = async (name: string, resource: string): Promise<Font> => {
    let glyphs = glyphTables.get(name);
    if (!glyphs) glyphTables.set(name, (glyphs = new Map()));
    return { pdf: await doc.embedFont(name), resource: pdf.PDFName.of(resource), glyphs };
  };
  return { regular: await font(pdf.StandardFonts.Helvetica, 'F1'), bold: await font(pdf.StandardFonts.HelveticaBold, 'F2') };
}

function glyph(font: Font, ch: string): Glyph {
  let known = font.glyphs.get(ch);
  if (!known) {
    // A character Helvetica lacks is printed, and measured, as '?' (winAnsi has already replaced those).
    known = { advance: font.pdf.widthOfTextAtSize(ch, 1), hex: font.pdf.encodeText(ch).toString().slice(1, -1) };
    font.glyphs.set(ch, known);
  }
  return known;
}

/** The width `text` takes once drawn, in points. */
function widthOf(text: string, font: Font, size: number): number {
  let width = 0;
  for (const ch of text) width += glyph(font, ch).advance;
  return width * size;
}

/** `text` as a PDF hex string of its WinAnsi codes, as pdf-lib writes it. */
function hexOf(text: string, font: Font): string {
  let hex = '<';
  for (const ch of text) hex += glyph(font, ch).hex;
  return `${hex}>`;
}

/** A number in a content stream: to a thousandth of a point (0.35 µm), never in exponent notation. */
function num(n: number): string {
  const rounded = Math.round(n * 1000) / 1000;
  return rounded === 0 ? '0' : String(rounded);
}

/** A colour, as the operators that select it for filling and for stroking. */
interface Color {
  fill: string;
  stroke: string;
}
const BLACK: Color = { fill: '0 0 0 rg', stroke: '0 0 0 RG' };
const GRAY: Color = { fill: '0.35 g', stroke: '0.35 G' };

/**
 * A page's content stream, written as PDF operators. pdf-lib's drawing methods build an object for each operator and
 * each number, register the font again on the page at every drawText, and draw a rectangle through an SVG path (a
 * dozen operators and matrix products): a QR code of a few hundred rectangles was most of a letter's time. What is
 * drawn is what they drew: each drawing in its own q … Q, text as WinAnsi hex strings (`<…> Tj`), in a Flate-compressed
 * stream; numbers to a thousandth of a point.
 */
class Ink {
  private ops: string[] = [];
  private fonts = new Set<Font>();

  constructor(readonly page: PDFPage) {}

  text(line: string, o: { x: number; y: number; size: number; font: Font; color?: Color; characterSpacing?: number }) {
    this.fonts.add(o.font);
    const spacing = o.characterSpacing === undefined ? '' : ` ${num(o.characterSpacing)} Tc`;
    this.ops.push(`q BT ${(o.color ?? BLACK).fill} ${o.font.resource.asString()} ${num(o.size)} Tf${spacing} 1 0 0 1 ${num(o.x)} ${num(o.y)} Tm ${hexOf(line, o.font)} Tj ET Q`);
  }

  /** A rectangle's outline, dashed, from its top-left corner clockwise as pdf-lib drew it: the dashes fall alike. */
  dashedBox(x: number, y: number, width: number, height: number, o: { color: Color; lineWidth: number; dash: [number, number] }) {
    const [left, right, bottom, top] = [num(x), num(x + width), num(y), num(y + height)];
    this.ops.push(`q ${o.color.stroke} ${num(o.lineWidth)} w [${num(o.dash[0])} ${num(o.dash[1])}] 0 d ${left} ${top} m ${right} ${top} l ${right} ${bottom} l ${left} ${bottom} l h S Q`);
  }

  /**
   * A QR code as one black path of its runs of dark modules: `squares` in modules from its top-left corner, which is
   * at (`x`, `top`) in points, a module `module` points wide.
   */
  qr(squares: QrSquare[], x: number, top: number, module: number) {
    const runs = squares.map((s) => `${s.x} ${s.y} ${s.width} ${s.height} re`).join('\n');
    this.ops.push(`q ${BLACK.fill} ${num(module)} 0 0 ${num(-module)} ${num(x)} ${num(top)} cm\n${runs}\nf Q`);
  }

  /** Adds what was drawn to the page as one compressed content stream, with the fonts it uses as resources. */
  flush() {
    if (!this.ops.length) return;
    const { context } = this.page.doc;
    for (const font of this.fonts) this.page.node.setFontDictionary(font.resource, font.pdf.ref);
    this.page.node.addContentStream(context.register(context.flateStream(this.ops.join('\n'))));
    this.ops = [];
  }
}

/** How many of `text`'s first characters fit `width` (with `suffix` after them). */
function fitting(text: string, font: Font, size: number, width: number, suffix = ''): number {
  let [low, high] = [0, text.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (widthOf(text.slice(0, mid) + suffix, font, size) <= width) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** `text` cut to `width` with an ellipsis, when it is wider. */
function truncate(text: string, font: Font, size: number, width: number): string {
  if (widthOf(text, font, size) <= width) return text;
  return `${text.slice(0, fitting(text, font, size, width, '…')).trimEnd()}…`;
}

/** One hard line wrapped at spaces to `width`; a word wider than the line (a long URL) is cut where it must be. */
function wrap(line: string, font: Font, size: number, width: number): string[] {
  const out: string[] = [];
  const space = widthOf(' ', font, size);
  let current = '';
  let currentWidth = 0;
  for (let word of line.split(' ').filter(Boolean)) {
    let wordWidth = widthOf(word, font, size);
    if (current && currentWidth + space + wordWidth <= width) {
      current += ` ${word}`;
      currentWidth += space + wordWidth;
      continue;
    }
    if (current) out.push(current);
    while (wordWidth > width) {
      const cut = Math.max(1, fitting(word, font, size, width));
      out.push(word.slice(0, cut));
      word = word.slice(cut);
      wordWidth = widthOf(word, font, size);
    }
    [current, currentWidth] = [word, wordWidth];
  }
  out.push(current);
  return out;
}

/** The body's paragraphs (split at blank lines), each a list of its hard lines. */
function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.split('\n').map((line) => winAnsi(line).trimEnd()))
    .filter((lines) => lines.some((line) => line.trim()));
}

/** The largest address size at which `count` lines fit the window, ascender of the first to descender of the last. */
function addressSize(count: number): number {
  const room = windowArea('left').height * MM - 2 * INNER;
  const fits = (size: number) => ((count - 1) * ADDRESS_LEADING + ASCENT + DESCENT) * size <= room;
  return ADDRESS_SIZES.find(fits) ?? ADDRESS_SIZES[ADDRESS_SIZES.length - 1];
}

function drawAddress(ink: Ink, letter: PostalLetter, batch: PostalBatch, fonts: Fonts) {
  const area = windowArea(batch.options.window);
  const left = area.left * MM + INNER;
  const width = area.width * MM - 2 * INNER;
  const top = A4.height - area.top * MM;
  const { returnAddress } = batch.options;
  if (returnAddress?.length) {
    // Just above the window: the text's descender 1.5 mm clear of the window's top edge.
    const line = truncate(winAnsi(returnAddress.join(', ')), fonts.regular, RETURN_SIZE, width);
    ink.text(line, { x: left, y: top + 1.5 * MM + DESCENT * RETURN_SIZE, size: RETURN_SIZE, font: fonts.regular });
  }
  const lines = addressOf(letter);
  const size = addressSize(lines.length);
  lines.forEach((raw, i) => {
    const line = truncate(winAnsi(raw), fonts.regular, size, width);
    const y = top - INNER - ASCENT * size - i * ADDRESS_LEADING * size;
    ink.text(line, { x: left, y, size, font: fonts.regular });
  });
}

async function drawCoupon(ink: Ink, letter: PostalLetter, fonts: Fonts) {
  const coupon = letter.coupon!;
  const m = messages(letter.lang).letter;
  ink.dashedBox(LEFT, COUPON_BOTTOM, RIGHT - LEFT, COUPON_TOP - COUPON_BOTTOM, { color: GRAY, lineWidth: 0.75, dash: [4, 3] });
  const qrLeft = QR_RIGHT - QR_SIZE;
  // The text column stops 8 mm short of the QR code: more than its 4-module quiet zone at any size we print.
  const textWidth = qrLeft - 8 * MM - (LEFT + COUPON_PAD);
  const x = LEFT + COUPON_PAD;
  let y = COUPON_TOP - COUPON_PAD - ASCENT * 13;
  ink.text(truncate(winAnsi(m.couponTitle), fonts.bold, 13, textWidth), { x, y, size: 13, font: fonts.bold });
  y -= 13 * MM;
  ink.text(winAnsi(m.couponCode), { x, y, size: 9, font: fonts.regular, color: GRAY });
  y -= 10 * MM;
  const code = winAnsi(coupon.code.replace(/\s+/g, '')).replace(/(.{4})(?=.)/g, '$1 ');
  ink.text(truncate(code, fonts.bold, 22, textWidth), { x, y, size: 22, font: fonts.bold, characterSpacing: 1 });
  y -= 12 * MM;
  for (const line of wrap(winAnsi(m.couponScan(hostOf(coupon.url))), fonts.regular, 9, textWidth).slice(0, 2)) {
    ink.text(line, { x, y, size: 9, font: fonts.regular });
    y -= 11;
  }
  const { size, squares } = await qrSquares(coupon.url);
  ink.qr(squares, qrLeft, (COUPON_BOTTOM + COUPON_TOP + QR_SIZE) / 2, QR_SIZE / size);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The address lines, trimmed, without blank ones: a sorting machine reads the block's last lines as postcode and city. */
function addressOf(letter: PostalLetter): string[] {
  return letter.addressLines.map((line) => line.trim()).filter(Boolean);
}

function checkLetter(letter: PostalLetter) {
  const count = addressOf(letter).length;
  // A dropped address line is a letter that goes astray: better to stop the batch and say which.
  if (count === 0 || count > MAX_ADDRESS_LINES) {
    throw new Error(`Letter ${letter.messageId} has ${count} address lines: 1 to ${MAX_ADDRESS_LINES} fit the window`);
  }
}

/**
 * The letters of a batch, one PDF in their order. Each letter starts on a new page; in duplex, a blank page after a
 * letter of an odd page count starts the next one on a recto. The first page carries the address in the envelope's
 * window, the object line and the body follow, flowing onto continuation pages; a coupon goes at the foot of the last
 * page, or on a page of its own when the body reaches into its place.
 */
export async function printBatch(batch: PostalBatch): Promise<PrintedBatch> {
  const { letters, options } = batch;
  if (letters.length === 0) throw new Error(`Batch ${batch.key} has no letters`);
  if (letters.length > MAX_LETTERS) throw new Error(`Batch ${batch.key} has ${letters.length} letters: at most ${MAX_LETTERS} a batch`);
  const ids = new Set(letters.map((l) => l.messageId));
  if (ids.size !== letters.length) throw new Error(`Batch ${batch.key} holds a message twice`);
  letters.forEach(checkLetter);

  const pdf = await (pdfLib ??= import('@cantoo/pdf-lib'));
  const doc = await pdf.PDFDocument.create();
  doc.setTitle(batch.key);
  doc.setProducer('Relais');
  doc.setCreator('Relais');
  const fonts = await embedFonts(doc, pdf);
  const textWidth = RIGHT - LEFT;
  const pages: PrintedBatch['pages'] = [];
  const rows: string[] = [];

  for (const letter of letters) {
    const first = doc.getPageCount() + 1;
    const inks: Ink[] = [];
    const newPage = () => {
      if (doc.getPageCount() + 1 - first >= MAX_PAGES_PER_LETTER) {
        throw new Error(`Letter ${letter.messageId} runs over ${MAX_PAGES_PER_LETTER} pages: is its template right?`);
      }
      const ink = new Ink(doc.addPage([A4.width, A4.height]));
      inks.push(ink);
      return ink;
    };
    let ink = newPage();
    drawAddress(ink, letter, batch, fonts);
    // `y` is the next line's baseline, a whole em under the top (room for the accent of an É); a line fits when its
    // descender stays above the bottom margin. `lowest` is where the page's text ends, for the coupon.
    let y = FIRST_PAGE_TOP - BODY_SIZE;
    let lowest = FIRST_PAGE_TOP;
    const put = (line: string, font: Font) => {
      if (y - DESCENT * BODY_SIZE < BOTTOM) {
        ink = newPage();
        y = NEXT_PAGE_TOP - BODY_SIZE;
      }
      if (line) ink.text(line, { x: LEFT, y, size: BODY_SIZE, font });
      lowest = y - DESCENT * BODY_SIZE;
      y -= LEADING;
    };
    const m = messages(letter.lang).letter;
    if (letter.subject.trim()) {
      for (const line of wrap(winAnsi(m.subject(letter.subject.trim())), fonts.bold, BODY_SIZE, textWidth)) put(line, fonts.bold);
      y -= LEADING;
    }
    for (const lines of paragraphs(letter.text)) {
      for (const line of lines) for (const part of wrap(line, fonts.regular, BODY_SIZE, textWidth)) put(part, fonts.regular);
      y -= PARAGRAPH_GAP;
    }
    if (letter.coupon) {
      if (lowest < COUPON_TOP + COUPON_CLEARANCE) ink = newPage();
      await drawCoupon(ink, letter, fonts);
    }
    for (const done of inks) done.flush();
    const last = doc.getPageCount();
    if (options.duplex && (last - first + 1) % 2 === 1) doc.addPage([A4.width, A4.height]);
    pages.push({ messageId: letter.messageId, first, last });
    rows.push(manifestRow(letter, first, last, doc.getPageCount() - first + 1));
  }

  // pdf-lib yields to the event loop every `objectsPerTick` objects (a timer each time): a batch is a few thousand.
  const bytes = await doc.save({ objectsPerTick: Infinity });
  return { pdf: bytes, manifest: '\uFEFF' + csvLine(MANIFEST_COLUMNS) + rows.join(''), pages };
}

/**
 * The manifest: one row per letter, in the PDF's order, with a UTF-8 BOM like every CSV we write (a print house's
 * operator opens it in Excel too) and CRLF line ends.
 * - message_id: our message id, the print house's reference for the letter (and the key of its status updates);
 * - contact_id;
 * - address_line_1 … address_line_7: the address block as given, blank lines left out (the PDF prints it in WinAnsi,
 *   '?' for what WinAnsi lacks), empty past its end;
 * - first_page, last_page: the letter's first and last printed page, 1-based;
 * - pages: the PDF pages the letter takes, its duplex blank page included, so each letter's first_page + pages is the
 *   next one's first_page and the column sums to the PDF's page count (sheets: pages / 2 in duplex, pages otherwise);
 * - coupon_code: its reply coupon's code, empty without one.
 */
export const MANIFEST_COLUMNS = [
  'message_id', 'contact_id',
  ...Array.from({ length: MAX_ADDRESS_LINES }, (_, i) => `address_line_${i + 1}`),
  'first_page', 'last_page', 'pages', 'coupon_code',
];

function manifestRow(letter: PostalLetter, first: number, last: number, pages: number): string {
  const lines = addressOf(letter);
  const address = Array.from({ length: MAX_ADDRESS_LINES }, (_, i) => lines[i] ?? '');
  return csvLine([letter.messageId, letter.contactId, ...address, first, last, pages, letter.coupon?.code ?? '']);
}
