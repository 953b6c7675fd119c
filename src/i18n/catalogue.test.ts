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

  it('French puts a non-breaking space before a colon; English puts no space', () => {
    // SMS answers keep plain spaces (GSM-7 has no non-breaking space); the confirmation email is kept word for word.
    const { smsReplies, confirmationEmail, ...pages } = fr;
    const french = texts(pages).filter((s) => s.includes(':'));
    expect(french.length).toBeGreaterThanOrEqual(4);
    for (const s of french) expect(s, s).not.toMatch(/(^|[^\u00a0]):/);
    for (const s of texts(en).filter((s) => s.includes(':'))) expect(s, s).not.toMatch(/\s:/);
  });

  it('says the pause line right in each language', () => {
    expect(fr.preferences.pause).toBe('Faire une pause\u00a0:');
    expect(en.preferences.pause).toBe('Take a break:');
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
