import { describe, expect, it } from 'vitest';
import { defaultCountry, normaliseContactFields, normaliseEmail, normaliseLocale, normalisePhone } from './contact-fields.js';

describe('contact fields', () => {
  it('lower-cases and trims emails, refusing what is not one', () => {
    expect(normaliseEmail('  Marie.Dupont@Example.FR ')).toBe('marie.dupont@example.fr');
    for (const bad of ['marie', 'marie@', '@example.fr', 'ma rie@example.fr', 'marie@example', 'a@b.c', `${'a'.repeat(250)}@example.fr`]) {
      expect(normaliseEmail(bad), bad).toBeUndefined();
    }
  });

  it('reads national phone numbers in the contact’s country', () => {
    expect(normalisePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(normalisePhone('06.12.34.56.78', 'FR')).toBe('+33612345678');
    expect(normalisePhone('(514) 555-0199', 'CA')).toBe('+15145550199');
    expect(normalisePhone('+1 514 555 0199', 'FR')).toBe('+15145550199');
    expect(normalisePhone('12', 'FR')).toBeUndefined();
    expect(normalisePhone('not a phone', 'FR')).toBeUndefined();
  });

  it('takes the country from the address, else the locale’s region, else France', () => {
    expect(defaultCountry('fr-CA')).toBe('CA');
    expect(defaultCountry('en-CA', 'fr')).toBe('FR');
    expect(defaultCountry('fr')).toBe('FR');
    expect(defaultCountry(undefined)).toBe('FR');
  });

  it('normalises locales', () => {
    expect(normaliseLocale('FR')).toBe('fr');
    expect(normaliseLocale('fr_ca')).toBe('fr-CA');
    expect(normaliseLocale('en-ca')).toBe('en-CA');
    expect(normaliseLocale('de')).toBeUndefined();
  });

  it('reads a phone with the locale given alongside it', () => {
    expect(normaliseContactFields({ phone: '(514) 555-0199', locale: 'fr-CA' })).toEqual({
      fields: { phone: '+15145550199', locale: 'fr-CA' }, problems: [],
    });
    expect(normaliseContactFields({ phone: '(514) 555-0199', address: { country: 'ca' } }).fields.phone).toBe('+15145550199');
    expect(normaliseContactFields({ phone: '12' }).problems).toEqual([{ field: 'phone', message: '"12" is not a valid phone number' }]);
  });
});
