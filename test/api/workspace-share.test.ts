// The workspace report page behind an API key, and its share links: signed, expiring, carrying the period and the
// channel, opened with no key, audited. The numbers drawn are checked in Chromium (test/browser/workspace-page.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSigningSecret, signShareToken, signWorkspaceShareToken, verifyShareToken, verifyWorkspaceShareToken } from '../../src/links/index.js';
import { shareWorkspaceReportRoute } from '../../src/reporting/index.js';
import { WorkspaceReportPage } from '../../src/reporting/workspace.page.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

const LAUNCH = new Date('2026-11-03T09:00:00.000Z');
const NOW = new Date('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;
const NBSP = '\u00a0';
let clock = LAUNCH;
let t: TestApp;
const NAME = 'Lettre de novembre <N°4>';

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
  await createTopic(t, 'news');
  for (const email of ['ana@example.fr', 'ben@example.fr', 'cleo@example.ca']) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const template = await createTemplate(t, 'email');
  await launch(t, await createCampaign(t, { name: NAME, template_id: template, topic: 'news' }));
  clock = NOW;
});
afterAll(() => t.close());

const share = (json: Record<string, unknown> | undefined, key = t.keys.analyst) => t.call('POST', '/v1/reports/workspace/share', json, { key });
const pathOf = (url: string) => new URL(url).pathname;
const open = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });
const keyed = (query = '', headers: Record<string, string> = {}) => open(`/reports/workspace${query}`, { authorization: `Bearer ${t.keys.analyst}`, ...headers });
/** The rows of a table of the page, by its id: each row's cells as text. */
const rowsOf = (html: string, id: string) => {
  const table = new RegExp(`<table id="${id}"[^>]*>.*?</table>`, 's').exec(html)?.[0] ?? '';
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((r) => [...r[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => c[1].replace(/<[^>]+>/g, '')));
};

function expectPrivate(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(res.headers.get('x-robots-tag')).toBe('noindex');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

describe('GET /reports/workspace', () => {
  it('401 without a key or with an unknown one; the page for any key, an analyst’s included', async () => {
    const none = await open('/reports/workspace');
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await open('/reports/workspace', { authorization: 'Bearer nope' })).status).toBe(401);
    const res = await keyed('?from=2026-11-01&to=2026-11-15', { 'accept-language': 'en-CA,en;q=0.9' });
    expect(res.status).toBe(200);
    expectPrivate(res);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Workspace report</h1>');
    expect(html).toContain('November 1, 2026 to November 14, 2026 (UTC) · Channel: all');
    // The name is escaped; three sent, delivered, nobody opened yet.
    expect(rowsOf(html, 'campaigns')).toEqual([[
      'Lettre de novembre &lt;N°4&gt;', 'Email', 'Nov 3, 2026, 09:00', '3', '3', '0', '0', '0', '0', '0%', '0%', '0%',
    ]]);
    expect(rowsOf(html, 'deliverability').map((r) => r.slice(1, 3))).toEqual([['OK', '0%'], ['OK', '0%']]);
    expect(html).not.toContain('Share link valid until');
    expect(html).not.toMatch(/NaN|undefined|<script/);
  });

  it('narrows to a channel, and speaks French by default', async () => {
    const html = await (await keyed('?from=2026-11-01&to=2026-11-15&channel=sms')).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(`Du 1 novembre 2026 au 14 novembre 2026 (UTC) · Canal${NBSP}: SMS`);
    expect(html).toContain('Aucune campagne n’a été lancée sur cette période.');
    expect(html).toContain('La délivrabilité ne se mesure que pour l’e-mail.');
    // A period of instants is written as such.
    const instants = await (await keyed(`?from=${encodeURIComponent('2026-11-03T10:30:00+01:00')}&to=2026-11-04&lang=en`)).text();
    expect(instants).toContain('From November 3, 2026 at 9:30 a.m. up to November 4, 2026 at 12:00 a.m. UTC · Channel: all');
  });

  it('says what in the query it cannot use, and shows the last 30 days or every channel instead', async () => {
    // The default period is 30 days up to now: instants, not whole days.
    const last30 = `Du 21 octobre 2026 à 12${NBSP}h${NBSP}00 jusqu’au 20 novembre 2026 à 12${NBSP}h${NBSP}00 UTC · Canal${NBSP}: tous`;
    const cases: Array<[string, string, string]> = [
      ['?from=2026-02-30', last30, `«${NBSP}from=2026-02-30${NBSP}» n’est ni une date`],
      ['?from=2026-11-15&to=2026-11-01', last30, 'La période demandée doit finir après son début et durer au plus 366 jours.'],
      ['?from=2020-01-01', last30, 'La période demandée doit finir après son début'],
      ['?to=nope&lang=en', 'From October 21, 2026 at 12:00 p.m. up to November 20, 2026 at 12:00 p.m. UTC', '“to=nope” is neither a date'],
      ['?from=2026-11-01&to=2026-11-15&channel=fax', `Du 1 novembre 2026 au 14 novembre 2026 (UTC) · Canal${NBSP}: tous`, `«${NBSP}fax${NBSP}» n’est pas un canal d’envoi de campagnes`],
    ];
    for (const [query, period, notice] of cases) {
      const res = await keyed(query);
      expect([query, res.status]).toEqual([query, 200]);
      const html = await res.text();
      expect(html, query).toContain(period);
      expect(html, query).toContain('class="notice warning"');
      expect(html, query).toContain(notice);
    }
    expect(await (await keyed('?channel=fax')).text()).toContain('tous les canaux sont affichés.');
    // Nothing is said when the query is fine.
    expect(await (await keyed('?from=2026-11-01')).text()).not.toContain('class="notice warning"');
  });

  it('is in the OpenAPI document, with the share route', async () => {
    const doc = (await t.json('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/reports/workspace', '/reports/workspace/shared/{token}', '/v1/reports/workspace/share']));
  });
});

describe('the page, with more campaigns than it draws', () => {
  it('draws the 20 newest, lists those the report lists, and says so; a long name is cut on the chart only', async () => {
    const report = (await t.json('GET', '/v1/reports/workspace?from=2026-11-01&to=2026-11-15')).body;
    const [item] = report.campaigns.items;
    const long = `${'Une campagne au nom très long, '.repeat(3)}vraiment`;
    const items = Array.from({ length: 25 }, (_, k) => ({
      ...item, id: k + 1, name: k === 0 ? long : `Campagne ${k + 1}`, delivered: 100, opened: 50 - k, clicked: k + 1, rates: { ...item.rates, open: (50 - k) / 100, click: (k + 1) / 100 },
    }));
    const html = String(await WorkspaceReportPage({ lang: 'en', brand: { name: 'Relais', color: '#1d4f91' }, report: { ...report, campaigns: { total: 130, items } }, now: NOW }));
    expect(rowsOf(html, 'campaigns')).toHaveLength(25);
    expect(html).toContain('The 25 newest of the 130 campaigns launched are listed.');
    expect(html).toContain('The charts draw the 20 newest campaigns; the table lists all 25.');
    for (const chart of ['open-rates', 'click-rates']) {
      const svg = new RegExp(`<svg id="${chart}".*?</svg>`, 's').exec(html)![0];
      expect([chart, [...svg.matchAll(/<rect /g)].length]).toEqual([chart, 20]);
      expect(svg).toContain(`<text x="0" y="18" fill="#1f2937">${long.slice(0, 39)}…</text>`);
    }
    expect(rowsOf(html, 'campaigns')[0][0]).toBe(long);
    expect(html).toContain('>20 · 20 of 100</text>');
  });
});

describe('POST /v1/reports/workspace/share', () => {
  it('gives an analyst a link for 30 days by default, and audits it (the period and channel, not the link)', async () => {
    const res = await share({ from: '2026-11-01', to: '2026-11-15', channel: 'email' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.url).toMatch(/^https:\/\/mail\.example\.test\/reports\/workspace\/shared\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(body.expires_at).toBe(new Date(NOW.getTime() + 30 * DAY).toISOString());
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('subject', '=', 'workspace').execute();
    expect(audit).toEqual([{
      actor: 'analyst', action: 'report.shared', subject: 'workspace',
      details: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z', channel: 'email', expires_at: body.expires_at, lang: null, actor_key_id: t.keyIds.analyst },
    }]);
    expect(JSON.stringify(audit)).not.toContain(body.url.split('/').at(-1));
  });

  it('takes a period, a channel, a duration of 1 to 90 days and a language, through the typed contract too; 422 for the rest', async () => {
    const res = expectStatus(await t.api(shareWorkspaceReportRoute, { json: { expires_in_days: 7, lang: 'en' }, key: t.keys.marketer }), 201);
    expect(res.expires_at).toBe('2026-11-27T12:00:00.000Z');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ expires_in_days: 0 }, 'expires_in_days'], [{ expires_in_days: 91 }, 'expires_in_days'], [{ lang: 'de' }, 'lang'], [{ other: 1 }, 'other'],
      [{ from: '2026-02-30' }, 'from'], [{ channel: 'fax' }, 'channel'],
      // The period is checked as the report checks it.
      [{ from: '2026-11-15', to: '2026-11-01' }, 'to'], [{ from: '2025-01-01', to: '2026-01-03' }, 'to'], [{ from: '2026-12-01' }, 'from'],
    ];
    for (const [json, field] of bad) {
      const answer = await share(json);
      expect([JSON.stringify(json), answer.status]).toEqual([JSON.stringify(json), 422]);
      expect(errorFields(await answer.json())).toContain(field);
    }
  });

  it('401 without a key', async () => {
    expect((await t.app.request('/v1/reports/workspace/share', { method: 'POST' })).status).toBe(401);
  });
});

describe('GET /reports/workspace/shared/{token}', () => {
  it('opens the page with no key, over the period and channel of the link, with headers that keep it private', async () => {
    const { url, expires_at } = await (await share({ from: '2026-11-01', to: '2026-11-15', expires_in_days: 2 })).json();
    const res = await open(pathOf(url));
    expect(res.status).toBe(200);
    expectPrivate(res);
    const html = await res.text();
    expect(html).toContain('<h1>Rapport de l’espace de travail</h1>');
    expect(html).toContain(`Du 1 novembre 2026 au 14 novembre 2026 (UTC) · Canal${NBSP}: tous`);
    expect(expires_at).toBe('2026-11-22T12:00:00.000Z');
    expect(html).toContain(`Lien de partage valable jusqu’au 22 novembre 2026 à 12${NBSP}h${NBSP}00 UTC.`);
    expect(rowsOf(html, 'campaigns').map((r) => r.slice(0, 4))).toEqual([['Lettre de novembre &lt;N°4&gt;', 'E-mail', `3 nov. 2026 09${NBSP}h${NBSP}00`, '3']]);
    // The link shows its own period and channel: the query cannot widen it.
    const widened = await (await open(`${pathOf(url)}?from=2020-01-01&to=2020-12-31&channel=sms`)).text();
    expect(widened).toContain(`Du 1 novembre 2026 au 14 novembre 2026 (UTC) · Canal${NBSP}: tous`);
    expect(widened).not.toContain('class="notice warning"');
  });

  it('shows the period resolved when it was shared, not one that moves with the days', async () => {
    const { url } = await (await share({ channel: 'sms', lang: 'en' })).json();
    clock = new Date(NOW.getTime() + 5 * DAY);
    const html = await (await open(pathOf(url))).text();
    expect(html).toContain('From October 21, 2026 at 12:00 p.m. up to November 20, 2026 at 12:00 p.m. UTC · Channel: SMS');
    clock = NOW;
  });

  it('speaks the link’s language, then ?lang=, then the browser’s', async () => {
    const en = await (await share({ lang: 'en' })).json();
    expect(await (await open(pathOf(en.url))).text()).toContain('<h1>Workspace report</h1>');
    expect(await (await open(`${pathOf(en.url)}?lang=fr`)).text()).toContain('<html lang="fr">');
    const any = await (await share({})).json();
    expect(await (await open(pathOf(any.url), { 'accept-language': 'de-DE,en-GB;q=0.9,fr;q=0.8' })).text()).toContain('<html lang="en">');
  });

  it('a tampered, foreign, other-purpose or expired token is the invalid link page (404)', async () => {
    const { url } = await (await share({ expires_in_days: 1 })).json();
    const path = pathOf(url);
    const token = path.split('/').at(-1)!;
    const secret = await getSigningSecret(t.deps.db);
    const claims = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-15T00:00:00Z'), expiresAt: new Date(NOW.getTime() + DAY) };
    const flipped = path.slice(0, -2) + (path.at(-2) === 'A' ? 'B' : 'A') + path.at(-1);
    const foreign = await signWorkspaceShareToken('another workspace secret', claims);
    const campaignShare = await signShareToken(secret, { campaignId: 1, expiresAt: claims.expiresAt });
    const fax = await signWorkspaceShareToken(secret, { ...claims, channel: 'fax' });
    for (const p of [
      flipped, `/reports/workspace/shared/${foreign}`, `/reports/workspace/shared/${campaignShare}`, `/reports/workspace/shared/${fax}`,
      '/reports/workspace/shared/x', `/reports/workspace/shared/${token}.x`, `/reports/workspace/shared/${'a'.repeat(400)}`,
    ]) {
      const res = await open(p);
      expect([p, res.status]).toEqual([p, 404]);
      expectPrivate(res);
      expect(await res.text()).toContain('<h1>Lien invalide</h1>');
    }
    // A workspace token does not open the campaign page either.
    expect((await open(`/reports/shared/${token}`)).status).toBe(404);
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

describe('workspace share tokens', () => {
  it('carry the period to the millisecond, the channel, the expiry in whole seconds and the language, and nothing else verifies as one', async () => {
    const claims = { from: new Date('1969-12-31T23:59:59.250Z'), to: new Date('1970-06-01T00:00:00.000Z'), channel: 'email', expiresAt: new Date('2026-12-01T10:00:00.750Z'), lang: 'en' as const };
    const token = await signWorkspaceShareToken('s3cret', claims);
    expect(await verifyWorkspaceShareToken('s3cret', token, NOW)).toEqual({ ...claims, expiresAt: new Date('2026-12-01T10:00:00.000Z') });
    expect(await verifyWorkspaceShareToken('s3cret', token, new Date('2026-12-01T10:00:00.000Z'))).toBeUndefined();
    expect(await verifyWorkspaceShareToken('other', token, NOW)).toBeUndefined();
    expect(await verifyShareToken('s3cret', token, NOW)).toBeUndefined();
    const plain = await signWorkspaceShareToken('s3cret', { from: claims.to, to: NOW, expiresAt: claims.expiresAt });
    expect(await verifyWorkspaceShareToken('s3cret', plain, NOW)).toEqual({ from: claims.to, to: NOW, expiresAt: new Date('2026-12-01T10:00:00.000Z') });
  });
});
