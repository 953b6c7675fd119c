// The IP kept as consent proof comes from forwarding headers only through a proxy TRUSTED_PROXIES lists: over a real
// socket, a forged X-Forwarded-For is ignored unless the peer is trusted.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PostalMime from 'postal-mime';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const PEOPLE = ['a@example.fr', 'b@example.fr', 'c@example.fr', 'd@example.fr'];

interface Running {
  t: TestApp;
  server: ServerType;
  base: string;
  /** Each person's unsubscribe path, from the email the campaign sent them. */
  links: Map<string, string>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const t = await createTestApp(env);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  await createTopic(t, 'news');
  for (const email of PEOPLE) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const template = await createTemplate(t, 'email', { mjml: mjml('<a href="{{unsubscribe_url}}">Se désabonner</a>') });
  await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
  const links = new Map<string, string>();
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    links.set(mail.to![0].address!, new URL(/href="([^"]*\/u\/[^"]+)"/.exec(mail.html ?? '')![1]).pathname);
  }
  expect([...links.keys()].sort()).toEqual(PEOPLE);
  return { t, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, links };
}

/** Unsubscribes a new contact through its signed link with these headers; returns the IP its consent record keeps. */
async function unsubscribeIp({ t, base, links }: Running, email: string, headers: Record<string, string>) {
  const res = await fetch(`${base}${links.get(email)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'List-Unsubscribe=One-Click' });
  expect(res.status).toBe(200);
  const row = await t.deps.db
    .selectFrom('consent_records').innerJoin('contacts', 'contacts.id', 'consent_records.contact_id')
    .select(['ip', 'status']).where('contacts.email', '=', email).orderBy('consent_records.id', 'desc').executeTakeFirstOrThrow();
  expect(row.status).toBe('unsubscribed');
  return row.ip;
}

const FORGED = { 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '198.51.100.1', 'x-real-ip': '192.0.2.3' };

describe('forwarded client addresses', () => {
  let plain: Running;
  let proxied: Running;
  beforeAll(async () => {
    plain = await start({});
    proxied = await start({ TRUSTED_PROXIES: '127.0.0.1/32, 10.0.0.0/8' });
  });
  afterAll(async () => {
    for (const r of [plain, proxied]) {
      r.server.close();
      await r.t.close();
    }
  });

  it('without TRUSTED_PROXIES, keeps the socket peer and ignores every forwarding header', async () => {
    expect(await unsubscribeIp(plain, 'a@example.fr', FORGED)).toBe('127.0.0.1');
  });

  it('through a trusted proxy, keeps the first untrusted hop of X-Forwarded-For; CF-Connecting-IP is not read on Node', async () => {
    expect(await unsubscribeIp(proxied, 'b@example.fr', FORGED)).toBe('203.0.113.9');
    // The client forged a hop; the proxies appended the real one, then their own.
    expect(await unsubscribeIp(proxied, 'c@example.fr', { 'x-forwarded-for': '1.1.1.1, 203.0.113.10, 10.2.3.4' })).toBe('203.0.113.10');
    expect(await unsubscribeIp(proxied, 'd@example.fr', { 'cf-connecting-ip': '198.51.100.1' })).toBe('127.0.0.1');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or a range, at start', async () => {
    await expect(createTestApp({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal' })).rejects.toThrow(/TRUSTED_PROXIES.*proxy\.internal/s);
  });
});
