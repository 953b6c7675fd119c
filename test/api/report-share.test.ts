// The campaign report page behind an API key, and its share links: signed, expiring, opened with no key, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { getSigningSecret, signHitToken, signShareToken, verifyShareToken, verifyToken } from '../../src/links/index.js';
import { shareReportRoute } from '../../src/reporting/index.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

const NOW = new Date('2026-11-03T09:00:00.000Z');
const DAY = 86_400_000;
let clock = NOW;
let t: TestApp;
let campaignId: number;
const NAME = 'Lettre d’automne <N°3>';

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name: 'host' }, json: { type: 'boolean' } }), 201);
  const people = [
    { email: 'ana@example.fr', locale: 'fr', attributes: { host: true } },
    { email: 'ben@example.fr', locale: 'fr' },
    { email: 'cleo@example.ca', locale: 'en-CA', attributes: { host: false } },
  ];
  for (const p of people) await createContact(t, { ...p, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const template = await createTemplate(t, 'email');
  campaignId = await createCampaign(t, { name: NAME, template_id: template, topic: 'news' });
  await launch(t, campaignId);
});
afterAll(() => t.close());

const share = (json: Record<string, unknown> | undefined, key = t.keys.analyst, id = campaignId) =>
  t.call('POST', `/v1/campaigns/${id}/report/share`, json, { key });
const pathOf = (url: string) => new URL(url).pathname;
const open = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

describe('POST /v1/campaigns/{id}/report/share', () => {
  it('gives an analyst a link to the page, for 30 days by default, and audits it without the link', async () => {
    const res = await share(undefined);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.url).toMatch(/^https:\/\/mail\.example\.test\/reports\/shared\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(body.expires_at).toBe(new Date(NOW.getTime() + 30 * DAY).toISOString());
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details', 'occurred_at']).where('action', '=', 'report.shared').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'analyst', subject: `campaign:${campaignId}` });
    expect(audit[0].details).toEqual({ expires_at: body.expires_at, lang: null, actor_key_id: t.keyIds.analyst });
    expect(JSON.stringify(audit[0])).not.toContain(body.url.split('/').at(-1));
  });

  it('takes a duration of 1 to 90 days and a language, through the typed contract too', async () => {
    const res = expectStatus(await t.api(shareReportRoute, { param: { id: campaignId }, json: { expires_in_days: 7, lang: 'en' }, key: t.keys.marketer }), 201);
    expect(res.expires_at).toBe('2026-11-10T09:00:00.000Z');
    for (const json of [{ expires_in_days: 0 }, { expires_in_days: 91 }, { expires_in_days: 1.5 }, { lang: 'de' }, { other: 1 }]) {
      const bad = await share(json);
      expect([JSON.stringify(json), bad.status]).toEqual([JSON.stringify(json), 422]);
      expect(errorFields(await bad.json()).length).toBeGreaterThan(0);
    }
  });

  it('404 for an unknown campaign, 401 without a key', async () => {
    expect((await share({}, t.keys.analyst, 999_999)).status).toBe(404);
    expect((await t.app.request(`/v1/campaigns/${campaignId}/report/share`, { method: 'POST' })).status).toBe(401);
  });
});

describe('GET /reports/shared/{token}', () => {
  it('opens the page with no key: the campaign, its numbers, and headers that keep it private', async () => {
    const { url, expires_at } = await (await share({ expires_in_days: 2 })).json();
    const res = await open(pathOf(url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    // The name is escaped; French typography before the colon.
    expect(html).toContain('<h1>Rapport\u00a0: Lettre d’automne &lt;N°3&gt;</h1>');
    // Three sent and delivered, nothing opened yet: the funnel's table has the numbers, the series has no data.
    expect(html).toMatch(/<th scope="row">Envoyés<\/th><td>3<\/td><td><\/td>/);
    expect(html).toMatch(/<th scope="row">Délivrés<\/th><td>3<\/td><td>100\u00a0%<\/td>/);
    expect(html).toContain('Pas encore de données.');
    expect(expires_at).toBe('2026-11-05T09:00:00.000Z');
    expect(html).toContain('Lien de partage valable jusqu’au 5 novembre 2026 à 09\u00a0h\u00a000 UTC.');
    expect(html).toContain('Lancée le 3 novembre 2026 à 09\u00a0h\u00a000 UTC');
    expect(html).not.toMatch(/NaN|undefined|<script/);
  });

  it('speaks the link’s language, then ?lang=, then the browser’s', async () => {
    const en = await (await share({ lang: 'en' })).json();
    expect(await (await open(pathOf(en.url))).text()).toContain('<h1>Report: Lettre d’automne &lt;N°3&gt;</h1>');
    expect(await (await open(`${pathOf(en.url)}?lang=fr`)).text()).toContain('<html lang="fr">');
    const any = await (await share({})).json();
    expect(await (await open(pathOf(any.url), { 'accept-language': 'de-DE,en-GB;q=0.9,fr;q=0.8' })).text()).toContain('<html lang="en">');
    expect(await (await open(pathOf(any.url), { 'accept-language': 'en;q=0.5,fr-CA' })).text()).toContain('<html lang="fr">');
    expect(await (await open(`${pathOf(any.url)}?lang=xx`, { 'accept-language': 'en' })).text()).toContain('<html lang="en">');
  });

  it('a tampered, foreign, other-purpose or expired token is the invalid link page (404), never a 500', async () => {
    const { url } = await (await share({ expires_in_days: 1 })).json();
    const path = pathOf(url);
    const token = path.split('/').at(-1)!;
    const secret = await getSigningSecret(t.deps.db);
    const flipped = path.slice(0, -2) + (path.at(-2) === 'A' ? 'B' : 'A') + path.at(-1);
    const foreign = await signShareToken('another workspace secret', { campaignId, expiresAt: new Date(NOW.getTime() + DAY) });
    const pixel = await signHitToken(secret, { kind: 'open', messageId: 'abcdefgh12345678' });
    const gone = await signShareToken(secret, { campaignId: 999_999, expiresAt: new Date(NOW.getTime() + DAY) });
    for (const p of [flipped, `/reports/shared/${foreign}`, `/reports/shared/${pixel}`, `/reports/shared/${gone}`, '/reports/shared/x', `/reports/shared/${token}.x`, `/reports/shared/${'a'.repeat(400)}`]) {
      const res = await open(p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(await res.text()).toContain('<h1>Lien invalide</h1>');
    }
    // Valid up to its last second, then not.
    clock = new Date(NOW.getTime() + DAY - 1000);
    expect((await open(path)).status).toBe(200);
    clock = new Date(NOW.getTime() + DAY);
    const expired = await open(path, { 'accept-language': 'en' });
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain('<h1>Invalid link</h1>');
    clock = NOW;
  });

  it('ends with a rotation of the signing secret', async () => {
    const { url } = await (await share({})).json();
    expect((await open(pathOf(url))).status).toBe(200);
    expect((await t.json('POST', '/v1/settings/signing-secret/rotate')).status).toBe(204);
    expect((await open(pathOf(url))).status).toBe(404);
  });
});

describe('GET /reports/campaigns/{id}', () => {
  it('401 without a key or with an unknown one; the page for any key, an analyst’s included', async () => {
    const path = `/reports/campaigns/${campaignId}`;
    const none = await open(path);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await open(path, { authorization: 'Bearer nope' })).status).toBe(401);
    const res = await open(path, { authorization: `Bearer ${t.keys.analyst}`, 'accept-language': 'en-CA,en;q=0.9' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Report: Lettre d’automne &lt;N°3&gt;</h1>');
    expect(html).toMatch(/<th scope="row">Sent<\/th><td>3<\/td>/);
    // No share notice on the keyed page.
    expect(html).not.toContain('Share link valid until');
  });

  it('breaks down by a declared attribute with ?by=, and says so when the attribute is not declared', async () => {
    const key = { authorization: `Bearer ${t.keys.analyst}` };
    const by = await (await open(`/reports/campaigns/${campaignId}?by=host&lang=en`, key)).text();
    // Ana true, Cléo false, Ben has none; largest group first, then by value (no value last).
    expect(by).toContain('<caption>By “host”</caption>');
    const rows = [...by.matchAll(/<table id="by-attribute"[^>]*>.*?<\/table>/gs)][0][0];
    expect([...rows.matchAll(/<th scope="row">([^<]*)<\/th><td>(\d+)<\/td>/g)].map((m) => [m[1], m[2]])).toEqual([['false', '1'], ['true', '1'], ['(not set)', '1']]);
    const unknown = await open(`/reports/campaigns/${campaignId}?by=nope`, key);
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain('«\u00a0nope\u00a0» n’est pas un attribut déclaré');
  });

  it('404 for an unknown or malformed id', async () => {
    const key = { authorization: `Bearer ${t.keys.analyst}` };
    for (const id of ['999999', 'abc', '0', '1e3']) expect([id, (await open(`/reports/campaigns/${id}`, key)).status]).toEqual([id, 404]);
  });

  it('is in the OpenAPI document, with the share route', async () => {
    const doc = (await t.json('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/reports/campaigns/{id}', '/reports/shared/{token}', '/v1/campaigns/{id}/report/share']));
  });
});

describe('share tokens', () => {
  it('carry the campaign, the expiry in whole seconds and the language, and nothing else verifies as one', async () => {
    const expiresAt = new Date('2026-12-01T10:00:00.750Z');
    const token = await signShareToken('s3cret', { campaignId: 42, expiresAt, lang: 'en' });
    expect(await verifyShareToken('s3cret', token, NOW)).toEqual({ campaignId: 42, expiresAt: new Date('2026-12-01T10:00:00.000Z'), lang: 'en' });
    expect(await verifyShareToken('s3cret', token, new Date('2026-12-01T10:00:00.000Z'))).toBeUndefined();
    expect(await verifyShareToken('other', token, NOW)).toBeUndefined();
    expect(await verifyToken('s3cret', token, 'preferences')).toBeUndefined();
    const plain = await signShareToken('s3cret', { campaignId: 7, expiresAt });
    expect(await verifyShareToken('s3cret', plain, NOW)).toEqual({ campaignId: 7, expiresAt: new Date('2026-12-01T10:00:00.000Z') });
  });
});
