// Test sends: a campaign's message rendered for a chosen contact, sent to an address the marketer gives. Marked as a
// test, never counted in the campaign, never reserving a cap; links untracked and unable to unsubscribe the contact.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, launch, mjml } from '../support/fixtures.js';

// A Tuesday morning in Paris.
const NOW = new Date('2026-11-17T09:00:00Z');
const BODY = mjml('Bonjour {{first_name}} {{last_name}} <a href="https://shop.example/soldes">Soldes</a> <a href="{{preferences_url}}">Préférences</a>');

let t: TestApp;
let alice: number;
let bob: number;
let emailCampaign: number;

async function pressureRows() {
  return t.deps.db.selectFrom('pressure_ledger').selectAll().execute();
}

async function testMessages() {
  return t.deps.db.selectFrom('messages').select(['id', 'campaign_id', 'contact_id', 'purpose', 'channel', 'status', 'address', 'payload', 'public_id'])
    .where('purpose', '=', 'test').orderBy('id').execute();
}

async function report(id: number) {
  const res = await t.json('GET', `/v1/campaigns/${id}/report`);
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => NOW });
  await createTopic(t, 'news');
  const both = [{ channel: 'email', topic: 'news' }, { channel: 'sms', topic: 'news' }];
  alice = (await t.json('POST', '/v1/contacts', { email: 'alice@example.fr', phone: '+33611111111', first_name: 'Alice', last_name: 'Martin', subscriptions: both })).body.id;
  // Unsubscribed: a test rendered for her is still sent, to the tester's address (her consent is not asked).
  bob = (await t.json('POST', '/v1/contacts', {
    email: 'bob@example.fr', first_name: 'Bob', last_name: 'Durand', subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }],
  })).body.id;
  expect((await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'blocked@example.org', reason: 'manual' })).status).toBe(201);
  const template = await createTemplate(t, 'email', { subject: 'Nouveautés pour {{first_name}}', mjml: BODY });
  emailCampaign = await createCampaign(t, { template_id: template, topic: 'news' });
  const launched = await launch(t, emailCampaign);
  expect(launched.counts).toMatchObject({ targeted: 1, sent: 1 });
});
afterAll(() => t.close());

describe('POST /v1/campaigns/{id}/test', () => {
  it('sends the email rendered for the contact, marked as a test, with inert untracked links, counted nowhere', async () => {
    const before = { campaign: await getCampaign(t, emailCampaign), report: await report(emailCampaign), pressure: await pressureRows() };
    const res = await t.json('POST', `/v1/campaigns/${emailCampaign}/test`, { contact_id: bob, to: ' Tester@Example.ORG ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaign_id: emailCampaign, contact_id: bob, channel: 'email', to: 'tester@example.org', status: 'sent' });

    const files = (await t.outboxFiles('.eml')).filter((f) => f.name === `${res.body.message_id}.eml`);
    expect(files).toHaveLength(1);
    const mail = await PostalMime.parse(files[0].content);
    expect(mail.to?.[0]?.address).toBe('tester@example.org');
    expect(mail.subject).toBe('[TEST] Nouveautés pour Bob');
    expect(mail.html).toContain('Bonjour Bob Durand');
    // No open pixel, no click redirect: the links are as written.
    expect(mail.html).not.toMatch(/\/t\/o\//);
    expect(mail.html).not.toMatch(/\/t\/c\//);
    expect(mail.html).toContain('href="https://shop.example/soldes"');
    // The preference link and the unsubscribe footer lead nowhere: nothing signed for the contact, no List-Unsubscribe.
    const hrefs = [...mail.html!.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://shop.example/soldes', '#', '#']);
    expect(mail.html).not.toMatch(/\/[up]\/[A-Za-z0-9_-]{20,}/);
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe')).toBeUndefined();

    // In the ledger as a test of no campaign, naming the campaign in its payload.
    const [row] = (await testMessages()).filter((m) => m.public_id === res.body.message_id);
    expect(row).toMatchObject({ campaign_id: null, contact_id: bob, purpose: 'test', channel: 'email', status: 'sent', address: 'tester@example.org' });
    expect((row.payload as { campaign_id: number }).campaign_id).toBe(emailCampaign);

    // Never counted, never against a cap.
    const after = { campaign: await getCampaign(t, emailCampaign), report: await report(emailCampaign), pressure: await pressureRows() };
    expect(after.campaign.counts).toEqual(before.campaign.counts);
    expect(after.report).toEqual(before.report);
    expect(after.pressure).toEqual(before.pressure);
    expect(after.pressure.filter((p) => Number(p.message_id) === row.id)).toEqual([]);
    // Bob stays unsubscribed, Alice subscribed: the test acted on nobody.
    const subs = async (id: number) => (await t.json('GET', `/v1/contacts/${id}`)).body.subscriptions;
    expect(await subs(bob)).toEqual([expect.objectContaining({ channel: 'email', topic: 'news', status: 'unsubscribed' })]);
    expect(await subs(alice)).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'email', topic: 'news', status: 'subscribed' })]));
  });

  it('sends an SMS test of a draft, from its template as it is now, untouched by the campaign', async () => {
    const template = await createTemplate(t, 'sms', { text: 'Salut {{first_name}}, -20% ici https://shop.example/sms' });
    const draft = await createCampaign(t, { template_id: template, topic: 'news', channel: 'sms' });
    const pressure = await pressureRows();
    const res = await t.json('POST', `/v1/campaigns/${draft}/test`, { contact_id: alice, to: '06 12 34 56 78' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ channel: 'sms', to: '+33612345678', status: 'sent' });
    const files = (await t.outboxFiles('.json')).filter((f) => f.name === `${res.body.message_id}.json`);
    expect(files).toHaveLength(1);
    const sms = JSON.parse(files[0].content);
    expect(sms.to).toBe('+33612345678');
    // Merged for Alice, the link not shortened to /s/.
    expect(sms.text).toMatch(/^Salut Alice, -20% ici https:\/\/shop\.example\/sms/);
    expect(sms.text).not.toMatch(/\/s\//);
    const campaign = await getCampaign(t, draft);
    expect(campaign.status).toBe('draft');
    expect(campaign.counts).toMatchObject({ audience: 0, targeted: 0, sent: 0 });
    expect(await pressureRows()).toEqual(pressure);
  });

  it('refuses a suppressed or invalid address, naming `to`', async () => {
    const count = (await testMessages()).length;
    for (const to of ['blocked@example.org', 'BLOCKED@example.org', 'not-an-email']) {
      const res = await t.json('POST', `/v1/campaigns/${emailCampaign}/test`, { contact_id: alice, to });
      expect(res.status, to).toBe(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'to' })]);
    }
    const smsTemplate = await createTemplate(t, 'sms');
    const smsCampaign = await createCampaign(t, { template_id: smsTemplate, topic: 'news', channel: 'sms' });
    const res = await t.json('POST', `/v1/campaigns/${smsCampaign}/test`, { contact_id: alice, to: 'alice@example.fr' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'to' })]);
    expect(await testMessages()).toHaveLength(count);
  });

  it('answers 404 for an unknown campaign or contact', async () => {
    expect((await t.json('POST', `/v1/campaigns/${emailCampaign}/test`, { contact_id: 999999, to: 'tester@example.org' })).status).toBe(404);
    const unknown = await t.json('POST', '/v1/campaigns/999999/test', { contact_id: alice, to: 'tester@example.org' });
    expect([unknown.status, unknown.body.error.message]).toEqual([404, 'Campaign 999999 was not found']);
  });
});
