// GET /v1/contacts/{id}/timeline: every message of a contact, newest first, each with its events newest first. Opens
// and clicks go through the tracking endpoints, the unsubscribe through its link, provider events through
// recordProviderEvent; replies and conversions are written with their rollup as the ingestion would.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { timelineRoutes } from '../../src/reporting/index.js';
import { applyEngagement, recordProviderEvent } from '../../src/tracking/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BROWSER = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
const PROMO = 'https://shop.example/promo';
const SHOP = 'https://shop.example/';
const NOW = new Date('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const DAY = 24 * 60;
const LONG_REPLY = `${'é'.repeat(150)}${'x'.repeat(100)}`;
let clock = at(-60);

let t: TestApp;
let zoe: number;
let other: number;
const campaigns = {} as Record<'march' | 'sms' | 'april', number>;
const messages = {} as Record<'confirmation' | 'march' | 'sms' | 'april', { id: number; public_id: string | null }>;

const tokenPath = (url: string) => new URL(url).pathname;
const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*href="([^"]+)"[^>]*>/g)].map((m) => m[1].replace(/&amp;/g, '&'));

async function messageOf(contactId: number, campaignId: number | null) {
  let q = t.deps.db.selectFrom('messages').select(['id', 'public_id', 'provider_message_id', 'campaign_id']).where('contact_id', '=', contactId);
  q = campaignId === null ? q.where('campaign_id', 'is', null) : q.where('campaign_id', '=', campaignId);
  const m = await q.executeTakeFirstOrThrow();
  return { id: Number(m.id), public_id: m.public_id, provider_message_id: m.provider_message_id, campaign_id: m.campaign_id };
}

async function htmlOf(address: string, subjectHas = '') {
  for (const file of (await t.outboxFiles('.eml')).reverse()) {
    const mail = await PostalMime.parse(file.content);
    if (mail.to![0].address === address && (mail.subject ?? '').includes(subjectHas)) return mail.html ?? '';
  }
  throw new Error(`no mail to ${address}`);
}

async function providerEvent(contactId: number, campaignId: number, key: string, event: { type: 'delivery' | 'complaint' } | { type: 'bounce'; permanent: boolean }, when: Date) {
  const m = await messageOf(contactId, campaignId);
  await inTransaction(t.deps.db, (trx) =>
    recordProviderEvent(trx, key, { ...event, recipients: ['zoe@example.fr'], providerMessageId: m.provider_message_id!, at: when }, { receivedAt: when }));
}

async function reply(contactId: number, campaignId: number, body: string, when: Date) {
  const m = await messageOf(contactId, campaignId);
  await inTransaction(t.deps.db, async (trx) => {
    await trx.insertInto('responses').values({
      response_key: crypto.randomUUID(), message_id: m.id, campaign_id: campaignId, contact_id: contactId, channel: 'email', kind: 'reply', body, occurred_at: when,
    }).execute();
    await applyEngagement(trx, [{ messageId: m.id, campaignId, contactId, metric: 'reply', at: when }]);
  });
}

async function conversion(contactId: number, campaignId: number, value: number, when: Date) {
  const m = await messageOf(contactId, campaignId);
  await inTransaction(t.deps.db, async (trx) => {
    const event = await trx.insertInto('events').values({ contact_id: contactId, type: 'purchase', value, occurred_at: when }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('conversions').values({
      event_id: event.id, contact_id: contactId, campaign_id: campaignId, message_id: m.id, type: 'purchase', value, occurred_at: when, touch: 'click', touch_at: when,
    }).execute();
    await applyEngagement(trx, [{ messageId: m.id, campaignId, contactId, metric: 'conversion', at: when, value }]);
  });
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  await createTopic(t, 'club', { double_opt_in: true });
  // Zoé subscribes to a double opt-in topic too: its confirmation is a message of no campaign, sent an hour before.
  zoe = (await createContact(t, {
    email: 'zoe@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'club' }],
  })).id;
  other = (await createContact(t, { email: 'other@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }] })).id;
  await t.deps.background.idle();
  const body = `<a href="${PROMO}">Promo</a> <a href="${SHOP}">Boutique</a> <a href="{{unsubscribe_url}}">Se désabonner</a>`;
  const email = await createTemplate(t, 'email', { subject: 'Campagne {{first_name}}', mjml: mjml(body) });
  const sms = await createTemplate(t, 'sms');

  clock = at(0);
  campaigns.march = await createCampaign(t, { name: 'Mars', template_id: email, topic: 'news' });
  await launch(t, campaigns.march);
  // No phone number: held back.
  clock = at(60);
  campaigns.sms = await createCampaign(t, { name: 'SMS', channel: 'sms', template_id: sms, topic: 'news' });
  await launch(t, campaigns.sms);

  // March: delivered, opened, two links followed, two replies, a purchase, then the unsubscribe link.
  await providerEvent(zoe, campaigns.march, 'sns-1', { type: 'delivery' }, at(5));
  const march = await htmlOf('zoe@example.fr', 'Campagne');
  const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(march)![1];
  const [promo, shop, unsubscribe] = hrefs(march);
  clock = at(60);
  expect((await t.app.request(tokenPath(pixel), { headers: BROWSER })).status).toBe(200);
  clock = at(120);
  expect((await t.app.request(tokenPath(promo), { headers: BROWSER })).status).toBe(302);
  clock = at(150);
  expect((await t.app.request(tokenPath(shop), { headers: BROWSER })).status).toBe(302);
  clock = at(155);
  expect((await t.app.request(tokenPath(promo), { headers: BROWSER })).status).toBe(302);
  await reply(zoe, campaigns.march, 'Merci', at(180));
  await reply(zoe, campaigns.march, LONG_REPLY, at(240));
  await conversion(zoe, campaigns.march, 89.9, at(300));
  clock = at(360);
  const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' };
  expect((await t.app.request(tokenPath(unsubscribe), form)).status).toBe(200);
  // The other contact's engagement never shows in Zoé's timeline.
  const theirs = await htmlOf('other@example.fr', 'Campagne');
  expect((await t.app.request(tokenPath(/<img src="([^"]+\/t\/o\/[^"]+)"/.exec(theirs)![1]), { headers: BROWSER })).status).toBe(200);
  await t.deps.hits.flush();

  // April (a day later, as she unsubscribed from news: resubscribed first): a soft bounce, then delivered, then spam.
  clock = at(DAY - 10);
  expect((await t.json('PATCH', `/v1/contacts/${zoe}`, { subscriptions: [{ channel: 'email', topic: 'news', status: 'subscribed' }] })).status).toBe(200);
  clock = at(DAY);
  campaigns.april = await createCampaign(t, { name: 'Avril', template_id: email, topic: 'news' });
  await launch(t, campaigns.april);
  await providerEvent(zoe, campaigns.april, 'sns-2', { type: 'bounce', permanent: false }, at(DAY + 1));
  await providerEvent(zoe, campaigns.april, 'sns-3', { type: 'delivery' }, at(DAY + 2));
  await providerEvent(zoe, campaigns.april, 'sns-4', { type: 'complaint' }, at(DAY + 180));
  clock = at(2 * DAY);

  messages.confirmation = await messageOf(zoe, null);
  messages.march = await messageOf(zoe, campaigns.march);
  messages.sms = await messageOf(zoe, campaigns.sms);
  messages.april = await messageOf(zoe, campaigns.april);
});
afterAll(() => t.close());

/** Zoé's messages as the timeline must show them, newest first, worked out from the script above. */
function expectedTimeline() {
  return [
    {
      message_id: messages.april.public_id, campaign: { id: campaigns.april, name: 'Avril' }, purpose: 'campaign', channel: 'email', status: 'sent',
      skip_reason: null, sent_at: iso(DAY),
      events: [
        { type: 'complained', at: iso(DAY + 180) },
        { type: 'delivered', at: iso(DAY + 2) },
        { type: 'bounced', at: iso(DAY + 1), bounce: 'soft' },
      ],
    },
    {
      message_id: null, campaign: { id: campaigns.sms, name: 'SMS' }, purpose: 'campaign', channel: 'sms', status: 'skipped',
      skip_reason: 'no_address', sent_at: null, events: [],
    },
    {
      message_id: messages.march.public_id, campaign: { id: campaigns.march, name: 'Mars' }, purpose: 'campaign', channel: 'email', status: 'sent',
      skip_reason: null, sent_at: iso(0),
      events: [
        { type: 'unsubscribed', at: iso(360) },
        { type: 'converted', at: iso(300), conversion_type: 'purchase', value: 89.9 },
        { type: 'replied', at: iso(240), kind: 'reply', excerpt: `${'é'.repeat(150)}${'x'.repeat(50)}` },
        { type: 'replied', at: iso(180), kind: 'reply', excerpt: 'Merci' },
        // Three clicks by a person; the links in the order first clicked.
        { type: 'clicked', at: iso(120), count: 3, urls: [PROMO, SHOP] },
        { type: 'opened', at: iso(60), count: 1 },
        { type: 'delivered', at: iso(5) },
      ],
    },
    {
      message_id: messages.confirmation.public_id, campaign: null, purpose: 'confirmation', channel: 'email', status: 'sent',
      skip_reason: null, sent_at: iso(-60), events: [],
    },
  ];
}

const timeline = (id: number, query: { limit?: number; cursor?: string } = {}) => t.api(timelineRoutes.contactTimelineRoute, { param: { id }, query });

describe('GET /v1/contacts/{id}/timeline', () => {
  it('lists every message of the contact newest first, each with its events newest first and their times', async () => {
    expect(messages.april.id).toBeGreaterThan(messages.sms.id);
    expect(messages.sms.id).toBeGreaterThan(messages.march.id);
    expect(messages.march.id).toBeGreaterThan(messages.confirmation.id);
    expect(expectStatus(await timeline(zoe), 200)).toEqual({ data: expectedTimeline(), next_cursor: null });
  });

  it('pages newest first with limit and cursor', async () => {
    const first = expectStatus(await timeline(zoe, { limit: 2 }), 200);
    expect(first.data).toEqual(expectedTimeline().slice(0, 2));
    expect(first.next_cursor).not.toBeNull();
    const second = expectStatus(await timeline(zoe, { limit: 2, cursor: first.next_cursor! }), 200);
    expect(second).toEqual({ data: expectedTimeline().slice(2), next_cursor: null });
    const third = expectStatus(await timeline(zoe, { limit: 3, cursor: first.next_cursor! }), 200);
    expect(third).toEqual({ data: expectedTimeline().slice(2), next_cursor: null });
  });

  it('shows only the contact\'s own messages', async () => {
    const theirs = expectStatus(await timeline(other), 200).data;
    expect(theirs.map((m) => [m.campaign?.name, m.events.map((e) => e.type)])).toEqual([['Avril', []], ['SMS', []], ['Mars', ['opened']]]);
  });

  it('is a 404 for an unknown contact, a 422 for an unknown parameter or a limit past 200', async () => {
    const missing = await timeline(999999);
    expect(missing.status).toBe(404);
    expect((await t.json('GET', `/v1/contacts/${zoe}/timeline?kind=email`)).status).toBe(422);
    expect((await t.json('GET', `/v1/contacts/${zoe}/timeline?limit=201`)).status).toBe(422);
    expect((await t.json('GET', `/v1/contacts/${zoe}/timeline?limit=200`)).status).toBe(200);
  });
});
