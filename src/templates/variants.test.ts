import { describe, expect, it } from 'vitest';
import { finishHtml } from './content.js';
import { createCompiledRenderer } from './render/compiled-renderer.js';
import { createInterpretedRenderer } from './render/interpreter.js';
import { chooseVariant, formatFor, variantKey } from './variants.js';

const template = (locale: string, ...variants: string[]) => ({ locale, variants: variants.map((l) => ({ locale: l })) });

describe('chooseVariant: fr-CA, then fr, then the default', () => {
  const fr = template('fr', 'en', 'fr-CA');
  it.each([
    ['fr-CA', 'fr-CA'], ['fr', 'default'], ['fr-FR', 'default'], ['fr-BE', 'default'], ['en', 'en'], ['en-CA', 'en'], ['EN-gb', 'en'],
    ['es', 'default'], [null, 'default'], ['', 'default'],
  ])('%s gets %s', (locale, expected) => expect(variantKey(fr, locale)).toBe(expected));

  it('another variant in the language comes before the default in another language', () => {
    expect(variantKey(template('fr', 'en-CA'), 'en')).toBe('en-CA');
    expect(variantKey(template('fr', 'en-CA'), 'en-GB')).toBe('en-CA');
    // …but never before the default when the default is in that language.
    expect(variantKey(template('fr', 'fr-CA'), 'fr-BE')).toBe('default');
    expect(variantKey(template('en', 'fr', 'fr-CA'), 'fr-BE')).toBe('fr');
  });

  it('content frozen before templates had languages always gives the default', () => {
    expect(chooseVariant({}, 'en')).toBeUndefined();
    expect(chooseVariant({ variants: [] }, 'en')).toBeUndefined();
  });
});

describe('formatFor: the content\'s language, the contact\'s region and currency', () => {
  it.each([
    ['fr', { locale: 'fr-CA' }, { locale: 'fr-CA', currency: 'CAD' }],
    ['en', { locale: 'fr-CA' }, { locale: 'en-CA', currency: 'CAD' }],
    ['en', { locale: 'en-CA', address: { country: 'FR' } }, { locale: 'en-FR', currency: 'EUR' }],
    ['fr', { locale: 'fr', address: { country: 'be' } }, { locale: 'fr-BE', currency: 'EUR' }],
    ['fr', { locale: 'fr' }, { locale: 'fr', currency: undefined }],
    ['fr-CA', { locale: 'fr' }, { locale: 'fr-CA', currency: 'CAD' }],
    ['en', { locale: 'en', address: { country: 'JP' } }, { locale: 'en-JP', currency: 'EUR' }],
    [undefined, { locale: 'en-CA' }, { currency: 'CAD' }],
  ])('%s content for %j', (content, recipient, expected) => expect(formatFor(content, recipient)).toEqual(expected));
});

describe('finishHtml: <html lang> is the content\'s language and the <title> its subject', () => {
  const html = '<!doctype html>\n<html lang="und" dir="auto">\n<head>\n<title>old</title></head><body>x</body></html>';
  const renderers = [createCompiledRenderer(), createInterpretedRenderer()];

  it('sets both, escaping the subject\'s text and keeping (escaped) merge fields', () => {
    const finished = finishHtml(html, 'en-CA', 'Tom & {{{first_name}}} <b> {{#if vip}}VIP{{/if}}');
    expect(finished).toBe('<!doctype html>\n<html lang="en-CA" dir="auto">\n<head>\n<title>Tom &amp; {{first_name}} &lt;b&gt; {{#if vip}}VIP{{/if}}</title></head><body>x</body></html>');
    for (const r of renderers) {
      expect(r.render(finished, { first_name: '</title><script>', vip: true })).toContain('<title>Tom &amp; &lt;/title&gt;&lt;script&gt; &lt;b&gt; VIP</title>');
    }
  });

  it('adds what is missing', () => {
    expect(finishHtml('<html><head></head></html>', 'fr', 'Bonjour $1 $&')).toBe('<html lang="fr"><head><title>Bonjour $1 $&amp;</title></head></html>');
  });
});
