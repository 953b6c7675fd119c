// What tracking does to an SMS: each web link becomes PUBLIC_URL/s/{code}, a short random code naming that link of
// that message (sms_links). Every character counts toward the message's segments (160 GSM-7 characters, 70 in
// UCS-2), so the code is short; a signed /t/c token would add some fifty characters per link.

/** Links past this many in one SMS are left as they are: a message holds a few, and each is a row. */
export const MAX_SMS_LINKS = 20;

// 62^7 ≈ 3.5e12 codes: with a hundred million links stored, a new code collides once in 35,000 draws, and a
// collision is drawn again (tracking.service.ts). Seven characters keep a link at PUBLIC_URL plus 10.
export const SHORT_CODE_LENGTH = 7;

/** Letters and digits only: phones' link detection never cuts the code, and it is plain GSM-7. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The codes a request may name: anything else is not looked up. */
export const SHORT_CODE = /^[0-9A-Za-z]{4,16}$/;

/** A random code of SHORT_CODE_LENGTH letters and digits, uniform (bytes past 247 are drawn again, so no letter is likelier). */
export function newShortCode(): string {
  let code = '';
  while (code.length < SHORT_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(SHORT_CODE_LENGTH * 2))) {
      if (byte < 248 && code.length < SHORT_CODE_LENGTH) code += ALPHABET[byte % 62];
    }
  }
  return code;
}

/** A link found in a text: where it is, and its URL. */
export interface SmsLink {
  start: number;
  end: number;
  url: string;
}

// A link runs from http(s):// to the next space (or <, >, "). One greedy class and nothing after it: no
// backtracking, so the scan is linear in the text.
const URL_START = /\bhttps?:\/\/[^\s<>"]+/gi;
// Punctuation that ends a sentence, not the URL ("Voir https://x.fr/promo.").
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '…', '»']);

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** The URL without the punctuation after it; a closing parenthesis stays when the URL opened one. */
function trimTrailing(url: string): string {
  let end = url.length;
  let unbalanced = count(url, ')') - count(url, '(');
  while (end > 0) {
    const c = url[end - 1];
    if (TRAILING.has(c)) end--;
    else if (c === ')' && unbalanced > 0) { end--; unbalanced--; }
    else break;
  }
  return url.slice(0, end);
}

function isWebUrl(url: string): boolean {
  try {
    return new URL(url).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The web links of an SMS in order, at most MAX_SMS_LINKS; `untracked` ones (unsubscribe, preferences,
 * confirmation) are left out, so they are never shortened nor counted as clicks.
 */
export function findSmsLinks(text: string, untracked: (url: string) => boolean): SmsLink[] {
  const links: SmsLink[] = [];
  for (const m of text.matchAll(URL_START)) {
    if (links.length >= MAX_SMS_LINKS) break;
    const url = trimTrailing(m[0]);
    if (!isWebUrl(url) || untracked(url)) continue;
    links.push({ start: m.index!, end: m.index! + url.length, url });
  }
  return links;
}

/** The text with link `i` of `links` (as findSmsLinks found them) replaced by `replacements[i]`. */
export function replaceSmsLinks(text: string, links: readonly SmsLink[], replacements: readonly string[]): string {
  let out = '';
  let at = 0;
  links.forEach((link, i) => {
    out += text.slice(at, link.start) + replacements[i];
    at = link.end;
  });
  return out + text.slice(at);
}
