// Campaign life cycle: cancel, concurrent launches and senders, and sending through SES with the real SDK.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { contactRoutes } from '../../src/contacts/index.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts, launch, mjml } from '../support/fixtures.js';

/** n contacts c0…c{n-1}@example.fr subscribed to news by email, and an email template; returns its id. */
async function seed(t: TestApp, n: number) {
  await createTopic(t, 'news');
  const rows = ['email;prénom;email_topics'];
  for (let i = 0; i < n; i++) rows.push(`c${i}@example.fr;C${i};news`);
  expect((await importContacts(t, rows.join('\n'))).created).toBe(n);
  return createTemplate(t, 'email', { subject: 'Bonjour {{first_name}}', mjml: mjml('Hi {{first_name}}') });
}

const campaign = (t: TestApp, templateId: number) => createCampaign(t, { template_id: templateId, topic: 'news' });
const launchOnly = (t: TestApp, id: number) => t.api(campaignRoutes.launchCampaignRoute, { param: { id } });

describe('campaign life cycle', () => {
  const CONTACTS = 40;
  let t: TestApp;
  let templateId: number;
  let sent: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  // A transport that records recipients and can be held, to cancel or race while sending.
  const transport: EmailTransport = {
    name: 'recording',
    async send(m) {
      await gate;
      sent.push(m.to.address);
      return { providerMessageId: m.messageId };
    },
  };

  beforeAll(async () => {
    t = await createTestApp({ SEND_BATCH_SIZE: '5' }, { transports: { email: transport } });
    templateId = await seed(t, CONTACTS);
  });
  afterAll(() => t.close());

  it('validates the template, topic and lists it names', async () => {
    const res = await t.api(campaignRoutes.createCampaignRoute, {
      json: { name: 'x', channel: 'sms', template_id: templateId, topic: 'nope', audience: { list_ids: [999] } },
    });
    // An email template on an SMS campaign, an unknown topic and an unknown list.
    expect(errorFields(expectStatus(res, 422)).sort()).toEqual(['audience.list_ids', 'template_id', 'topic']);
  });

  it('cancels a draft, and a cancelled campaign cannot be launched', async () => {
    const id = await campaign(t, templateId);
    expect(expectStatus(await t.api(campaignRoutes.cancelCampaignRoute, { param: { id } }), 200).status).toBe('cancelled');
    expect((await launchOnly(t, id)).status).toBe(409);
  });

  it('cancelling while sending stops every message not yet handed over', async () => {
    sent = [];
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await campaign(t, templateId);
    expectStatus(await launchOnly(t, id), 202);
    const cancelled = expectStatus(await t.api(campaignRoutes.cancelCampaignRoute, { param: { id } }), 200);
    expect(cancelled.status).toBe('cancelled');
    release();
    await t.deps.background.idle();
    const { counts } = await getCampaign(t, id);
    // Only the first claimed batch (5) was already in the sender's hands.
    expect(sent.length).toBe(counts!.sent);
    expect(counts!.sent).toBeLessThanOrEqual(5);
    expect(counts!.cancelled).toBe(CONTACTS - counts!.sent - counts!.sending);
  });

  it('two launches at once and extra concurrent senders send each message exactly once', async () => {
    sent = [];
    // The transport waits until both launches have answered: a fast sender could finish the campaign between them,
    // and a launch of a campaign already sent is refused.
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await campaign(t, templateId);
    const [a, b] = await Promise.all([launchOnly(t, id), launchOnly(t, id)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    release();
    await Promise.all([sendCampaign(t.deps, id), sendCampaign(t.deps, id), sendCampaign(t.deps, id)]);
    await t.deps.background.idle();
    const done = await getCampaign(t, id);
    expect(done.status).toBe('sent');
    expect(done.counts).toMatchObject({ audience: CONTACTS, targeted: CONTACTS, sent: CONTACTS });
    expect(sent.sort()).toEqual(Array.from({ length: CONTACTS }, (_, i) => `c${i}@example.fr`).sort());
  });

  it('an opt-out committed during sending prevents the messages not yet claimed', async () => {
    sent = [];
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await campaign(t, templateId);
    expectStatus(await launchOnly(t, id), 202);
    // c39 is in the last batch: unsubscribe them while the first batch is held.
    const [c39] = expectStatus(await t.api(contactRoutes.listContactsRoute, { query: { email: 'c39@example.fr' } }), 200).data;
    const setNews = async (status: 'subscribed' | 'unsubscribed') =>
      expectStatus(await t.api(contactRoutes.patchContactRoute, { param: { id: c39.id }, json: { subscriptions: [{ channel: 'email', topic: 'news', status }] } }), 200);
    await setNews('unsubscribed');
    try {
      release();
      await t.deps.background.idle();
      const done = await getCampaign(t, id);
      expect(sent).not.toContain('c39@example.fr');
      expect(done.counts).toMatchObject({ sent: CONTACTS - 1, skipped: { unsubscribed: 1 } });
    } finally {
      // The other tests count on all 40 being subscribed.
      await setNews('subscribed');
    }
  });
});

describe('sending through SES with the real SDK', () => {
  let ses: LocalSes;
  let t: TestApp;
  beforeAll(async () => {
    ses = await startLocalSes();
    t = await createTestApp({
      SES_REGION: 'eu-west-3', SES_ENDPOINT: ses.endpoint, SES_ACCESS_KEY_ID: 'AKIDEXAMPLE', SES_SECRET_ACCESS_KEY: 'secret',
      EMAIL_FROM_ADDRESS: 'news@shop.example', EMAIL_FROM_NAME: 'La Boutique',
    });
  });
  afterAll(async () => {
    await t.close();
    await ses.stop();
  });

  it('hands each personalised MIME message to SES', async () => {
    expect(t.deps.transports.email.name).toBe('ses');
    const id = await campaign(t, await seed(t, 3));
    expect((await launch(t, id)).counts).toMatchObject({ sent: 3, failed: 0 });
    const messages = await ses.messages();
    expect(messages.map((m) => m.to[0]).sort()).toEqual(['c0@example.fr', 'c1@example.fr', 'c2@example.fr']);
    const parsed = await PostalMime.parse(messages.find((m) => m.to[0] === 'c1@example.fr')!.raw);
    expect(parsed.subject).toBe('Bonjour C1');
    expect(parsed.from).toMatchObject({ name: 'La Boutique', address: 'news@shop.example' });
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    expect(parsed.text).toContain('Hi C1');
    // The ledger holds one sent message per address, each with the id SES gave that address's message.
    const rows = await t.deps.db.selectFrom('messages').select(['address', 'provider_message_id', 'status']).where('campaign_id', '=', id).orderBy('address').execute();
    const sesIdOf = new Map(messages.map((m) => [m.to[0], m.messageId]));
    expect(rows).toEqual(['c0@example.fr', 'c1@example.fr', 'c2@example.fr'].map((address) => ({ address, provider_message_id: sesIdOf.get(address), status: 'sent' })));
    expect(new Set(sesIdOf.values()).size).toBe(3);
  });
});
