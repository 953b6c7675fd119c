// What tracking adds to a message's HTML: each link the reader may follow goes through /t/c/{token} (by its index
// in the message), an open pixel, and a hidden honeypot link that no person sees but scanners follow.

/** Links past this many in one message are left as they are (a token carries the index in at most 4 digits). */
export const MAX_LINKS = 1000;

export interface Instrumented {
  html: string;
  /** The links' real URLs, by index: the click redirect goes only to these. */
  urls: string[];
  /** The honeypot's index, one past the last real link. */
  honeypotIndex: number;
}

export interface InstrumentOptions {
  /** The tracking URL of link `index` (the honeypot's index included). */
  clickUrl(index: number): Promise<string>;
  /** The open pixel's URL; none when the campaign does not track opens. */
  pixelUrl?: string;
  /** Links never rewritten: unsubscribe, preferences and confirmation links are not clicks. */
  untracked(url: string): boolean;
}

// An <a> tag's href: attributes before it may hold quoted `>`; `<` ends the search, so scanning stays linear; the
// href must follow whitespace (not `data-href`).
const HREF = /(<a\b(?:[^>"'<]|"[^"]*"|'[^']*')*?\s)(href\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;
const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** An href as written in HTML, as the browser reads it: entities decoded (Handlebars writes `=` as `&#x3D;`), tabs and newlines dropped. */
export function decodeHref(value: string): string {
  return value
    .replace(/&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|([a-z]{2,8}));/gi, (entity, hex: string, dec: string, name: string) => {
      const code = hex ? parseInt(hex, 16) : dec ? Number(dec) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      return NAMED[name.toLowerCase()] ?? entity;
    })
    .replace(/[\t\n\r]/g, '')
    .trim();
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

export async function instrumentHtml(html: string, options: InstrumentOptions): Promise<Instrumented> {
  const urls: string[] = [];
  const found: Array<{ index: number; match: string; prefix: string }> = [];
  for (const m of html.matchAll(HREF)) {
    const url = decodeHref(m[3] ?? m[4] ?? '');
    if (!/^https?:\/\/[^\s]/i.test(url) || options.untracked(url) || urls.length >= MAX_LINKS) continue;
    found.push({ index: m.index!, match: m[0], prefix: m[1] + m[2] });
    urls.push(url);
  }
  const tracked = await Promise.all(urls.map((_, i) => options.clickUrl(i)));
  let out = '';
  let at = 0;
  found.forEach((f, i) => {
    out += html.slice(at, f.index) + `${f.prefix}"${escapeAttribute(tracked[i])}"`;
    at = f.index + f.match.length;
  });
  out += html.slice(at);

  const honeypotIndex = urls.length;
  const hidden =
    `<a href="${escapeAttribute(await options.clickUrl(honeypotIndex))}" aria-hidden="true" tabindex="-1" ` +
    'style="display:none;font-size:0;line-height:0;max-height:0;overflow:hidden;mso-hide:all">&#8203;</a>';
  const pixel = options.pixelUrl
    ? `<img src="${escapeAttribute(options.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`
    : '';
  const end = out.toLowerCase().lastIndexOf('</body');
  const added = hidden + pixel;
  return { html: end < 0 ? out + added : out.slice(0, end) + added + out.slice(end), urls, honeypotIndex };
}
