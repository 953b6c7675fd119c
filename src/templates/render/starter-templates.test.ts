import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCompiledRenderer } from './compiled-renderer.js';
import { createInterpretedRenderer } from './interpreter.js';
import { compileMjml } from './mjml.js';
import { smsSegments } from '../../channels/sms/segments.js';
import { htmlToText } from './text.js';
import { validateTemplateSource } from './validate.js';

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

const files = readdirSync(dir);
const emails = files.filter((f) => f.endsWith('.mjml')).map((f) => f.replace(/\.mjml$/, '')).sort();
const sms = files.filter((f) => f.startsWith('sms-') && f.endsWith('.json')).sort();

it('ships newsletter, promotion and welcome emails and an SMS, in French and English', () => {
  expect(emails).toEqual(['newsletter.en', 'newsletter.fr', 'promotion.en', 'promotion.fr', 'welcome.en', 'welcome.fr']);
  expect(sms).toEqual(['sms-promotion.en.json', 'sms-promotion.fr.json']);
});

describe.each(emails)('%s', (name) => {
  const mjml = read(`${name}.mjml`);
  const meta = JSON.parse(read(`${name}.json`)) as Record<string, unknown>;
  const locale = name.endsWith('.fr') ? 'fr' : 'en';

  it('has a sidecar with name, channel, subject and preheader', () => {
    expect(Object.keys(meta).sort()).toEqual(['channel', 'name', 'preheader', 'subject']);
    expect(meta.channel).toBe('email');
    expect(mjml.startsWith(`<mjml lang="${locale}">`)).toBe(true);
  });

  it('validates without errors or unknown fields', () => {
    expectValid(mjml);
    expectValid(String(meta.subject));
    expectValid(String(meta.preheader));
  });

  it('compiles without MJML errors, then merges identically with both renderers', async () => {
    const { html, errors } = await compileMjml(mjml);
    expect(errors).toEqual([]);
    expectValid(html); // the tokens came through MJML intact
    for (const data of [recipient(locale), anonymous(locale)]) {
      const merged = mergeBoth(html, data, true);
      expect(merged).not.toContain('{{');
      expect(merged).toContain(`href="${data.unsubscribe_url.replace(/=/g, '&#x3D;')}"`);
      expect(merged).toContain(`href="${data.preferences_url.replace(/=/g, '&#x3D;')}"`);
      const text = htmlToText(merged);
      expect(text).toContain(`[${data.unsubscribe_url}]`);
      expect(text).toContain(`[${data.preferences_url}]`);
    }
    const merged = mergeBoth(html, recipient(locale), true);
    expect(merged).toContain('Jeanne');
    expect(merged).toContain('Maison Lumière');
    expect(mergeBoth(html, anonymous(locale), true)).not.toContain('Jeanne');
  });

  it('renders the subject identically with both renderers', () => {
    const subject = mergeBoth(String(meta.subject), recipient(locale), false);
    expect(subject).toContain('Jeanne');
    expect(subject).not.toContain('{{');
  });
});

it('the promotion shows code, deadline and money in the recipient locale', async () => {
  const fr = mergeBoth((await compileMjml(read('promotion.fr.mjml'))).html, recipient('fr'), true);
  expect(fr).toContain('JEANNE20');
  expect(fr).toContain("jusqu'au 30 juin 2025");
  expect(fr).toContain('1\u202f254,50\u00a0€');
  const en = mergeBoth((await compileMjml(read('promotion.en.mjml'))).html, recipient('en'), true);
  expect(en).toContain('until June 30, 2025');
  expect(en).toContain('€1,254.50');
});

it('the newsletter city block disappears without a city', async () => {
  const { html } = await compileMjml(read('newsletter.fr.mjml'));
  expect(mergeBoth(html, recipient('fr'), true)).toContain('Nous passons bientôt à Orléans');
  expect(mergeBoth(html, anonymous('fr'), true)).not.toContain('Nous passons bientôt');
});

describe.each(sms)('%s', (file) => {
  const meta = JSON.parse(read(file)) as Record<string, unknown>;
  const locale = file.includes('.fr.') ? 'fr' : 'en';

  it('is an SMS sidecar that validates and renders identically', () => {
    expect(Object.keys(meta).sort()).toEqual(['channel', 'name', 'text']);
    expect(meta.channel).toBe('sms');
    expectValid(String(meta.text));
    for (const data of [recipient(locale), anonymous(locale)]) {
      const text = mergeBoth(String(meta.text), data, false);
      expect(text).not.toContain('{{');
      // Kept to one GSM-7 segment: no accent outside the GSM alphabet.
      expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });
});

it('the French SMS reads as expected', () => {
  const text = mergeBoth(String(JSON.parse(read('sms-promotion.fr.json')).text), recipient('fr'), false);
  expect(text).toBe("Jeanne, -20 % sur tout le site avec le code JEANNE20 jusqu'au 30/06/2025. STOP SMS : répondez STOP");
});
