// Topic names in French and English: the API stores and edits them, and every page and email a contact reads
// shows the contact's language, else the default name.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicRoutes } from '../../src/consent/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectStatus } from '../support/api.js';
import { createCampaign, createContact, createTemplate, launch, mjml } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const created_at = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe('topic names over the API', () => {
  it('creates a topic with its names, lists them, and renames it a language at a time', async () => {
    const news = expectStatus(await t.api(topicRoutes.createTopicRoute, { json: { key: 'news', name: 'La lettre', names: { en: 'The letter' } } }), 201);
    expect(news).toEqual({ id: news.id, key: 'news', name: 'La lettre', names: { en: 'The letter' }, double_opt_in: false, created_at });
    const plain = expectStatus(await t.api(topicRoutes.createTopicRoute, { json: { key: 'plain', name: 'Sans traduction' } }), 201);
    expect(plain.names).toEqual({});

    const renamed = await t.api(topicRoutes.updateTopicRoute, { param: { key: 'news' }, json: { names: { fr: 'La lettre du mois' } } });
    expect(renamed).toEqual({ status: 200, body: { ...news, names: { en: 'The letter', fr: 'La lettre du mois' } } });
    const again = await t.api(topicRoutes.updateTopicRoute, { param: { key: 'news' }, json: { name: 'Lettre', names: { en: 'The monthly letter', fr: null } } });
    expect(again).toEqual({ status: 200, body: { ...news, name: 'Lettre', names: { en: 'The monthly letter' } } });

    const list = expectStatus(await t.api(topicRoutes.listTopicsRoute), 200);
    expect(list.data.map((x) => [x.key, x.name, x.names])).toEqual([['news', 'Lettre', { en: 'The monthly letter' }], ['plain', 'Sans traduction', {}]]);
  });

  it('refuses a language it does not speak, an empty name, an empty change and an unknown topic', async () => {
    const field = (res: { status: number; body: unknown }) => [res.status, (res.body as any).error.details.map((d: any) => d.field)];
    expect(field(await t.json('POST', '/v1/topics', { key: 'x', name: 'X', names: { de: 'Der Brief' } }))).toEqual([422, ['names.de']]);
    expect(field(await t.json('POST', '/v1/topics', { key: 'x', name: 'X', names: { en: '' } }))).toEqual([422, ['names.en']]);
    expect(field(await t.json('PATCH', '/v1/topics/news', {}))).toEqual([422, ['name']]);
    expect(field(await t.json('PATCH', '/v1/topics/news', { names: { en: 'x'.repeat(201) } }))).toEqual([422, ['names.en']]);
    const missing = await t.json('PATCH', '/v1/topics/nothing', { name: 'N' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    // Analysts read only.
    expect((await t.json('PATCH', '/v1/topics/news', { name: 'N' }, { key: t.keys.analyst })).status).toBe(403);
  });
});

describe('topic names where contacts read them', () => {
  const mails = async () => Promise.all((await t.outboxFiles('.eml')).map(async (f) => PostalMime.parse(f.content)));
  const link = (html: string, prefix: string) => new URL(new RegExp(`href="(https?://[^/"]+/${prefix}/[^"]+)"`).exec(html)![1]).pathname;
  const page = async (path: string) => (await t.app.request(path)).text();

  beforeAll(async () => {
    await t.api(topicRoutes.createTopicRoute, { json: { key: 'club', name: 'Le club', names: { en: 'The club' }, double_opt_in: true } });
    for (const [email, locale] of [['anne@example.fr', 'fr-CA'], ['bob@example.ca', 'en-CA']]) {
      await createContact(t, { email, locale, subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'plain' }, { channel: 'email', topic: 'club' }] });
    }
    await t.deps.background.idle();
  });

  it('the confirmation email names the topic in the contact’s language', async () => {
    const sent = (await mails()).map((m) => [m.to?.[0]?.address, m.subject, /« Le club »|“The club”/.exec(m.html ?? '')?.[0]]);
    expect(sent.sort()).toEqual([
      ['anne@example.fr', 'Confirmez votre inscription : Le club', '« Le club »'],
      ['bob@example.ca', 'Please confirm your subscription: The club', '“The club”'],
    ]);
    const bob = (await mails()).find((m) => m.to?.[0]?.address === 'bob@example.ca')!;
    expect(await page(link(bob.html!, 'c'))).toContain('<p>You are about to receive “The club” at b•••@example.ca.</p>');
  });

  it('the preference center and the unsubscribe page name topics in the contact’s language, else the default name', async () => {
    const template = await createTemplate(t, 'email', { mjml: mjml('<a href="{{preferences_url}}">p</a> <a href="{{unsubscribe_url}}">u</a>') });
    await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
    const byTo = new Map((await mails()).filter((m) => m.html?.includes('/p/')).map((m) => [m.to?.[0]?.address, m.html!]));

    const rowNames = (html: string) => [...html.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(rowNames(await page(link(byTo.get('bob@example.ca')!, 'p')))).toEqual(['The monthly letter', 'Sans traduction', 'The club']);
    expect(rowNames(await page(link(byTo.get('anne@example.fr')!, 'p')))).toEqual(['Lettre', 'Sans traduction', 'Le club']);
    expect(await page(link(byTo.get('bob@example.ca')!, 'u'))).toContain('<p>You will no longer receive “The monthly letter” at b•••@example.ca.</p>');
    expect(await page(link(byTo.get('anne@example.fr')!, 'u'))).toContain('<p>Vous ne recevrez plus «\u00a0Lettre\u00a0» à l’adresse a•••@example.fr.</p>');
  });
});
