// The campaign report page in Chromium, on a campaign seeded the way it happens: 32 contacts, an email campaign
// launched to them, then opens and clicks made by really requesting the tracking URLs of the emails sent, people with
// a browser's headers, Apple Mail Privacy Protection with `Mozilla/5.0` from Apple's network, a link checker with
// HEAD, all at controlled times. The expected numbers are worked out here from what the test did; the page must print
// exactly those, in French and in English, with JavaScript off too, and axe-core must find no serious problem.
// Screenshots go to test/browser/screenshots/ (not committed) to be looked at.
import { serve, type ServerType } from '@hono/node-server';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { expectStatus } from '../support/api.js';
import { axeSource as loadAxe, seriousViolations } from '../support/axe.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { browserTestsRun, launchChromium } from '../support/browser.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const HOUR = 3_600_000;
const MINUTE = 60_000;
const LAUNCH = new Date('2026-11-03T09:00:00.000Z');
/** When the report is read: the day after, past the last hit. */
const READ_AT = new Date('2026-11-04T12:00:00.000Z');
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PERSON = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none' };
/** Apple Mail Privacy Protection: exactly this user agent, from Apple's 17.0.0.0/8 (through the trusted proxy). */
const APPLE = { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '17.58.63.10' };
const LINKS = ['https://shop.example/promo', 'https://shop.example/', 'https://blog.example/automne'];
const NBSP = '\u00a0';

/** What the test did, one line per request, with the class the tracking rules must give it. */
interface Hit { contact: number; kind: 'open' | 'click'; human: boolean; at: Date; link?: number }

describe.runIf(browserTestsRun)('the campaign report page in Chromium', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let axeSource: string;
  let clock = LAUNCH;
  let campaignId: number;
  let sharedPath: string;
  const hits: Hit[] = [];
  /** Contact index → the contact's locale and host attribute, for those the campaign reached. */
  const sent = new Map<number, { locale: string; host?: boolean }>();
  const mails = new Map<number, string>();

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req, env) => t.app.fetch(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The test talks to the server from 127.0.0.1: as a trusted proxy, its X-Forwarded-For names the client.
    t = await createTestApp({ PUBLIC_URL: base, BRAND_NAME: 'Arts de la Table', BRAND_COLOR: '#f2a900', TRUSTED_PROXIES: '127.0.0.1' }, { clock: () => clock });
    axeSource = await loadAxe();

    await createTopic(t, 'news', { name: 'La lettre' });
    expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name: 'host' }, json: { type: 'boolean' } }), 201);
    // 32 contacts: the first two unsubscribed (held back), one in five English-speaking, a third of them hosts.
    for (let i = 0; i < 32; i++) {
      const locale = i % 5 === 4 ? 'en-CA' : 'fr';
      const host = i % 3 === 0 ? true : i % 3 === 1 ? false : undefined;
      await createContact(t, {
        email: `client${i}@example.fr`, first_name: `Client ${i}`, locale, ...(host === undefined ? {} : { attributes: { host } }),
        subscriptions: [{ channel: 'email', topic: 'news', ...(i < 2 ? { status: 'unsubscribed' as const } : {}) }],
      });
      if (i >= 2) sent.set(i, { locale, host });
    }
    const body = (words: string[]) => mjml(LINKS.map((url, k) => `<a href="${url}">${words[k]}</a>`).join(' ') + ' <a href="{{unsubscribe_url}}">u</a>');
    const template = await createTemplate(t, 'email', {
      locale: 'fr', subject: 'La lettre d’automne', mjml: body(['Promo', 'Boutique', 'Blog']),
      variants: [{ locale: 'en', subject: 'The autumn letter', mjml: body(['Sale', 'Shop', 'Blog']) }],
    });
    campaignId = await createCampaign(t, { name: 'Lettre d’automne', template_id: template, topic: 'news' });
    await launch(t, campaignId);
    for (const file of await t.outboxFiles('.eml')) {
      const mail = await PostalMime.parse(file.content);
      mails.set(Number(/^client(\d+)@/.exec(mail.to![0].address!)![1]), mail.html ?? '');
    }
    expect([...mails.keys()].sort((a, b) => a - b)).toEqual([...sent.keys()]);

    await engage();
    clock = READ_AT;
    const share = await t.json('POST', `/v1/campaigns/${campaignId}/report/share`, { expires_in_days: 7 }, { key: t.keys.analyst });
    expect(share.status).toBe(201);
    sharedPath = new URL(share.body.url).pathname;
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  /** The tracked URLs of a contact's email: its pixel and its links, in order (the honeypot last). */
  function urls(contact: number) {
    const html = mails.get(contact)!;
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1];
    const links = [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]);
    return { pixel, links };
  }

  async function hit(contact: number, kind: 'open' | 'click', at: Date, who: 'person' | 'apple' | 'checker', link?: number) {
    clock = at;
    const { pixel, links } = urls(contact);
    const url = kind === 'open' ? pixel : links[link!];
    const res = await fetch(url, { method: who === 'checker' ? 'HEAD' : 'GET', headers: who === 'apple' ? APPLE : PERSON, redirect: 'manual' });
    expect(res.status).toBe(kind === 'open' ? 200 : 302);
    if (kind === 'click') expect(res.headers.get('location')).toBe(LINKS[link!]);
    hits.push({ contact, kind, human: who === 'person', at, link });
  }

  /** A morning of engagement and the next day's: every request at its own time, as the tracking rules will see it. */
  async function engage() {
    const reached = [...sent.keys()];
    const at = (hours: number, minutes = 0) => new Date(LAUNCH.getTime() + hours * HOUR + minutes * MINUTE);
    // 09:01: a link checker HEADs the first link of two messages; 09:05: Apple Mail fetches the images of eight.
    for (const c of reached.slice(20, 22)) await hit(c, 'click', at(0, 1), 'checker', 0);
    for (const [k, c] of reached.slice(0, 8).entries()) await hit(c, 'open', at(0, 5 + k), 'apple');
    // 10:00–10:11: twelve people open it; 10:30–10:35 six of them follow the first link.
    for (const [k, c] of reached.slice(0, 12).entries()) await hit(c, 'open', at(1, k), 'person');
    for (const [k, c] of reached.slice(0, 6).entries()) await hit(c, 'click', at(1, 30 + k), 'person', 0);
    // 13:10: five more open it; 14:00–14:02: three follow the second link (one of them clicked the first at 10:35).
    for (const [k, c] of reached.slice(12, 17).entries()) await hit(c, 'open', at(4, 10 + k), 'person');
    for (const [k, c] of [reached[5], reached[12], reached[13]].entries()) await hit(c, 'click', at(5, k), 'person', 1);
    // The next morning, 08:15: two people open it again.
    for (const c of reached.slice(0, 2)) await hit(c, 'open', at(23, 15), 'person');
    await t.deps.hits.flush();
  }

  /** The report's numbers, worked out from `hits` alone. */
  function expected() {
    const unique = (f: (h: Hit) => boolean) => new Set(hits.filter(f).map((h) => h.contact));
    const openers = unique((h) => h.kind === 'open' && h.human);
    const clickers = unique((h) => h.kind === 'click' && h.human);
    const delivered = sent.size;
    const rate = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 10_000;
    const hours = Math.floor((Math.max(...hits.map((h) => h.at.getTime())) - LAUNCH.getTime()) / HOUR) + 1;
    const series = (kind: 'open' | 'click', human: boolean) => Array.from({ length: hours }, (_, k) =>
      hits.filter((h) => h.kind === kind && h.human === human && Math.floor((h.at.getTime() - LAUNCH.getTime()) / HOUR) === k).length);
    const links = LINKS.map((url, link) => ({
      url, human: hits.filter((h) => h.kind === 'click' && h.link === link && h.human).length, machine: hits.filter((h) => h.kind === 'click' && h.link === link && !h.human).length,
    })).filter((l) => l.human + l.machine > 0).sort((a, b) => b.human + b.machine - (a.human + a.machine));
    const byLocale = ['fr', 'en-CA'].map((locale) => {
      const people = [...sent].filter(([, c]) => c.locale === locale).map(([i]) => i);
      return { locale, sent: people.length, opened: people.filter((i) => openers.has(i)).length, clicked: people.filter((i) => clickers.has(i)).length };
    });
    return {
      // Targeted: the whole audience, those held back included.
      targeted: 32, heldBack: 32 - sent.size, sent: sent.size, delivered, opened: openers.size, clicked: clickers.size,
      rates: { delivery: rate(delivered, sent.size), open: rate(openers.size, delivered), click: rate(clickers.size, delivered) },
      machineOpened: unique((h) => h.kind === 'open' && !h.human).size, machineClicked: unique((h) => h.kind === 'click' && !h.human).size,
      series: { openHuman: series('open', true), openMachine: series('open', false), clickHuman: series('click', true), clickMachine: series('click', false) },
      links, byLocale,
    };
  }

  const formats = (lang: 'fr' | 'en') => {
    const tag = lang === 'fr' ? 'fr-FR' : 'en-CA';
    const number = new Intl.NumberFormat(tag);
    const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
    return { n: (v: number) => number.format(v), pct: (v: number) => percent.format(v), colon: lang === 'fr' ? `${NBSP}: ` : ': ' };
  };

  /** Opens a page as a phone would, and as a desktop: screenshots of both, nothing wider than the screen. */
  async function screenshots(page: Page, name: string) {
    for (const [label, width] of [['mobile', 375], ['desktop', 1280]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${label}.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 375, height: 900 });
  }

  /** The numbers the page prints, read from its SVG text and its tables, against what the test worked out. */
  async function checkNumbers(page: Page, lang: 'fr' | 'en') {
    const e = expected();
    const { n, pct, colon } = formats(lang);
    const words = lang === 'fr'
      ? { steps: ['Ciblés', 'Envoyés', 'Délivrés', 'Ouverts', 'Cliqués', 'Convertis'], series: ['Ouvertures (personnes)', 'Ouvertures (machines)', 'Clics (personnes)', 'Clics (machines)'] }
      : { steps: ['Targeted', 'Sent', 'Delivered', 'Opened', 'Clicked', 'Converted'], series: ['Opens (people)', 'Opens (machines)', 'Clicks (people)', 'Clicks (machines)'] };
    const [targeted, sentStep, delivered, opened, clicked, converted] = words.steps;
    expect(await page.locator('svg#funnel text').allTextContents()).toEqual([
      targeted, n(e.targeted), sentStep, n(e.sent), delivered, `${n(e.delivered)} · ${pct(e.rates.delivery)}`,
      opened, `${n(e.opened)} · ${pct(e.rates.open)}`, clicked, `${n(e.clicked)} · ${pct(e.rates.click)}`, converted, `${n(0)} · ${pct(0)}`,
    ]);
    // The bars: as long as each count is to the largest (the targeted), 230 units at most.
    const widths = (await page.locator('svg#funnel rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width')))));
    const counts = [e.targeted, e.sent, e.delivered, e.opened, e.clicked, 0];
    expect(widths).toEqual(counts.map((c) => (c === 0 ? 0 : Math.max(2, Math.round((c / e.targeted) * 2300) / 10))));

    // The line chart's legend gives each series' total; its table gives every hour.
    const s = e.series;
    const totals = [s.openHuman, s.openMachine, s.clickHuman, s.clickMachine].map((v) => v.reduce((a, b) => a + b, 0));
    expect(await page.locator('svg#series ~ .chart-legend li').allTextContents()).toEqual(words.series.map((w, k) => `${w}${colon}${n(totals[k])}`));
    const rows = await page.locator('#series ~ details tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toHaveLength(s.openHuman.length);
    expect(rows.map((r) => r.slice(1))).toEqual(s.openHuman.map((_, k) => [s.openHuman[k], s.openMachine[k], s.clickHuman[k], s.clickMachine[k]].map(n)));
    expect(rows[1][0]).toBe(lang === 'fr' ? `3 nov. 10${NBSP}h` : 'Nov 3, 10:00');

    // Clicks per link, the most clicked first.
    const links = await page.locator('table#links tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(links).toEqual(e.links.map((l) => [l.url, n(l.human), n(l.machine), n(l.human + l.machine)]));

    // Other outcomes: the two held back, and the machines apart from the people.
    const outcomes = await page.locator('table#outcomes tbody tr').evaluateAll((trs) => trs.map((tr) => tr.lastElementChild!.textContent));
    expect([outcomes[0], outcomes[5], outcomes[6]]).toEqual([n(e.heldBack), n(e.machineOpened), n(e.machineClicked)]);

    // By the contact's language: sent, opened, clicked, and the rates over sent.
    const locales = await page.locator('table#by-locale tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const rate = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 10_000;
    expect(locales.map((r) => [r[0], r[1], r[2], r[3], r[8], r[9]])).toEqual(e.byLocale.map((l) => [
      l.locale, n(l.sent), n(l.opened), n(l.clicked), pct(rate(l.opened, l.sent)), pct(rate(l.clicked, l.sent)),
    ]));
  }

  it('a share link opens the French page with no key: the numbers the test made, screenshots, no serious axe finding', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 900 }, bypassCSP: true, locale: 'fr-FR' });
    const page = await context.newPage();
    const res = await page.goto(base + sharedPath);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['cache-control']).toBe('private, no-store');
    expect(await page.locator('h1').textContent()).toBe(`Rapport${NBSP}: Lettre d’automne`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await checkNumbers(page, 'fr');
    await screenshots(page, 'report-fr');
    expect(await seriousViolations(page, axeSource)).toEqual([]);
    await context.close();
  });

  it('an analyst’s key opens the English page, broken down by an attribute', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 900 }, bypassCSP: true, extraHTTPHeaders: { authorization: `Bearer ${t.keys.analyst}` },
    });
    const page = await context.newPage();
    expect((await page.goto(`${base}/reports/campaigns/${campaignId}?lang=en&by=host`))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Report: Lettre d’automne');
    await checkNumbers(page, 'en');
    const { n } = formats('en');
    const byHost = await page.locator('table#by-attribute tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 2).map((c) => c.textContent)));
    const count = (host: boolean | undefined) => [...sent.values()].filter((c) => c.host === host).length;
    expect(byHost).toEqual([['false', n(count(false))], ['true', n(count(true))], ['(not set)', n(count(undefined))]].sort((a, b) => Number(b[1]) - Number(a[1])));
    await screenshots(page, 'report-en');
    expect(await seriousViolations(page, axeSource)).toEqual([]);
    await context.close();
  });

  it('reads the same with JavaScript off: the charts are drawn, their tables open without a script', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base + sharedPath);
    const box = await page.locator('svg#funnel').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(await page.locator('svg#series polyline').count()).toBe(4);
    const table = page.locator('#series ~ details table');
    expect(await table.isVisible()).toBe(false);
    await page.locator('#series ~ details summary').click();
    expect(await table.isVisible()).toBe(true);
    await context.close();
  });

  it('an expired link is the invalid link page, which axe finds nothing serious in either', async () => {
    clock = new Date(READ_AT.getTime() + 8 * 24 * HOUR);
    // In the reader's language: the link's own is not trusted once it has expired.
    const context = await browser.newContext({ viewport: { width: 375, height: 900 }, bypassCSP: true, locale: 'fr-FR' });
    const page = await context.newPage();
    expect((await page.goto(base + sharedPath))?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Lien invalide');
    expect(await seriousViolations(page, axeSource)).toEqual([]);
    await context.close();
    clock = READ_AT;
  });
});
