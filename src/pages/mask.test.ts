import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from './mask.js';

const nbsp = (s: string) => s.replaceAll(' ', '\u00a0');

describe('masked addresses', () => {
  it('keeps the first character of an email and its domain', () => {
    expect(maskEmail('claire.martin@example.fr')).toBe('c•••@example.fr');
    expect(maskEmail('a@b.ca')).toBe('a•••@b.ca');
    // The same three dots whatever the length; an emoji is kept whole.
    expect(maskEmail('😀x@example.fr')).toBe('😀•••@example.fr');
    expect(maskEmail('not-an-email')).toBe('•••');
  });

  it('keeps the country code, the first group and the last two digits of a phone, on one line', () => {
    expect(maskPhone('+33612345678')).toBe(nbsp('+33 6 •• •• •• 78'));
    expect(maskPhone('+15145550123')).toBe(nbsp('+1 514 ••• ••23'));
    expect(maskPhone('+447700900123')).toBe(nbsp('+44 7700 ••••23'));
    expect(maskPhone('0612')).toBe('••12');
  });
});
