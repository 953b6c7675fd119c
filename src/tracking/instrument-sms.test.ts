import { describe, expect, it } from 'vitest';
import { findSmsLinks, MAX_SMS_LINKS, newShortCode, replaceSmsLinks, SHORT_CODE, SHORT_CODE_LENGTH } from './instrument-sms.js';

const PUBLIC = 'https://t.example';
const untracked = (url: string) => ['/u/', '/p/', '/c/'].some((path) => url.startsWith(PUBLIC + path));
const urls = (text: string) => findSmsLinks(text, untracked).map((l) => l.url);

describe('findSmsLinks', () => {
  it('finds http and https links in order, with where each starts and ends', () => {
    const text = 'Promo https://shop.example/p?id=42&ref=sms et HTTP://Shop.example/b ici';
    expect(findSmsLinks(text, untracked)).toEqual([
      { start: 6, end: 42, url: 'https://shop.example/p?id=42&ref=sms' },
      { start: 46, end: 67, url: 'HTTP://Shop.example/b' },
    ]);
    expect(text.slice(46, 67)).toBe('HTTP://Shop.example/b');
  });

  it('leaves the punctuation after a link out of it', () => {
    expect(urls('Voir https://shop.example/a. Et https://shop.example/b, puis https://shop.example/c; https://shop.example/d: '
      + 'https://shop.example/e! https://shop.example/f? https://shop.example/g?! https://shop.example/h…')).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((p) => `https://shop.example/${p}`),
    );
    // A query's ? and a path's dot inside the link stay; a closing parenthesis stays only when the link opened one.
    expect(urls('(https://shop.example/x.html?a=1) https://fr.wikipedia.org/wiki/Relais_(poste).')).toEqual([
      'https://shop.example/x.html?a=1', 'https://fr.wikipedia.org/wiki/Relais_(poste)',
    ]);
    expect(urls('«https://shop.example/q» "https://shop.example/r"')).toEqual(['https://shop.example/q', 'https://shop.example/r']);
  });

  it('keeps unsubscribe, preference and confirmation links, and what is not a web link', () => {
    expect(urls(`STOP ${PUBLIC}/u/TOKEN prefs ${PUBLIC}/p/TOKEN ok ${PUBLIC}/c/TOKEN shop ${PUBLIC}/shop`)).toEqual([`${PUBLIC}/shop`]);
    expect(urls('mailto:a@b.fr tel:+33612345678 ftp://x.example www.shop.example https:// http://. xhttps://shop.example')).toEqual([]);
  });

  it('stops at MAX_SMS_LINKS links', () => {
    const text = Array.from({ length: MAX_SMS_LINKS + 5 }, (_, i) => `https://shop.example/${i}`).join(' ');
    expect(urls(text)).toEqual(Array.from({ length: MAX_SMS_LINKS }, (_, i) => `https://shop.example/${i}`));
    expect(MAX_SMS_LINKS).toBe(20);
  });

  it('scans a long hostile text in linear time', () => {
    // Trimming a run of punctuation with a regex such as /[.,;:!?]+$/ would take quadratic time on the first link.
    const dotted = 'https://a.example/' + '.'.repeat(100_000) + 'y';
    const hostile = `${dotted} https://${'.'.repeat(100_000)} ${'http'.repeat(100_000)} https://x${')'.repeat(100_000)}`;
    const started = performance.now();
    expect(urls(hostile)).toEqual([dotted, 'https://x']);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('replaceSmsLinks', () => {
  it('puts each replacement where its link was, punctuation and the rest of the text kept', () => {
    const text = 'Promo https://shop.example/promo?c=1&x=2. Boutique: https://shop.example/ STOP SMS';
    const out = replaceSmsLinks(text, findSmsLinks(text, untracked), [`${PUBLIC}/s/aaaaaaa`, `${PUBLIC}/s/bbbbbbb`]);
    expect(out).toBe('Promo https://t.example/s/aaaaaaa. Boutique: https://t.example/s/bbbbbbb STOP SMS');
    // Links of 34 and 21 characters became two of 27.
    expect([text.length, out.length]).toEqual([82, 82 - 34 - 21 + 2 * 27]);
  });

  it('leaves a text without links as it is', () => {
    expect(replaceSmsLinks('Bonjour STOP SMS', findSmsLinks('Bonjour STOP SMS', untracked), [])).toBe('Bonjour STOP SMS');
  });
});

describe('newShortCode', () => {
  it('is seven letters or digits, a code the /s/ route accepts, and differs each time', () => {
    const codes = Array.from({ length: 2000 }, newShortCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Za-z]{7}$/);
    expect(SHORT_CODE_LENGTH).toBe(7);
    expect(codes.every((c) => SHORT_CODE.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(2000);
    // Every character of the alphabet is drawn: 14,000 draws over 62 characters.
    expect(new Set(codes.join('')).size).toBe(62);
  });

  it('the /s/ route accepts 4 to 16 letters and digits only', () => {
    expect(['abcd', 'A'.repeat(16), 'aZ3k9Qx'].map((c) => SHORT_CODE.test(c))).toEqual([true, true, true]);
    expect(['abc', 'A'.repeat(17), 'ab-cd', 'ab_cd', 'abcé', 'abcd\n'].map((c) => SHORT_CODE.test(c))).toEqual([false, false, false, false, false, false]);
  });
});
