// Opens and clicks over HTTP: a launched campaign's email carries rewritten links, a honeypot and a pixel; each hit
// is kept raw and classified; the redirect goes only where the message's link went.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSigningSecret, signHitToken } from '../../src/links/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BROWSER = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
const PROMO = 'https://shop.example/promo?c=1&x=2';
const NOW = new Date('2026-03-02T10:00:00.000Z');
let clock = NOW;

let t: TestApp;
const mails = new Map<string, string>();
const tokenOf = (url: string) => new URL(url).pathname;

/** The hits written so far: the endpoints queue them, and the writer flushes every few tens of milliseconds. */
async function hits() {
  await t.deps.hits.flush();
  return t.deps.db.selectFrom('tracking_hits').select(['kind', 'link_index', 'method', 'class', 'rule', 'ip_prefix', 'headers']).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  for (const email of ['ana@example.fr', 'ben@example.fr']) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const body = `<a href="${PROMO.replace('&', '&amp;')}">Promo</a> <a href="https://shop.example/">Boutique</a> `
    + '<a href="mailto:contact@example.fr">Écrire</a> <a href="{{preferences_url}}">Préférences</a> <a href="{{unsubscribe_url}}">Se désabonner</a>';
  const template = await createTemplate(t, 'email', { mjml: mjml(body) });
  await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    mails.set(mail.to![0].address!, mail.html ?? '');
  }
});
afterAll(() => t.close());

function links(html: string) {
  return [...html.matchAll(/<a\b[^>]*href="([^"]+)"[^>]*>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

describe('a tracked email', () => {
  it('rewrites its web links, keeps mailto, unsubscribe and preference links, and adds a honeypot and a pixel', () => {
    const all = links(mails.get('ana@example.fr')!);
    const publicUrl = 'https://mail.example.test';
    expect(all.map((u) => u.replace(/\/(t\/[co]|u|p)\/[^/?#"]+/, '/$1/TOKEN'))).toEqual([
      `${publicUrl}/t/c/TOKEN`, `${publicUrl}/t/c/TOKEN`, 'mailto:contact@example.fr', `${publicUrl}/p/TOKEN`, `${publicUrl}/u/TOKEN`,
      `${publicUrl}/t/c/TOKEN`,
    ]);
    expect(mails.get('ana@example.fr')).toMatch(/<img src="https:\/\/mail\.example\.test\/t\/o\/[^"]+" width="1" height="1" alt=""/);
    expect(mails.get('ana@example.fr')).not.toContain('shop.example');
  });

  it('a person opening it: the pixel answers a GIF, never cached, and a human open is kept with its rule', async () => {
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(mails.get('ana@example.fr')!)![1];
    clock = new Date(NOW.getTime() + 3600_000);
    const res = await t.app.request(tokenOf(pixel), { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    expect(new Uint8Array(await res.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode('GIF89a'));
    expect((await hits()).at(-1)).toMatchObject({ kind: 'open', method: 'GET', class: 'human', rule: 'default_human', link_index: null });
    // HEAD: a machine.
    expect((await t.app.request(tokenOf(pixel), { method: 'HEAD', headers: BROWSER })).status).toBe(200);
    expect((await hits()).at(-1)).toMatchObject({ kind: 'open', method: 'HEAD', class: 'machine', rule: 'head_request' });
  });

  it('a click redirects to the recorded URL only; the honeypot answers 204 and marks a machine', async () => {
    const [promo, shop, , , , honeypot] = links(mails.get('ben@example.fr')!);
    clock = new Date(NOW.getTime() + 2 * 3600_000);
    const res = await t.app.request(tokenOf(promo), { headers: BROWSER });
    expect([res.status, res.headers.get('location')]).toEqual([302, PROMO]);
    expect((await hits()).at(-1)).toMatchObject({ kind: 'click', link_index: 0, class: 'human', rule: 'default_human' });
    clock = new Date(NOW.getTime() + 3 * 3600_000);
    expect((await t.app.request(tokenOf(shop), { headers: BROWSER })).headers.get('location')).toBe('https://shop.example/');
    const trap = await t.app.request(tokenOf(honeypot), { headers: BROWSER });
    expect([trap.status, trap.headers.get('location')]).toEqual([204, null]);
    expect((await hits()).at(-1)).toMatchObject({ kind: 'click', link_index: 2, class: 'machine', rule: 'honeypot' });
  });

  it('two links of one message clicked within two seconds are a scanner', async () => {
    const [promo, shop] = links(mails.get('ana@example.fr')!);
    clock = new Date(NOW.getTime() + 5 * 3600_000);
    await t.app.request(tokenOf(promo), { headers: BROWSER });
    clock = new Date(clock.getTime() + 800);
    await t.app.request(tokenOf(shop), { headers: BROWSER });
    expect((await hits()).slice(-2).map((h) => [h.link_index, h.class, h.rule])).toEqual([[0, 'human', 'default_human'], [1, 'machine', 'link_burst']]);
  });

  it('a tampered, foreign or mismatched token is a 404 and records nothing', async () => {
    const before = (await hits()).length;
    const [promo] = links(mails.get('ana@example.fr')!);
    const path = tokenOf(promo);
    const flipped = path.slice(0, -2) + (path.at(-2) === 'A' ? 'B' : 'A') + path.at(-1);
    const publicId = (await t.deps.db.selectFrom('messages').select('public_id').executeTakeFirstOrThrow()).public_id!;
    const foreign = await signHitToken('another workspace secret', { kind: 'click', messageId: publicId, link: 0 });
    const secret = (await import('../../src/links/index.js')).getSigningSecret;
    const pastTheLinks = await signHitToken(await secret(t.deps.db), { kind: 'click', messageId: publicId, link: 7 });
    const asOpen = `/t/o/${path.split('/').at(-1)}`;
    for (const p of [flipped, `/t/c/${foreign}`, `/t/c/${pastTheLinks}`, asOpen, '/t/c/not-a-token', `/t/c/${'x'.repeat(400)}`]) {
      const res = await t.app.request(p, { headers: BROWSER });
      expect([p, res.status, res.headers.get('location')]).toEqual([p, 404, null]);
    }
    expect((await hits()).length).toBe(before);
  });

  it('the report shows every hit, human and machine side by side, unique per message, and clicks per link', async () => {
    const campaignId = Number((await t.deps.db.selectFrom('campaigns').select('id').orderBy('id').executeTakeFirstOrThrow()).id);
    await t.deps.hits.flush();
    const report = await t.json('GET', `/v1/campaigns/${campaignId}/report`);
    expect(report.status).toBe(200);
    // Ana: a GET and a HEAD of the pixel. Clicks: Ben's promo, shop and honeypot; Ana's promo and, 0.8 s later, shop.
    expect(report.body.engagement.opens).toEqual({ human: 1, machine: 1, unique_human: 1, unique_machine: 1 });
    expect(report.body.engagement.clicks).toEqual({
      human: 3, machine: 2, unique_human: 2, unique_machine: 2,
      by_link: [{ link: 0, url: PROMO, human: 2, machine: 0 }, { link: 1, url: 'https://shop.example/', human: 1, machine: 1 }],
    });
  });

  it('keeps the headers the rules read and an IP prefix, never the whole address or other headers', async () => {
    const row = (await hits()).at(-1)!;
    expect(Object.keys(row.headers as object).sort()).toEqual(['accept-language', 'sec-fetch-dest', 'sec-fetch-mode']);
    // In-process requests have no socket: no address to keep.
    expect(row.ip_prefix).toBeNull();
  });
});

describe('rotating the signing secret', () => {
  it('ends the tracking links sent before, and the new secret works at once though the old one was cached', async () => {
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(mails.get('ben@example.fr')!)![1];
    expect((await t.app.request(tokenOf(pixel), { headers: BROWSER })).status).toBe(200);
    expect((await t.json('POST', '/v1/settings/signing-secret/rotate')).status).toBeLessThan(300);
    expect((await t.app.request(tokenOf(pixel), { headers: BROWSER })).status).toBe(404);
    const publicId = (await t.deps.db.selectFrom('messages').select('public_id').executeTakeFirstOrThrow()).public_id!;
    const fresh = await signHitToken(await getSigningSecret(t.deps.db), { kind: 'open', messageId: publicId });
    expect((await t.app.request(`/t/o/${fresh}`, { headers: BROWSER })).status).toBe(200);
  });
});

describe('a campaign without the open pixel', () => {
  it('tracks its links but adds no pixel', async () => {
    await createContact(t, { email: 'cleo@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }] });
    const template = await createTemplate(t, 'email', { mjml: mjml('<a href="https://shop.example/x">x</a>') });
    const before = new Set((await t.outboxFiles('.eml')).map((f) => f.name));
    await launch(t, await createCampaign(t, { template_id: template, topic: 'news', track_opens: false }));
    const fresh = (await t.outboxFiles('.eml')).filter((f) => !before.has(f.name));
    expect(fresh).toHaveLength(3);
    for (const f of fresh) {
      const html = (await PostalMime.parse(f.content)).html ?? '';
      expect(html).not.toContain('/t/o/');
      expect(html).toContain('/t/c/');
    }
  });
});

describe('erasing a contact', () => {
  it('keeps their hits counted without the person, and deletes their links, so the redirects end', async () => {
    const ana = (await t.deps.db.selectFrom('contacts').select('id').where('email', '=', 'ana@example.fr').executeTakeFirstOrThrow()).id;
    const publicId = (await t.deps.db.selectFrom('messages').select('public_id').where('contact_id', '=', ana).executeTakeFirstOrThrow()).public_id!;
    const promo = `/t/c/${await signHitToken(await getSigningSecret(t.deps.db), { kind: 'click', messageId: publicId, link: 0 })}`;
    expect((await t.app.request(promo, { headers: BROWSER })).status).toBe(302);
    const before = (await hits()).length;
    expect((await t.call('DELETE', `/v1/contacts/${ana}`)).status).toBe(204);
    const left = await t.deps.db.selectFrom('tracking_hits').select(['contact_id', 'user_agent', 'ip_prefix', 'headers'])
      .where('message_id', 'in', t.deps.db.selectFrom('message_links').select('message_id').where('public_id', 'is not', null))
      .execute();
    expect(await t.deps.db.selectFrom('tracking_hits').select('id').where('contact_id', '=', ana).execute()).toEqual([]);
    expect((await hits()).length).toBe(before);
    expect(left.every((h) => h.contact_id !== ana)).toBe(true);
    const scrubbed = await t.deps.db.selectFrom('tracking_hits').select(['user_agent', 'ip_prefix', 'headers']).where('contact_id', 'is', null).execute();
    expect(scrubbed.length).toBeGreaterThan(0);
    expect(scrubbed.every((h) => h.user_agent === null && h.ip_prefix === null && JSON.stringify(h.headers) === '{}')).toBe(true);
    expect((await t.app.request(promo, { headers: BROWSER })).status).toBe(404);
  });
});
