import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { fr } from './fr.js';
import { inEveryLanguage, langOf, LANGS, messages } from './index.js';

/** Every key path of a catalogue, functions included. */
function keys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** Every text of a catalogue section, functions called with sample arguments (a date where text does not fit). */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const args = (sample: unknown) => Array.from({ length: value.length }, () => sample);
    try {
      return [value(...args('X'))];
    } catch {
      return [value(...args(new Date(Date.UTC(2027, 2, 12, 12))))];
    }
  }
  return Object.values(value as object).flatMap(texts);
}

describe('the message catalogue', () => {
  it('has the same keys in every language', () => {
    expect(keys(en)).toEqual(keys(fr));
    expect(keys(en).length).toBeGreaterThan(40);
  });

  it('French puts a non-breaking space before : ; ? and !; English puts no space', () => {
    // SMS answers keep plain spaces (GSM-7 has no non-breaking space); the confirmation email is kept word for word.
    const { smsReplies, confirmationEmail, ...pages } = fr;
    const french = texts(pages).filter((s) => /[:;?!]/.test(s));
    expect(french.length).toBeGreaterThanOrEqual(5);
    for (const s of french) expect(s, s).not.toMatch(/(^|[^\u00a0\u202f])[:;?!]/);
    for (const s of texts(en).filter((s) => /[:;?!]/.test(s))) expect(s, s).not.toMatch(/\s[:;?!]/);
  });

  it('quotes with « » in French and “ ” in English, and writes apostrophes as ’', () => {
    // The confirmation email is HTML: its attributes are quoted.
    const { smsReplies, confirmationEmail, ...pages } = fr;
    for (const s of texts(pages)) expect(s, s).not.toMatch(/[“”"']/);
    for (const s of texts(en.unsubscribe).concat(texts(en.confirm), texts(en.preferences))) expect(s, s).not.toMatch(/[«»"']/);
    expect(fr.unsubscribe.doneBody('La lettre')).toContain('«\u00a0La lettre\u00a0»');
    expect(en.unsubscribe.doneBody('The letter')).toContain('“The letter”');
  });

  it('writes dates in each language, in the reader’s time zone', () => {
    // 23:30 UTC on 11 March is already 12 March in Paris, still 11 March in Montréal.
    const at = new Date(Date.UTC(2027, 2, 11, 23, 30));
    expect(fr.preferences.pausedUntil(at, 'Europe/Paris')).toBe('En pause jusqu’au 12 mars 2027.');
    expect(en.preferences.pausedUntil(at, 'America/Montreal')).toBe('Paused until March 11, 2027.');
    // A zone the runtime does not know still gives a date.
    expect(en.preferences.pausedUntil(at, 'Nowhere/Else')).toMatch(/^Paused until March 1[12], 2027\.$/);
  });

  it('keeps the texts people already receive', () => {
    expect(fr.smsReplies.stop('La Boutique')).toBe('Vous ne recevrez plus de SMS de La Boutique.');
    expect(fr.confirmationEmail.subject('La lettre')).toBe('Confirmez votre inscription : La lettre');
    expect(en.smsReplies.help('Shop')).toBe('Shop: reply STOP to opt out.');
    expect(inEveryLanguage((m) => m.unsubscribeLink)).toBe('Se désabonner · Unsubscribe');
  });

  it('picks a language from a locale, French by default', () => {
    expect(LANGS.map((l) => messages(l).languageName)).toEqual(['Français', 'English']);
    expect([langOf('en-CA'), langOf('fr-CA'), langOf('de'), langOf(null)]).toEqual(['en', 'fr', 'fr', 'fr']);
  });
});
