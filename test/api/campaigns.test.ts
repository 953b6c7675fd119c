// Campaign life cycle: cancel, concurrent launches and senders, and sending through SES with the real SDK.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';

async function seed(t: TestApp, n: number) {
  await t.json('POST', '/v1/topics', { key: 'news', name: 'News' });
  const rows = ['email;prénom;email_topics'];
  for (let i = 0; i < n; i++) rows.push(`c${i}@example.fr;C${i};news`);
  const res = await t.call('POST', '/v1/contacts/import', rows.join('\n'), { headers: { 'content-type': 'text/csv' } });
  expect((await res.json()).created).toBe(n);
  const template = await t.json('POST', '/v1/templates', {
    name: 'T', channel: 'email', subject: 'Bonjour {{first_name}}',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{first_name}}</mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  return template.body.id as number;
}

async function campaign(t: TestApp, templateId: number) {
  const c = await t.json('POST', '/v1/campaigns', { name: 'C', channel: 'email', template_id: templateId, topic: 'news', audience: { all: true } });
  expect(c.status).toBe(201);
  return c.body.id as number;
}

describe('campaign life cycle', () => {
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
    templateId = await seed(t, 40);
  });
  afterAll(() => t.close());

  it('validates the template, topic and lists it names', async () => {
    const res = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'sms', template_id: templateId, topic: 'nope', audience: { list_ids: [999] } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.field).sort()).toEqual(['audience.list_ids', 'template_id', 'topic']);
  });

  it('cancels a draft, and a cancelled campaign cannot be launched', async () => {
    const id = await campaign(t, templateId);
    expect((await t.json('POST', `/v1/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
    expect((await t.json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(409);
  });

  it('cancelling while sending stops every message not yet handed over', async () => {
    sent = [];
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await campaign(t, templateId);
    expect((await t.json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(202);
    const cancelled = await t.json('POST', `/v1/campaigns/${id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    release();
    await t.deps.background.idle();
    const after = await t.json('GET', `/v1/campaigns/${id}`);
    // Only the first claimed batch (5) was already in the sender's hands.
    expect(sent.length).toBe(after.body.counts.sent);
    expect(after.body.counts.sent).toBeLessThanOrEqual(5);
    expect(after.body.counts.cancelled).toBe(40 - after.body.counts.sent - after.body.counts.sending);
  });

  it('two launches at once and extra concurrent senders send each message exactly once', async () => {
    sent = [];
    gate = Promise.resolve();
    const id = await campaign(t, templateId);
    const [a, b] = await Promise.all([t.json('POST', `/v1/campaigns/${id}/launch`), t.json('POST', `/v1/campaigns/${id}/launch`)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await Promise.all([sendCampaign(t.deps, id), sendCampaign(t.deps, id), sendCampaign(t.deps, id)]);
    await t.deps.background.idle();
    const done = await t.json('GET', `/v1/campaigns/${id}`);
    expect(done.body.status).toBe('sent');
    expect(done.body.counts).toMatchObject({ audience: 40, targeted: 40, sent: 40 });
    expect(sent.length).toBe(40);
    expect(new Set(sent).size).toBe(40);
  });

  it('an opt-out committed during sending prevents the messages not yet claimed', async () => {
    sent = [];
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await campaign(t, templateId);
    await t.json('POST', `/v1/campaigns/${id}/launch`);
    // c39 is in the last batch: unsubscribe them while the first batch is held.
    const c39 = (await t.json('GET', '/v1/contacts?email=c39@example.fr')).body.data[0];
    await t.json('PATCH', `/v1/contacts/${c39.id}`, { subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }] });
    release();
    await t.deps.background.idle();
    const done = await t.json('GET', `/v1/campaigns/${id}`);
    expect(sent).not.toContain('c39@example.fr');
    expect(done.body.counts).toMatchObject({ sent: 39, skipped: { unsubscribed: 1 } });
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
    const templateId = await seed(t, 3);
    const id = await campaign(t, templateId);
    await t.json('POST', `/v1/campaigns/${id}/launch`);
    await t.deps.background.idle();
    expect((await t.json('GET', `/v1/campaigns/${id}`)).body.counts).toMatchObject({ sent: 3, failed: 0 });
    const messages = await ses.messages();
    expect(messages.map((m) => m.to[0]).sort()).toEqual(['c0@example.fr', 'c1@example.fr', 'c2@example.fr']);
    const parsed = await PostalMime.parse(messages.find((m) => m.to[0] === 'c1@example.fr')!.raw);
    expect(parsed.subject).toBe('Bonjour C1');
    expect(parsed.from).toMatchObject({ name: 'La Boutique', address: 'news@shop.example' });
    expect(parsed.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    expect(parsed.text).toContain('Hi C1');
    expect(t.deps.db).toBeDefined();
    const rows = await t.deps.db.selectFrom('messages').select(['provider_message_id', 'status']).where('campaign_id', '=', id).execute();
    expect(rows.every((r) => r.status === 'sent' && r.provider_message_id)).toBe(true);
    expect(new Set(rows.map((r) => r.provider_message_id))).toEqual(new Set(messages.map((m) => m.messageId)));
  });
});
