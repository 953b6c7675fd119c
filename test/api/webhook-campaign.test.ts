// A webhook campaign: an endpoint created through the API (its URL checked, its secret shown once), a text template,
// and one signed POST per consenting recipient, carrying the rendered text, the endpoint's contact fields and the
// campaign. The receiver checks each signature as Standard Webhooks receivers do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/channels/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

let t: TestApp;
let server: Server;
let url: string;
const received: Array<{ headers: Record<string, string>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  url = `http://127.0.0.1:${port}/hooks/relais`;
  // The receiver is on this machine: allowed for tests only.
  t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  await createTopic(t, 'news');
});
afterAll(async () => {
  await t?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('webhook endpoints', () => {
  it('refuses a private, loopback or plain-http URL unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await createTestApp({});
    try {
      for (const bad of ['http://hooks.example/x', 'https://127.0.0.1/x', 'https://10.0.0.8/x', 'https://localhost/x', 'https://169.254.169.254/latest']) {
        const res = await strict.json('POST', '/v1/webhook-endpoints', { name: 'x', url: bad });
        expect(res.status, bad).toBe(422);
        expect(res.body.error.details[0].field).toBe('url');
      }
      const ok = await strict.json('POST', '/v1/webhook-endpoints', { name: 'x', url: 'https://hooks.shop.example/relais' });
      expect(ok.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('a webhook campaign', () => {
  let endpoint: { id: number; secret: string };
  let campaignId: number;
  const people: Record<string, number> = {};

  beforeAll(async () => {
    // Where contacts' data goes: an admin's choice.
    expect((await t.json('POST', '/v1/webhook-endpoints', { name: 'App', url }, { key: t.keys.marketer })).status).toBe(403);
    const created = await t.json('POST', '/v1/webhook-endpoints', { name: 'App', url, fields: ['external_id', 'first_name'] });
    expect(created.status).toBe(201);
    endpoint = created.body;
    for (const [name, status] of [['Ana', 'subscribed'], ['Ben', 'subscribed'], ['Chloé', 'unsubscribed']] as const) {
      const c = await createContact(t, { email: `${name.toLowerCase()}@example.fr`, first_name: name, external_id: `crm-${name}`, subscriptions: [{ channel: 'webhook', topic: 'news', status }] });
      people[name] = c.id;
    }
    // {{email}} is not among the endpoint's fields: it renders empty, in the text as in the payload.
    const template = await createTemplate(t, 'sms', { name: 'Push', channel: 'webhook', text: 'Bonjour {{first_name}} ({{email}}), -20 % ce week-end' });
    const res = await t.json('POST', '/v1/campaigns', { name: 'Promo app', channel: 'webhook', template_id: template, topic: 'news', audience: { all: true }, endpoint_id: endpoint.id });
    expect(res.status).toBe(201);
    expect(res.body.endpoint_id).toBe(endpoint.id);
    campaignId = res.body.id;
  });

  it('answers the secret once, then never again', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const read = await t.json('GET', `/v1/webhook-endpoints/${endpoint.id}`);
    expect(read.body).toEqual({ id: endpoint.id, name: 'App', url, fields: ['id', 'external_id', 'first_name'], created_at: expect.any(String) });
    const list = await t.json('GET', '/v1/webhook-endpoints');
    expect(list.body.data).toEqual([read.body]);
  });

  it('needs its endpoint, and no other campaign takes one', async () => {
    const template = await createTemplate(t, 'sms', { name: 'Push 2', channel: 'webhook', text: 'x' });
    const without = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'webhook', template_id: template, topic: 'news', audience: { all: true } });
    expect(without.status).toBe(422);
    expect(without.body.error.details).toContainEqual({ field: 'endpoint_id', message: 'a webhook campaign names the endpoint it posts to' });
    const unknown = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'webhook', template_id: template, topic: 'news', audience: { all: true }, endpoint_id: 999 });
    expect(unknown.body.error.details).toContainEqual({ field: 'endpoint_id', message: 'webhook endpoint 999 does not exist' });
    const transactional = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'webhook', kind: 'transactional', template_id: template, topic: 'news', audience: { all: true }, endpoint_id: endpoint.id });
    expect(transactional.status).toBe(422);
    expect(transactional.body.error.details).toEqual([{ field: 'kind', message: 'webhook campaigns are marketing: each recipient consents to the topic' }]);
    const email = await createTemplate(t, 'email');
    const other = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'email', template_id: email, topic: 'news', audience: { all: true }, endpoint_id: endpoint.id });
    expect(other.body.error.details).toContainEqual({ field: 'endpoint_id', message: 'only webhook campaigns post to an endpoint, not email ones' });
  });

  it('posts one signed message per consenting recipient, with their text, the endpoint\'s fields and the campaign', async () => {
    const campaign = await launch(t, campaignId);
    expect(campaign.status).toBe('sent');
    expect(campaign.counts).toMatchObject({ sent: 2, skipped: { unsubscribed: 1 } });
    expect(received).toHaveLength(2);
    const recipients = (await t.json('GET', `/v1/campaigns/${campaignId}/recipients`)).body.data as Array<{ contact_id: number; message_id: string; state: string }>;
    const messageOf = Object.fromEntries(recipients.map((r) => [r.contact_id, r.message_id]));
    const bodies = received.map((r) => {
      expect(verifyWebhook(endpoint.secret, r.headers, r.body, new Date())).toBe(true);
      return { id: r.headers['webhook-id'], payload: JSON.parse(r.body) };
    }).sort((a, b) => a.payload.contact.id - b.payload.contact.id);
    expect(bodies).toEqual(['Ana', 'Ben'].map((name) => ({
      id: messageOf[people[name]],
      payload: {
        type: 'message',
        message: { id: messageOf[people[name]], text: `Bonjour ${name} (), -20 % ce week-end`, unsubscribe_url: expect.stringMatching(/\/u\/[\w.-]+$/) },
        contact: { id: people[name], external_id: `crm-${name}`, first_name: name },
        campaign: { id: campaignId, name: 'Promo app' },
      },
    })));
  });

  it('keeps its endpoint while the campaign names it', async () => {
    expect((await t.json('DELETE', `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(409);
  });

  it('rotates a leaked secret: the new one signs, the old one no longer verifies', async () => {
    expect((await t.json('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { rotate_secret: true }, { key: t.keys.marketer })).status).toBe(403);
    const bad = await t.json('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { url: 'ftp://x.example/' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ field: 'url', message: 'https only' }]);
    const rotated = await t.json('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { rotate_secret: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const renamed = await t.json('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { name: 'App v2' });
    expect(renamed.body).toEqual({ id: endpoint.id, name: 'App v2', url, fields: ['id', 'external_id', 'first_name'], created_at: expect.any(String) });

    // A second campaign to the same endpoint: its messages are signed with the new secret only.
    const before = received.length;
    await createContact(t, { email: 'dan@example.fr', first_name: 'Dan', subscriptions: [{ channel: 'webhook', topic: 'news' }] });
    const template = await createTemplate(t, 'sms', { name: 'Push 3', channel: 'webhook', text: 'Re {{first_name}}' });
    const res = await t.json('POST', '/v1/campaigns', { name: 'Again', channel: 'webhook', template_id: template, topic: 'news', audience: { all: true }, endpoint_id: endpoint.id });
    await launch(t, res.body.id);
    const fresh = received.slice(before);
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fresh) {
      expect(verifyWebhook(rotated.body.secret, r.headers, r.body, new Date())).toBe(true);
      expect(verifyWebhook(endpoint.secret, r.headers, r.body, new Date())).toBe(false);
    }
  });
});
