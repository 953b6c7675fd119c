// On workerd, with the AST interpreter: one campaign in several languages (each contact gets their variant, in its
// language), and the rendering budget (a template that explodes is refused, a preview answers 422).
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, sesMessages, waitFor } from './support.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const body = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

let listId: number;

beforeAll(async () => {
  expect((await json('PUT', '/v1/attributes/wv_deadline', { type: 'date' })).status).toBe(201);
  expect((await json('PUT', '/v1/attributes/wv_balance', { type: 'number' })).status).toBe(201);
  expect((await json('POST', '/v1/topics', { key: 'wv_news', name: 'News' })).status).toBe(201);
  const ids: number[] = [];
  for (const [name, locale, country] of [['Marie', 'fr', 'FR'], ['Gabrielle', 'fr-CA', 'CA'], ['John', 'en', null], ['Emily', 'en-CA', 'CA']] as const) {
    const contact = await json('POST', '/v1/contacts', {
      email: `wv.${name.toLowerCase()}@example.com`, first_name: name, locale, ...(country ? { address: { country } } : {}),
      attributes: { wv_deadline: '2026-12-15', wv_balance: 1254.5 }, subscriptions: [{ channel: 'email', topic: 'wv_news' }],
    });
    expect(contact.status).toBe(201);
    ids.push(contact.body.id);
  }
  const list = await json('POST', '/v1/lists', { name: 'Variants' });
  listId = list.body.id;
  expect((await json('POST', `/v1/lists/${listId}/members`, { contact_ids: ids })).status).toBe(200);
});

describe('language variants on the Worker', () => {
  it('a campaign to fr, fr-CA, en and en-CA contacts gives each their variant', async () => {
    const template = await json('POST', '/v1/templates', {
      name: 'Lettre', channel: 'email', locale: 'fr',
      subject: 'Bonjour {{first_name}}, jusqu\'au {{date attributes.wv_deadline}}',
      mjml: body('Solde : {{money attributes.wv_balance}}<a href="{{unsubscribe_url}}">stop</a>'),
      variants: [{ locale: 'en', subject: 'Hi {{first_name}}, until {{date attributes.wv_deadline}}', mjml: body('Balance: {{money attributes.wv_balance}}<a href="{{unsubscribe_url}}">stop</a>') }],
    });
    expect(template.status).toBe(201);
    const campaign = await json('POST', '/v1/campaigns', {
      name: 'Variantes', channel: 'email', template_id: template.body.id, topic: 'wv_news', audience: { list_ids: [listId] },
    });
    expect(campaign.status).toBe(201);
    expect((await json('GET', `/v1/campaigns/${campaign.body.id}/preview`)).body.variants).toEqual({ default: 2, en: 2 });

    const before = (await sesMessages()).length;
    expect((await json('POST', `/v1/campaigns/${campaign.body.id}/launch`)).status).toBe(202);
    await waitFor('the campaign to be sent', async () => {
      const current = await json('GET', `/v1/campaigns/${campaign.body.id}`);
      return current.body.status === 'sent' ? current.body : undefined;
    });
    const seen: Record<string, unknown[]> = {};
    for (const message of (await sesMessages()).slice(before)) {
      const mail = await PostalMime.parse(message.raw);
      const html = mail.html ?? '';
      seen[message.to[0]] = [mail.subject, /<html lang="([^"]+)"/.exec(html)?.[1], /<title>([^<]*)<\/title>/.exec(html)?.[1], /(?:Solde :|Balance:) [^<]*/.exec(html)?.[0]];
    }
    expect(seen).toEqual({
      'wv.marie@example.com': ['Bonjour Marie, jusqu\'au 15 décembre 2026', 'fr', 'Bonjour Marie, jusqu\'au 15 décembre 2026', `Solde : 1${NNBSP}254,50${NBSP}€`],
      'wv.gabrielle@example.com': ['Bonjour Gabrielle, jusqu\'au 15 décembre 2026', 'fr', 'Bonjour Gabrielle, jusqu\'au 15 décembre 2026', `Solde : 1${NBSP}254,50${NBSP}$`],
      'wv.john@example.com': ['Hi John, until December 15, 2026', 'en', 'Hi John, until December 15, 2026', 'Balance: €1,254.50'],
      'wv.emily@example.com': ['Hi Emily, until December 15, 2026', 'en', 'Hi Emily, until December 15, 2026', 'Balance: $1,254.50'],
    });
  });
});

describe('the rendering budget on the Worker', () => {
  const nested = (n: number) => '{{#each @root}}'.repeat(n) + 'x' + '{{/each}}'.repeat(n);

  it('refuses the template that killed the process, at save time', async () => {
    const res = await json('POST', '/v1/templates', { name: 'boom', channel: 'sms', text: nested(8) });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'text', message: expect.stringContaining('Rendering budget exceeded: more than 100000 steps') }]);
  });

  it('answers a preview that explodes with 422, then keeps serving', async () => {
    const template = await json('POST', '/v1/templates', { name: 'loops', channel: 'sms', text: '{{#each items}}{{#each @root.items}}{{#each @root.items}}x{{/each}}{{/each}}{{/each}}' });
    expect(template.status).toBe(201);
    const items = Array.from({ length: 100 }, (_, i) => ({ i }));
    const preview = await json('POST', `/v1/templates/${template.body.id}/preview`, { data: { items } });
    expect(preview.status).toBe(422);
    expect(preview.body.error.details).toEqual([{ field: 'text', message: expect.stringMatching(/^Rendering budget exceeded/) }]);
    expect((await json('GET', '/health')).status).toBe(200);
  });
});
