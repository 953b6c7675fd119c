import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCompiledRenderer } from './compiled-renderer.js';
import { createInterpretedRenderer } from './interpreter.js';
import { compileMjml } from './mjml.js';
import { smsSegments } from '../../channels/sms/segments.js';
import type { SendableChannel } from '../../channels/index.js';
import { htmlToText } from './text.js';
import { validateTemplateSource } from './validate.js';
import { finishHtml } from '../content.js';
import { renderContent } from '../rendering.js';

const dir = join(import.meta.dirname, '../../../templates');
const read = (file: string) => readFileSync(join(dir, file), 'utf8');

// What the starters may rely on: contact fields, sender variables and the attributes they document.
const knownFields = [
  'id', 'email', 'phone', 'first_name', 'last_name', 'external_id', 'locale', 'timezone',
  'address', 'attributes',
  'unsubscribe_url', 'preferences_url', 'brand_name',
  'attributes.welcome_code', 'attributes.promo_code', 'attributes.promo_deadline', 'attributes.loyalty_balance',
];

const recipient = (locale: 'fr' | 'en') => ({
  id: 7,
  email: 'jeanne@example.com',
  first_name: 'Jeanne',
  last_name: 'Martin',
  locale,
  timezone: 'Europe/Paris',
  address: { city: 'Orléans' },
  attributes: { welcome_code: 'HELLO10', promo_code: 'JEANNE20', promo_deadline: '2025-06-30', loyalty_balance: 1254.5 },
  brand_name: 'Maison Lumière',
  unsubscribe_url: 'https://ex.com/u?t=abc',
  preferences_url: 'https://ex.com/p?t=abc',
});
const anonymous = (locale: 'fr' | 'en') => ({ locale, timezone: 'Europe/Paris', address: {}, attributes: {}, brand_name: 'Maison Lumière', unsubscribe_url: 'https://ex.com/u', preferences_url: 'https://ex.com/p' });

const compiled = createCompiledRenderer();
const interpreted = createInterpretedRenderer();

function mergeBoth(source: string, data: Record<string, unknown>, escape: boolean): string {
  const a = compiled.render(source, data, { escape });
  expect(interpreted.render(source, data, { escape })).toBe(a);
  return a;
}

function expectValid(source: string) {
  const result = validateTemplateSource(source, { knownFields });
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
}

interface Content { subject?: string; preheader?: string; text?: string }
interface Starter extends Content { name: string; channel: SendableChannel; locale: string; variants: (Content & { locale: string })[] }

const files = readdirSync(dir).sort();
const starters = files.filter((f) => f.endsWith('.json'));
const starter = (file: string) => JSON.parse(read(file)) as Starter;
/** Each language of a starter: its sidecar fields, and for email its MJML body from <name>.<locale>.mjml. */
const languages = (file: string) => {
  const meta = starter(file);
  const { variants, name: _name, channel: _channel, locale, ...base } = meta;
  return [{ locale, ...base }, ...variants].map((c) => ({ ...c, mjml: meta.channel === 'email' || meta.channel === 'postal' ? read(file.replace(/\.json$/, `.${c.locale}.mjml`)) : undefined }));
};

it('ships newsletter, promotion and welcome emails, an SMS and a letter, each one template in French with an English variant', () => {
  expect(starters).toEqual(['catalogue-letter.json', 'newsletter.json', 'promotion.json', 'sms-promotion.json', 'welcome.json']);
  expect(files.filter((f) => f.endsWith('.mjml'))).toEqual([
    'catalogue-letter.en.mjml', 'catalogue-letter.fr.mjml', 'newsletter.en.mjml', 'newsletter.fr.mjml', 'promotion.en.mjml', 'promotion.fr.mjml', 'welcome.en.mjml', 'welcome.fr.mjml',
  ]);
  for (const file of starters) {
    const meta = starter(file);
    expect([file, meta.locale, meta.variants.map((v) => v.locale)]).toEqual([file, 'fr', ['en']]);
    const keys = meta.channel === 'email' ? ['locale', 'preheader', 'subject'] : meta.channel === 'postal' ? ['locale', 'subject'] : ['locale', 'text'];
    expect(Object.keys(meta).sort()).toEqual(['channel', 'name', ...keys.filter((k) => k !== 'locale'), 'locale', 'variants'].sort());
    for (const v of meta.variants) expect(Object.keys(v).sort()).toEqual(keys);
  }
});

describe.each(starters.filter((f) => starter(f).channel === 'email'))('%s', (file) => {
  it.each(languages(file).map((c) => [c.locale, c] as const))('%s: validates, compiles, then merges identically with both renderers', async (locale, c) => {
    const mjml = c.mjml!;
    expect(mjml.startsWith(`<mjml lang="${locale}">`)).toBe(true);
    expectValid(mjml);
    expectValid(String(c.subject));
    expectValid(String(c.preheader));
    const compiled = await compileMjml(mjml);
    expect(compiled.errors).toEqual([]);
    const html = finishHtml(compiled.html, locale, String(c.subject));
    expectValid(html); // the tokens came through MJML intact
    for (const data of [recipient(locale as 'fr' | 'en'), anonymous(locale as 'fr' | 'en')]) {
      const merged = mergeBoth(html, data, true);
      expect(merged).not.toContain('{{');
      expect(merged).toContain(`<html lang="${locale}"`);
      expect(merged).toContain(`href="${data.unsubscribe_url.replace(/=/g, '&#x3D;')}"`);
      expect(merged).toContain(`href="${data.preferences_url.replace(/=/g, '&#x3D;')}"`);
      const text = htmlToText(merged);
      expect(text).toContain(`[${data.unsubscribe_url}]`);
      expect(text).toContain(`[${data.preferences_url}]`);
    }
    const merged = mergeBoth(html, recipient(locale as 'fr' | 'en'), true);
    expect(merged).toContain('Jeanne');
    expect(merged).toContain('Maison Lumière');
    const subject = mergeBoth(String(c.subject), recipient(locale as 'fr' | 'en'), false);
    expect(subject).toContain('Jeanne');
    // The <title> is the subject.
    expect(merged).toContain(`<title>${subject}</title>`);
    expect(mergeBoth(html, anonymous(locale as 'fr' | 'en'), true)).not.toContain('Jeanne');
  });
});

/** A starter's language as a launch would freeze it, merged for a contact as the sender does. */
async function send(file: string, locale: string, data: Record<string, unknown>) {
  const c = languages(file).find((l) => l.locale === locale)!;
  const html = c.mjml ? finishHtml((await compileMjml(c.mjml)).html, locale, String(c.subject)) : null;
  const content = { channel: starter(file).channel, locale, subject: c.subject ?? null, compiled_html: html, text: c.text ?? null };
  const results = [compiled, interpreted].map((r) => renderContent(r, content, data, { stopMentions: { default: 'STOP au 36111', en: 'Text STOP to 36111' } }));
  expect(results[1]).toEqual(results[0]);
  return results[0] as { subject?: string; html?: string; text: string };
}

it('the promotion shows code, deadline and money in the language of the content, with the contact\'s currency', async () => {
  const fr = await send('promotion.json', 'fr', recipient('fr'));
  expect(fr.html).toContain('JEANNE20');
  expect(fr.html).toContain("jusqu'au 30 juin 2025");
  expect(fr.html).toContain('1\u202f254,50\u00a0€');
  const en = await send('promotion.json', 'en', recipient('en'));
  expect(en.html).toContain('until June 30, 2025');
  expect(en.html).toContain('€1,254.50');
  // A Québec contact reading the French content: French dates, Canadian dollars.
  const quebec = { ...recipient('fr'), locale: 'fr-CA', address: { city: 'Montréal', country: 'CA' } };
  const ca = await send('promotion.json', 'fr', quebec);
  expect(ca.subject).toBe("Jeanne, -20 % sur tout le site jusqu'au 30 juin 2025");
  expect(ca.html).toContain('1\u00a0254,50\u00a0$');
  // An English content for a French-speaking contact is still English throughout (never "jusqu'au June 30").
  const enForFr = await send('promotion.json', 'en', { ...recipient('fr'), locale: 'fr-CA', address: { country: 'CA' } });
  expect(enForFr.subject).toBe('Jeanne, 20% off everything until June 30, 2025');
  expect(enForFr.html).toContain('$1,254.50');
});

it('the newsletter city block disappears without a city', async () => {
  const { html } = await compileMjml(read('newsletter.fr.mjml'));
  expect(mergeBoth(html, recipient('fr'), true)).toContain('Nous passons bientôt à Orléans');
  expect(mergeBoth(html, anonymous('fr'), true)).not.toContain('Nous passons bientôt');
});

describe('sms-promotion.json', () => {
  it.each(languages('sms-promotion.json').map((c) => [c.locale, c] as const))('%s: validates and renders identically in one GSM-7 segment', (locale, c) => {
    expectValid(String(c.text));
    for (const data of [recipient(locale as 'fr' | 'en'), anonymous(locale as 'fr' | 'en')]) {
      const text = mergeBoth(String(c.text), data, false);
      expect(text).not.toContain('{{');
      // Kept to one GSM-7 segment with the stop mention: no accent outside the GSM alphabet.
      expect(smsSegments(`${text} STOP au 36111`)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  it('reads as expected, each with its own stop mention once', async () => {
    expect((await send('sms-promotion.json', 'fr', recipient('fr'))).text)
      .toBe("Jeanne, -20 % sur tout le site avec le code JEANNE20 jusqu'au 30/06/2025. STOP au 36111");
    expect((await send('sms-promotion.json', 'en', { ...recipient('en'), locale: 'en-CA', address: { country: 'CA' } })).text)
      .toBe('Jeanne, enjoy 20% off everything with code JEANNE20 until Jun 30, 2025. Text STOP to 36111');
  });
});

it('the letter merges the contact and the brand in each language, its object line the subject', async () => {
  for (const locale of ['fr', 'en'] as const) {
    const c = languages('catalogue-letter.json').find((l) => l.locale === locale)!;
    expect(c.mjml!.startsWith(`<mjml lang="${locale}">`)).toBe(true);
    const letter = await send('catalogue-letter.json', locale, recipient(locale));
    expect(letter.text).toContain('Jeanne');
    expect(letter.text).toContain('Maison Lumière');
    expect(letter.text).not.toContain('{{');
    expect(letter.subject).toBe(c.subject);
  }
});
