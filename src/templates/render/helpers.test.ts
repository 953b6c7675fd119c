import { describe, expect, it } from 'vitest';
import { createSafeHandlebars, DEFAULT_LOCALE, knownHelpersMap, resolveLocale, SAFE_HELPERS } from './helpers.js';

type Helper = (...args: unknown[]) => unknown;

const hb = createSafeHandlebars();
const helper = (name: string) => hb.helpers[name] as unknown as Helper;
const opts = (root: Record<string, unknown>, hash: Record<string, unknown> = {}) => ({ hash, data: { root } });

describe('createSafeHandlebars', () => {
  it('registers exactly the safe helpers plus the runtime hooks', () => {
    expect(Object.keys(hb.helpers).sort()).toEqual([...SAFE_HELPERS, 'blockHelperMissing', 'helperMissing'].sort());
    expect(hb.helpers.log).toBeUndefined();
  });

  it('has no decorators (no inline partials)', () => {
    expect(Object.keys((hb as unknown as { decorators: object }).decorators)).toEqual([]);
  });

  it('does not touch the global Handlebars instance', async () => {
    const Handlebars = (await import('handlebars')).default;
    expect(Handlebars.helpers.log).toBeDefined();
    expect(Handlebars.helpers.money).toBeUndefined();
  });

  it('knownHelpers marks log and the hooks as not callable', () => {
    const map = knownHelpersMap();
    expect(map.log).toBe(false);
    expect(map.helperMissing).toBe(false);
    expect(map.blockHelperMissing).toBe(false);
    for (const name of SAFE_HELPERS) expect(map[name]).toBe(true);
  });
});

describe('money', () => {
  it('formats 1254 EUR in fr and fr-FR as "1 254,00 €" with U+202F and U+00A0', () => {
    // Written by hand: 1, NARROW NO-BREAK SPACE, 254, comma, 00, NO-BREAK SPACE, EURO SIGN.
    const expected = '1\u202f254,00\u00a0\u20ac';
    expect(helper('money')(1254, 'EUR', opts({ locale: 'fr' }))).toBe(expected);
    expect(helper('money')(1254, 'EUR', opts({ locale: 'fr-FR' }))).toBe(expected);
    expect(helper('money')('1254', opts({ locale: 'fr_FR' }))).toBe(expected); // currency defaults to EUR
  });

  it('formats en and other currencies', () => {
    expect(helper('money')(1254, 'EUR', opts({ locale: 'en' }))).toBe('€1,254.00');
    expect(helper('money')(-3.5, 'usd', opts({ locale: 'en-US' }))).toBe('-$3.50');
    expect(helper('money')(1254, 'CHF', opts({ locale: 'fr-CH' }))).toMatch(/^1.254\.00\u00a0CHF$/);
  });

  it('renders nothing for non-numbers and a plain number for a malformed currency', () => {
    expect(helper('money')(undefined, 'EUR', opts({ locale: 'fr' }))).toBe('');
    expect(helper('money')('12abc', 'EUR', opts({ locale: 'fr' }))).toBe('');
    expect(helper('money')(12, 'EURO', opts({ locale: 'fr' }))).toBe('12,00');
  });
});

describe('date', () => {
  it('uses the contact locale and timezone', () => {
    const at = '2025-12-31T23:30:00Z';
    expect(helper('date')(at, opts({ locale: 'fr', timezone: 'Europe/Paris' }))).toBe('1 janvier 2026');
    expect(helper('date')(at, opts({ locale: 'en', timezone: 'America/New_York' }))).toBe('December 31, 2025');
    expect(helper('date')(new Date(at), opts({ locale: 'en', timezone: 'UTC' }, { style: 'short' }))).toBe('12/31/25');
  });

  it('falls back on an invalid timezone or style', () => {
    expect(helper('date')('2025-07-14T10:00:00Z', opts({ locale: 'fr', timezone: 'Mars/Olympus' }, { style: 'huge' }))).toBe('14 juillet 2025');
  });
});

describe('small helpers', () => {
  it('default', () => {
    const d = helper('default');
    expect(d('Jeanne', 'cher client', opts({}))).toBe('Jeanne');
    expect(d('', 'cher client', opts({}))).toBe('cher client');
    expect(d(null, 'cher client', opts({}))).toBe('cher client');
    expect(d(0, 'x', opts({}))).toBe(0);
    expect(d(undefined, opts({}))).toBe('');
  });

  it('case helpers follow the locale', () => {
    expect(helper('upper')('istanbul', opts({ locale: 'tr' }))).toBe('İSTANBUL');
    expect(helper('upper')('istanbul', opts({ locale: 'fr' }))).toBe('ISTANBUL');
    expect(helper('capitalize')('émile', opts({}))).toBe('Émile');
    expect(helper('lower')(null, opts({}))).toBe('');
  });

  it('comparisons', () => {
    expect(helper('gt')(10, '9', opts({}))).toBe(true);
    expect(helper('lt')('apple', 'banana', opts({}))).toBe(true);
    expect(helper('gte')(null, 0, opts({}))).toBe(false);
    expect(helper('lte')('2025-01-01', '2025-06-01', opts({}))).toBe(true);
    expect(helper('eq')('1', 1, opts({}))).toBe(false);
  });

  it('logic treats [] and 0 as false, like #if', () => {
    expect(helper('and')(1, [1], opts({}))).toBe(true);
    expect(helper('and')(1, [], opts({}))).toBe(false);
    expect(helper('or')(0, '', [], 'x', opts({}))).toBe(true);
    expect(helper('not')([], opts({}))).toBe(true);
  });
});

describe('resolveLocale', () => {
  it('canonicalises and falls back to the default, never to the host locale', () => {
    expect(resolveLocale('fr_fr')).toBe('fr-FR');
    expect(resolveLocale('EN')).toBe('en');
    expect(resolveLocale('%%')).toBe(DEFAULT_LOCALE);
    expect(resolveLocale(undefined)).toBe(DEFAULT_LOCALE);
  });
});
