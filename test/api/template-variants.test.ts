// One campaign, several languages: a template's variants are validated like its default content, each contact gets
// the variant for their locale (fr-CA → fr → the default), with dates, money, <html lang>, <title> and the SMS stop
// mention in that language. The campaign runs on both renderers: the compiled one (Node) and the interpreter (workerd).
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { contactRoutes } from '../../src/contacts/index.js';
import { createCompiledRenderer, createInterpretedRenderer, templateRoutes, type MergeRenderer } from '../../src/templates/index.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createList, createTopic, launch, mjml, type TemplateInput } from '../support/fixtures.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const env = { SMS_STOP_MENTION: 'STOP au 36111', SMS_STOP_MENTION_EN: 'Text STOP to 36111' };

const newsletter: TemplateInput = {
  name: 'Lettre', channel: 'email', locale: 'fr',
  subject: 'Bonjour {{first_name}}, jusqu\'au {{date attributes.deadline}}',
  mjml: mjml('Votre solde : {{money attributes.balance}}'),
  variants: [
    { locale: 'en', subject: 'Hi {{first_name}}, until {{date attributes.deadline}}', mjml: mjml('Your balance: {{money attributes.balance}}') },
    { locale: 'fr-CA', subject: 'Salut {{first_name}}, jusqu\'au {{date attributes.deadline}}', mjml: mjml('Votre solde : {{money attributes.balance}}') },
  ],
};
const promo: TemplateInput = {
  name: 'Promo', channel: 'sms', locale: 'fr', text: '{{first_name}}, -20 % ce week-end',
  variants: [{ locale: 'en', text: '{{first_name}}, 20% off this weekend' }],
};

/** Everyone who takes part, by locale (and region for money): fr, fr-CA, en, en-CA, and one without a locale. */
const people = [
  { first_name: 'Marie', email: 'marie@example.fr', phone: '+33612345678', locale: 'fr', address: { country: 'FR' } },
  { first_name: 'Gabrielle', email: 'gabrielle@example.ca', phone: '+15145550101', locale: 'fr-CA', address: { country: 'CA' } },
  { first_name: 'John', email: 'john@example.com', phone: '+15145550102', locale: 'en' },
  { first_name: 'Emily', email: 'emily@example.ca', phone: '+15145550103', locale: 'en-CA', address: { country: 'CA' } },
  { first_name: 'Nobody', email: 'nobody@example.fr', phone: '+33612345679' },
];

async function setUp(t: TestApp) {
  for (const [name, type] of [['deadline', 'date'], ['balance', 'number']] as const) {
    expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name }, json: { type } }), 201);
  }
  await createTopic(t, 'news');
  await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] });
  const ids: number[] = [];
  for (const p of people) {
    const contact = await createContact(t, {
      ...p, attributes: { deadline: '2026-12-15', balance: 1254.5 },
      subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'sms', topic: 'news' }],
    });
    ids.push(contact.id);
  }
  return createList(t, ids);
}

describe('templates with language variants', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(env);
    await setUp(t);
  });
  afterAll(() => t.close());

  it('are created, read back and replaced as a whole', async () => {
    const created = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: newsletter }), 201);
    expect(created.warnings).toEqual([]);
    const read = expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id: created.id } }), 200);
    expect(read).toMatchObject({ locale: 'fr', version: 1 });
    expect(read.variants.map((v) => [v.locale, v.subject])).toEqual([
      ['en', 'Hi {{first_name}}, until {{date attributes.deadline}}'],
      ['fr-CA', 'Salut {{first_name}}, jusqu\'au {{date attributes.deadline}}'],
    ]);
    expect(read.variants[0]).toEqual({ locale: 'en', subject: newsletter.variants![0].subject, preheader: null, mjml: newsletter.variants![0].mjml, text: null });

    const replaced = await t.api(templateRoutes.replaceTemplateRoute, { param: { id: created.id }, json: { ...newsletter, variants: [newsletter.variants![1]] } });
    expect(expectStatus(replaced, 200).version).toBe(2);
    const again = expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id: created.id } }), 200);
    expect(again.variants.map((v) => v.locale)).toEqual(['fr-CA']);
    const list = expectStatus(await t.api(templateRoutes.listTemplatesRoute, { query: { limit: 100 } }), 200);
    expect(list.data.find((x) => x.id === created.id)).toMatchObject({ locale: 'fr' });
  });

  it('take the language their MJML declares, else French', async () => {
    const english = mjml('Hi').replace('<mjml>', '<mjml lang="en">');
    const declared = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: { name: 'en', channel: 'email', subject: 'Hi', mjml: english } }), 201);
    expect(expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id: declared.id } }), 200).locale).toBe('en');
    const plain = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: { name: 'x', channel: 'sms', text: 'Salut' } }), 201);
    expect(expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id: plain.id } }), 200)).toMatchObject({ locale: 'fr', variants: [] });
  });

  it('check every variant like the default, naming the field', async () => {
    const res = await t.api(templateRoutes.createTemplateRoute, {
      json: {
        ...newsletter, locale: 'klingon',
        variants: [
          { locale: 'en', subject: 'Hi', mjml: mjml('{{#if first_name}}x') },
          { locale: 'FR', subject: 'x', mjml: mjml('x') },
          { locale: 'en-ca', mjml: '<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>' },
          { locale: 'en_CA', subject: 'x', mjml: mjml('x'), text: 'no' },
          { locale: 'de', subject: '{{#if true as |x|}}{{x}}{{/if}}', mjml: mjml('x') },
        ],
      },
    });
    expect(res.status).toBe(422);
    if (res.status !== 422) return;
    expect(res.body.error.details).toEqual([
      { field: 'locale', message: '"klingon" is not a supported language: fr or en, optionally with a region (fr-CA, en-CA)' },
      { field: 'variants[0].mjml', message: expect.stringMatching(/^line 1: Syntax error/) },
      { field: 'variants[1].locale', message: 'the default content is already in fr' },
      { field: 'variants[2].subject', message: 'an email template needs a subject' },
      { field: 'variants[2].mjml', message: expect.stringMatching(/^line 1: mj-text cannot be used inside mj-section/) },
      { field: 'variants[3].locale', message: 'another variant is already in en-CA' },
      { field: 'variants[3].text', message: 'email templates take mjml; the text part is generated' },
      { field: 'variants[4].locale', message: '"de" is not a supported language: fr or en, optionally with a region (fr-CA, en-CA)' },
      { field: 'variants[4].subject', message: 'line 1: Block parameters (as |x|) only work with #each and #with' },
    ]);
    const sms = await t.api(templateRoutes.createTemplateRoute, { json: { ...promo, variants: [{ locale: 'en', subject: 'x' }] } });
    expect(sms.status === 422 && errorFields(sms.body)).toEqual(['variants[0].text', 'variants[0].subject']);
  });

  it('preview the variant a contact, or a language, would get', async () => {
    const { id } = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: newsletter }), 201);
    const contacts = expectStatus(await t.api(contactRoutes.listContactsRoute, { query: { limit: 100 } }), 200).data;
    const byName = (name: string) => contacts.find((c) => c.first_name === name)!.id;
    const subjects: Record<string, string> = {};
    for (const name of ['Marie', 'Gabrielle', 'John', 'Emily', 'Nobody']) {
      const res = await t.call('POST', `/v1/templates/${id}/preview`, { contact_id: byName(name) });
      expect(res.status).toBe(200);
      subjects[`${name} ${res.headers.get('content-language')}`] = (await res.json()).subject;
    }
    expect(subjects).toEqual({
      'Marie fr': 'Bonjour Marie, jusqu\'au 15 décembre 2026',
      'Gabrielle fr-CA': 'Salut Gabrielle, jusqu\'au 15 décembre 2026',
      'John en': 'Hi John, until December 15, 2026',
      'Emily en': 'Hi Emily, until December 15, 2026',
      'Nobody fr': 'Bonjour Nobody, jusqu\'au 15 décembre 2026',
    });
    const data = { first_name: 'Zoé', attributes: { deadline: '2026-12-15', balance: 3 } };
    const en = await t.call('POST', `/v1/templates/${id}/preview`, { data, locale: 'en-CA' });
    expect([en.headers.get('content-language'), (await en.json()).html]).toEqual(['en', expect.stringContaining('Your balance: $3.00')]);
    const plain = await t.call('POST', `/v1/templates/${id}/preview`, { data });
    expect([plain.headers.get('content-language'), (await plain.json()).subject]).toEqual(['fr', 'Bonjour Zoé, jusqu\'au 15 décembre 2026']);
  });
});

/** The last message each address received, from the outbox. */
async function inbox(t: TestApp) {
  const mails = new Map<string, { subject: string; html: string }>();
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    mails.set(mail.to![0].address!, { subject: mail.subject ?? '', html: mail.html ?? '' });
  }
  const sms = new Map<string, string>();
  for (const file of await t.outboxFiles('.json')) {
    const body = JSON.parse(file.content) as { to: string; text: string };
    sms.set(body.to, body.text);
  }
  return { mails, sms };
}

describe.each<[string, () => MergeRenderer]>([['compiled', createCompiledRenderer], ['interpreted', createInterpretedRenderer]])(
  'a campaign to fr, fr-CA, en and en-CA contacts (%s renderer)',
  (_name, renderer) => {
    let t: TestApp;
    let list: number;
    beforeAll(async () => {
      t = await createTestApp(env, { renderer: renderer() });
      list = await setUp(t);
    });
    afterAll(() => t.close());

    it('sends each contact their variant, in its language, with their currency', async () => {
      const template = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: newsletter }), 201).id;
      const campaign = await createCampaign(t, { template_id: template, topic: 'news', audience: { list_ids: [list] } });
      const preview = expectStatus(await t.api(campaignRoutes.previewCampaignRoute, { param: { id: campaign } }), 200);
      expect(preview.variants).toEqual({ default: 2, 'fr-CA': 1, en: 2 });
      const counts = (await launch(t, campaign)).counts;
      expect(counts).toMatchObject({ sent: 5, failed: 0 });
      // Once launched, the preview counts the variants frozen with it, not the template's current ones.
      await t.api(templateRoutes.replaceTemplateRoute, { param: { id: template }, json: { ...newsletter, variants: [] } });
      expect(expectStatus(await t.api(campaignRoutes.previewCampaignRoute, { param: { id: campaign } }), 200).variants).toEqual({ default: 2, 'fr-CA': 1, en: 2 });

      const { mails } = await inbox(t);
      const seen = Object.fromEntries([...mails].map(([to, m]) => {
        const title = /<title>([^<]*)<\/title>/.exec(m.html)?.[1];
        // The <title> is the subject.
        expect(title).toBe(m.subject);
        return [to, [m.subject, /<html lang="([^"]+)"/.exec(m.html)?.[1], /(?:Votre solde :|Your balance:) [^<]*/.exec(m.html)?.[0]]];
      }));
      expect(seen).toEqual({
        'marie@example.fr': ['Bonjour Marie, jusqu\'au 15 décembre 2026', 'fr', `Votre solde : 1${NNBSP}254,50${NBSP}€`],
        'gabrielle@example.ca': ['Salut Gabrielle, jusqu\'au 15 décembre 2026', 'fr-CA', `Votre solde : 1${NBSP}254,50${NBSP}$`],
        'john@example.com': ['Hi John, until December 15, 2026', 'en', 'Your balance: €1,254.50'],
        'emily@example.ca': ['Hi Emily, until December 15, 2026', 'en', 'Your balance: $1,254.50'],
        'nobody@example.fr': ['Bonjour Nobody, jusqu\'au 15 décembre 2026', 'fr', `Votre solde : 1${NNBSP}254,50${NBSP}€`],
      });
    });

    it('ends each SMS with the stop mention of its language, once', async () => {
      const withMention = { ...promo, variants: [{ locale: 'en', text: '{{first_name}}, 20% off this weekend. Reply STOP to opt out' }] };
      const template = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: withMention }), 201).id;
      const campaign = await createCampaign(t, { channel: 'sms', template_id: template, topic: 'news', audience: { list_ids: [list] } });
      expect((await launch(t, campaign)).counts).toMatchObject({ sent: 5, failed: 0 });
      const { sms } = await inbox(t);
      expect(Object.fromEntries(sms)).toEqual({
        '+33612345678': 'Marie, -20 % ce week-end STOP au 36111',
        '+15145550101': 'Gabrielle, -20 % ce week-end STOP au 36111',
        '+15145550102': 'John, 20% off this weekend. Reply STOP to opt out',
        '+15145550103': 'Emily, 20% off this weekend. Reply STOP to opt out',
        '+33612345679': 'Nobody, -20 % ce week-end STOP au 36111',
      });
      const plain = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: promo }), 201).id;
      const preview = await t.api(templateRoutes.previewTemplateRoute, { param: { id: plain }, json: { data: { first_name: 'Jo' }, locale: 'en-CA' } });
      expect(expectStatus(preview, 200).text).toBe('Jo, 20% off this weekend Text STOP to 36111');
    });
  },
);
