// The workspace report page in Chromium, on a workspace seeded the way it happens: 23 contacts, an email campaign before
// the period and one in it, an SMS campaign and a second one the SMS cap drops, opens and clicks made by requesting the
// tracking URLs of the messages sent (people, and Apple Mail Privacy Protection), SMS short links followed, a hard and
// a soft bounce as SES events, a one-click unsubscribe, an erasure. The test keeps a tally of what it did and works out
// every expected number from it; the page must print exactly those, in French and in English, with JavaScript off too,
// and axe-core must find no serious problem. Screenshots go to test/browser/screenshots/ (not committed).
//
// The period is [2026-11-01, 2026-11-15) UTC; quiet hours are off; SMS are capped at 1 per calendar month.
import { CHANNEL_NAMES, SENDABLE_CHANNELS } from '../../src/channels/index.js';
import { serve, type ServerType } from '@hono/node-server';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSesNotification } from '../../src/inbound/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { axeSource, seriousViolations } from '../support/axe.js';
import { browserTestsRun, launchChromium } from '../support/browser.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, hit, mailTo, sentMails } from '../support/tracking.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FROM = new Date('2026-11-01T00:00:00Z');
const TO = new Date('2026-11-15T00:00:00Z');
const QUERY = '?from=2026-11-01&to=2026-11-15';
const READ_AT = new Date('2026-11-20T12:00:00Z');
const SMS_RULE = 'sms: 1 per calendar month';
const NBSP = '\u00a0';
const at = (s: string) => new Date(`${s}Z`);
const email = (i: number) => `client${i}@example.fr`;
const phone = (i: number) => `+336123450${String(i).padStart(2, '0')}`;
const inPeriod = (d: Date) => d >= FROM && d < TO;

type Key = 'O' | 'A' | 'B' | 'C';
const CAMPAIGNS: Record<Key, { name: string; channel: 'email' | 'sms' }> = {
  O: { name: 'Lettre d’octobre', channel: 'email' },
  A: { name: 'Lettre de novembre', channel: 'email' },
  B: { name: 'Soldes SMS', channel: 'sms' },
  C: { name: 'Relance SMS', channel: 'sms' },
};

/** What the script did, as it did it: every expected number is worked out from this alone. */
const did = {
  contacts: [] as Array<{ i: number; created: Date; erased?: Date }>,
  /** A subscription turned on (a new consent) or off (an opt-out), by channel. */
  consents: [] as Array<{ i: number; channel: string; on: boolean; at: Date }>,
  launched: {} as Partial<Record<Key, Date>>,
  sent: [] as Array<{ campaign: Key; i: number; at: Date }>,
  capped: [] as Array<{ campaign: Key; i: number }>,
  opens: [] as Array<{ campaign: Key; i: number; at: Date; human: boolean }>,
  clicks: [] as Array<{ campaign: Key; i: number; at: Date }>,
  bounces: [] as Array<{ campaign: Key; i: number; hard: boolean; at: Date }>,
  unsubscribes: [] as Array<{ campaign: Key; i: number; at: Date }>,
};

describe.runIf(browserTestsRun)('the workspace report page in Chromium', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let axe: string;
  let clock = at('2026-10-20T10:00:00');
  let sharedPath: string;
  const ids: Record<number, number> = {};

  let sns = 0;
  const ses = (eventType: string, providerId: string, part: Record<string, unknown>) =>
    handleSesNotification(t.deps.db, { snsMessageId: `wp-${++sns}`, message: JSON.stringify({ eventType, mail: { messageId: providerId }, ...part }) }, { at: clock });

  async function providerIds(campaign: number) {
    const rows = await t.deps.db.selectFrom('messages').select(['contact_id', 'provider_message_id']).where('campaign_id', '=', campaign).execute();
    return new Map(rows.map((r) => [Number(r.contact_id), r.provider_message_id!]));
  }

  async function contact(i: number, withPhone: boolean, subscribed: boolean) {
    const subscriptions = subscribed ? [{ channel: 'email' as const, topic: 'news' }, ...(withPhone ? [{ channel: 'sms' as const, topic: 'news' }] : [])] : [];
    ids[i] = (await createContact(t, { email: email(i), first_name: `Client ${i}`, ...(withPhone ? { phone: phone(i) } : {}), subscriptions })).id;
    did.contacts.push({ i, created: clock });
    for (const s of subscriptions) did.consents.push({ i, channel: s.channel, on: true, at: clock });
  }

  async function open(campaign: Key, i: number, when: string, human = true) {
    clock = at(when);
    await hit(t, mailTo(await sentMails(t), email(i), CAMPAIGNS[campaign].name).pixel!, human ? {} : APPLE_PROXY);
    did.opens.push({ campaign, i, at: clock, human });
  }

  async function click(campaign: Key, i: number, when: string) {
    clock = at(when);
    await hit(t, mailTo(await sentMails(t), email(i), CAMPAIGNS[campaign].name).clicks[0]);
    did.clicks.push({ campaign, i, at: clock });
  }

  /** Follows the short link of the SMS a phone got (the first SMS to it: campaign B). */
  async function tap(i: number, when: string) {
    clock = at(when);
    const sms = (await t.outboxFiles('.json')).map((f) => JSON.parse(f.content)).find((s) => s.to === phone(i));
    await hit(t, /https?:\/\/[^\s]+\/s\/[0-9A-Za-z]+/.exec(sms.text)![0]);
    did.clicks.push({ campaign: 'B', i, at: clock });
  }

  async function launchAt(key: Key, when: string, template: number, recipients: number[], capped: number[] = []) {
    clock = at(when);
    const id = await createCampaign(t, { name: CAMPAIGNS[key].name, channel: CAMPAIGNS[key].channel, template_id: template, topic: 'news' });
    await launch(t, id);
    did.launched[key] = clock;
    for (const i of recipients) did.sent.push({ campaign: key, i, at: clock });
    for (const i of capped) did.capped.push({ campaign: key, i });
    return id;
  }

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req, env) => t.app.fetch(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({ PUBLIC_URL: base, BRAND_NAME: 'Arts de la Table', BRAND_COLOR: '#f2a900' }, { clock: () => clock });
    axe = await axeSource();
    expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
    expect((await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'sms', max: 1, period: 'calendar_month' }] })).status).toBe(200);
    await createTopic(t, 'news', { name: 'La lettre' });
    const letter = (subject: string) => createTemplate(t, 'email', {
      name: subject, subject, mjml: mjml('<a href="https://shop.example/promo">Promo</a> <a href="{{unsubscribe_url}}">Se désabonner</a>'),
    });
    const [october, november] = [await letter(CAMPAIGNS.O.name), await letter(CAMPAIGNS.A.name)];
    const sms = await createTemplate(t, 'sms', { text: '{{first_name}}, -20% : https://shop.example/soldes' });

    // Before the period: 20 subscribed to the letter by email, the first 12 by SMS too; one with no subscription.
    for (let i = 0; i < 20; i++) await contact(i, i < 12, true);
    await contact(20, false, false);
    const everyone = [...Array(20).keys()];
    const phones = everyone.slice(0, 12);
    await launchAt('O', '2026-10-25T10:00:00', october, everyone);
    await open('O', 3, '2026-10-26T10:00:00');

    // In the period. Two sign up; someone opens October's letter late (in the trend, not in the campaigns).
    clock = at('2026-11-02T08:00:00');
    for (const i of [21, 22]) await contact(i, false, true);
    await open('O', 7, '2026-11-02T12:00:00');

    // November's letter to the 22 subscribed: a hard and a soft bounce, Apple's proxy fetches four pixels, ten
    // people open it, five click; the next morning two open it again and one clicks again.
    const reached = [...everyone, 21, 22];
    const a = await providerIds(await launchAt('A', '2026-11-03T09:00:00', november, reached));
    clock = at('2026-11-03T09:30:00');
    await ses('Bounce', a.get(ids[19])!, { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email(19) }], timestamp: clock.toISOString() } });
    did.bounces.push({ campaign: 'A', i: 19, hard: true, at: clock });
    clock = at('2026-11-03T09:40:00');
    await ses('Bounce', a.get(ids[18])!, { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: email(18) }], timestamp: clock.toISOString() } });
    did.bounces.push({ campaign: 'A', i: 18, hard: false, at: clock });
    for (const i of [10, 11, 12, 13]) await open('A', i, `2026-11-03T09:5${i - 10}:00`, false);
    for (let i = 0; i < 10; i++) await open('A', i, `2026-11-03T10:0${i}:00`);
    for (let i = 0; i < 5; i++) await click('A', i, `2026-11-03T11:0${i}:00`);
    await open('A', 0, '2026-11-04T08:00:00');
    await open('A', 1, '2026-11-04T08:05:00');
    await click('A', 2, '2026-11-04T08:10:00');

    // The SMS sale to the 12 phones; four people follow its link, one of them again the next day.
    await launchAt('B', '2026-11-05T10:00:00', sms, phones);
    for (const i of [0, 1, 2, 3]) await tap(i, `2026-11-05T12:0${i}:00`);
    await tap(0, '2026-11-06T08:00:00');

    // One unsubscribes from the letter in one click; a second SMS the same month is capped for all 12.
    clock = at('2026-11-06T09:00:00');
    const unsubscribe = new URL(/href="([^"]+\/u\/[^"]+)"/.exec(mailTo(await sentMails(t), email(5), CAMPAIGNS.A.name).html)![1]).pathname;
    const res = await t.app.request(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    did.unsubscribes.push({ campaign: 'A', i: 5, at: clock });
    did.consents.push({ i: 5, channel: 'email', on: false, at: clock });
    await launchAt('C', '2026-11-06T10:00:00', sms, [], phones);

    // The one with no subscription is erased; after the period, more happens that the period must not count.
    clock = at('2026-11-12T10:00:00');
    expect((await t.call('DELETE', `/v1/contacts/${ids[20]}`)).status).toBe(204);
    did.contacts.find((c) => c.i === 20)!.erased = clock;
    await open('A', 9, '2026-11-16T10:00:00');
    clock = at('2026-11-18T10:00:00');
    await contact(23, false, true);
    await t.deps.hits.flush();

    // What the outbox holds agrees with the tally: 20 + 22 emails, 12 SMS.
    expect((await sentMails(t)).length).toBe(did.sent.filter((s) => CAMPAIGNS[s.campaign].channel === 'email').length);
    expect((await t.outboxFiles('.json')).length).toBe(did.sent.filter((s) => CAMPAIGNS[s.campaign].channel === 'sms').length);

    clock = READ_AT;
    const share = await t.json('POST', '/v1/reports/workspace/share', { from: '2026-11-01', to: '2026-11-15', expires_in_days: 7 }, { key: t.keys.analyst });
    expect(share.status).toBe(201);
    sharedPath = new URL(share.body.url).pathname;
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

  /** The report's numbers, worked out from the tally alone. */
  function expected() {
    const people = <T extends { i: number }>(list: T[]) => new Set(list.map((x) => x.i)).size;
    const campaigns = (Object.keys(CAMPAIGNS) as Key[]).filter((k) => inPeriod(did.launched[k]!))
      .sort((x, y) => did.launched[y]!.getTime() - did.launched[x]!.getTime())
      .map((k) => {
        const of = <T extends { campaign: Key }>(list: T[]) => list.filter((x) => x.campaign === k);
        const sent = of(did.sent).length;
        const hard = of(did.bounces).filter((b) => b.hard).length;
        const soft = of(did.bounces).filter((b) => !b.hard).length;
        const delivered = sent - hard - soft;
        const opened = people(of(did.opens).filter((o) => o.human));
        const clicked = people(of(did.clicks));
        return {
          key: k, ...CAMPAIGNS[k], launched: did.launched[k]!, sent, delivered, opened, clicked, unsubscribed: people(of(did.unsubscribes)),
          rates: { open: rate(opened, delivered), click: rate(clicked, delivered), bounce: rate(hard + soft, sent) },
        };
      });
    const days = Array.from({ length: (TO.getTime() - FROM.getTime()) / 86_400_000 }, (_, d) => new Date(FROM.getTime() + d * 86_400_000));
    const onDay = (d: Date, x: { at: Date }) => x.at.toISOString().slice(0, 10) === d.toISOString().slice(0, 10);
    // One line, row or bar per channel of the registry: sendable ones in the trend and caps, all in subscriptions.
    const trend = SENDABLE_CHANNELS.map((channel) => ({
      channel,
      days: days.map((d) => ({
        day: d,
        opens: did.opens.filter((o) => o.human && CAMPAIGNS[o.campaign].channel === channel && onDay(d, o)).length,
        clicks: did.clicks.filter((c) => CAMPAIGNS[c.campaign].channel === channel && onDay(d, c)).length,
      })),
    }));
    const onFile = (when: Date) => did.contacts.filter((c) => c.created < when && !(c.erased && c.erased < when)).length;
    const subscriptions = CHANNEL_NAMES.map((channel) => {
      const records = did.consents.filter((r) => r.channel === channel);
      // A subscription held at the start: its last record before then turned it on.
      const last = new Map(records.filter((r) => r.at < FROM).map((r) => [r.i, r.on]));
      const subscribedAtStart = [...last.values()].filter(Boolean).length;
      const optIns = records.filter((r) => inPeriod(r.at) && r.on).length;
      const optOuts = records.filter((r) => inPeriod(r.at) && !r.on).length;
      return { channel, subscribedAtStart, optIns, optOuts, optOutRate: rate(optOuts, subscribedAtStart) };
    });
    const listed = new Set(campaigns.map((c) => c.key));
    const pressure = SENDABLE_CHANNELS.map((channel) => {
      const mine = (k: Key) => listed.has(k) && CAMPAIGNS[k].channel === channel;
      const targeted = did.sent.filter((s) => mine(s.campaign)).length;
      const capped = did.capped.filter((s) => mine(s.campaign)).length;
      return { channel, targeted, capped, deferred: 0, waiting: 0, cappedRate: rate(capped, targeted + capped) };
    });
    const all = pressure.reduce((s, p) => ({ targeted: s.targeted + p.targeted, capped: s.capped + p.capped }), { targeted: 0, capped: 0 });
    const emailSent = did.sent.filter((s) => CAMPAIGNS[s.campaign].channel === 'email' && inPeriod(s.at)).length;
    const hard = did.bounces.filter((b) => b.hard && inPeriod(b.at)).length;
    const soft = did.bounces.filter((b) => !b.hard && inPeriod(b.at)).length;
    // SES reviews an account from 5% of bounces or 0.1% of complaints; the warning is at half of each.
    const status = (ratio: number, atRisk: number) => (ratio >= atRisk ? 'at_risk' : ratio >= atRisk / 2 ? 'warning' : 'ok');
    const bounce = status(hard / emailSent, 0.05);
    const complaint = status(0, 0.001);
    return {
      campaigns, trend, subscriptions,
      contacts: { atStart: onFile(FROM), atEnd: onFile(TO), created: did.contacts.filter((c) => inPeriod(c.created)).length, erased: did.contacts.filter((c) => c.erased && inPeriod(c.erased)).length },
      pressure: { channels: pressure, total: { ...all, cappedRate: rate(all.capped, all.targeted + all.capped) }, rules: [[SMS_RULE, all.capped, 0]] },
      deliverability: {
        sent: emailSent, delivered: emailSent - hard - soft, hard, soft, rates: { bounce: rate(hard, emailSent), complaint: 0 },
        status: { bounce, complaint, overall: [bounce, complaint].includes('at_risk') ? 'at_risk' : [bounce, complaint].includes('warning') ? 'warning' : 'ok' },
      },
    };
  }

  const WORDS = {
    fr: {
      title: 'Rapport de l’espace de travail', period: `Du 1 novembre 2026 au 14 novembre 2026 (UTC) · Canal${NBSP}: tous`,
      channels: { email: 'E-mail', sms: 'SMS', postal: 'Courrier', webhook: 'Nos applications', call: 'Téléphone' }, total: 'Tous les canaux', statuses: { ok: 'Correct', warning: 'Alerte', at_risk: 'À risque' },
      legend: { opens: 'Ouvertures (personnes)', clicks: 'Clics (personnes)' }, overall: `État d’ensemble${NBSP}:`,
      launched: (d: Date) => `${d.getUTCDate()} nov. 2026 ${String(d.getUTCHours()).padStart(2, '0')}${NBSP}h${NBSP}00`,
      day: (d: Date) => `${d.getUTCDate()} nov.`, of: 'sur',
    },
    en: {
      title: 'Workspace report', period: 'November 1, 2026 to November 14, 2026 (UTC) · Channel: all',
      channels: { email: 'Email', sms: 'SMS', postal: 'Mail', webhook: 'Our apps', call: 'Phone' }, total: 'All channels', statuses: { ok: 'OK', warning: 'Warning', at_risk: 'At risk' },
      legend: { opens: 'Opens (people)', clicks: 'Clicks (people)' }, overall: 'Overall status:',
      launched: (d: Date) => `Nov ${d.getUTCDate()}, 2026, ${String(d.getUTCHours()).padStart(2, '0')}:00`,
      day: (d: Date) => `Nov ${d.getUTCDate()}`, of: 'of',
    },
  } as const;

  const formats = (lang: 'fr' | 'en') => {
    const tag = lang === 'fr' ? 'fr-FR' : 'en-CA';
    const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
    const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
    const fine = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 });
    return { n: (v: number) => number.format(v), pct: (v: number) => percent.format(v), finePct: (v: number) => fine.format(v), colon: lang === 'fr' ? `${NBSP}: ` : ': ' };
  };

  const cells = (page: Page, selector: string) =>
    page.locator(selector).evaluateAll((rows) => rows.map((tr) => [...tr.children].map((c) => c.textContent)));

  /** The numbers the page prints, read from its SVG text and its tables, against what the tally says. */
  async function checkNumbers(page: Page, lang: 'fr' | 'en') {
    const e = expected();
    const w = WORDS[lang];
    const { n, pct, finePct, colon } = formats(lang);
    expect(await page.locator('h1').textContent()).toBe(w.title);
    expect(await page.locator('p.lead').textContent()).toContain(w.period);

    // The campaigns side by side, newest first: October's letter, launched before the period, is not among them.
    expect(e.campaigns.map((c) => c.key)).toEqual(['C', 'B', 'A']);
    expect(await cells(page, 'table#campaigns tbody tr')).toEqual(e.campaigns.map((c) => {
      const opens = c.channel === 'email';
      return [
        c.name, w.channels[c.channel], w.launched(c.launched), n(c.sent), n(c.delivered), opens ? n(c.opened) : '—', n(c.clicked), n(0), n(c.unsubscribed),
        opens ? pct(c.rates.open) : '—', pct(c.rates.click), pct(c.rates.bounce),
      ];
    }));
    // The rate charts: each bar's label, then its rate in percentage points and the count it is taken from.
    const bars = (list: typeof e.campaigns, metric: 'open' | 'click') => list.flatMap((c) => [
      c.name, `${n(Math.round(c.rates[metric] * 1000) / 10)} · ${n(metric === 'open' ? c.opened : c.clicked)} ${w.of} ${n(c.delivered)}`,
    ]);
    // Checked by hand, as a check on the tally: November's letter, 10 opened and 5 clicked of 20 delivered (22 sent).
    expect(e.campaigns[2]).toMatchObject({ sent: 22, delivered: 20, opened: 10, clicked: 5, rates: { open: 0.5, click: 0.25 } });
    expect(await page.locator('svg#open-rates text').allTextContents()).toEqual(bars(e.campaigns.filter((c) => c.channel === 'email'), 'open'));
    expect(await page.locator('svg#click-rates text').allTextContents()).toEqual(bars(e.campaigns, 'click'));
    // Each bar as long as its printed rate is to the largest, 230 units at most.
    const widths = await page.locator('svg#click-rates rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    const points = e.campaigns.map((c) => Math.round(c.rates.click * 1000) / 10);
    expect(widths).toEqual(points.map((v) => (v === 0 ? 0 : Math.max(2, Math.round((v / Math.max(...points)) * 2300) / 10))));

    // The trend per channel: each legend gives the series' total, each table every day of the period.
    for (const s of e.trend) {
      const series = s.channel === 'email' ? (['opens', 'clicks'] as const) : (['clicks'] as const);
      const total = (k: 'opens' | 'clicks') => s.days.reduce((a, d) => a + d[k], 0);
      // A channel with nothing in the period (webhook, here) gets the "no data" sentence, not an empty chart.
      if (series.every((k) => total(k) === 0)) {
        expect(await page.locator(`svg#trend-${s.channel}`).count()).toBe(0);
        continue;
      }
      expect(await page.locator(`svg#trend-${s.channel} ~ .chart-legend li`).allTextContents()).toEqual(series.map((k) => `${w.legend[k]}${colon}${n(total(k))}`));
      expect(await cells(page, `#trend-${s.channel} ~ details tbody tr`)).toEqual(s.days.map((d) => [w.day(d.day), ...series.map((k) => n(d[k]))]));
    }
    // Checked by hand, as a check on the tally: ten people opened the letter on 3 November, one an old one on the 2nd.
    expect(e.trend[0].days.slice(1, 4).map((d) => d.opens)).toEqual([1, 10, 2]);

    // The audience: contacts, and subscriptions per channel.
    const c = e.contacts;
    expect((await cells(page, 'table#contacts tbody tr')).map((r) => r[1])).toEqual([c.atStart, c.atEnd, c.created, c.erased].map(n));
    expect([c.atStart, c.atEnd, c.created, c.erased]).toEqual([21, 22, 2, 1]);
    expect(await cells(page, 'table#subscriptions tbody tr')).toEqual(e.subscriptions.map((s) => [
      w.channels[s.channel], n(s.subscribedAtStart), n(s.optIns), n(s.optOuts), pct(s.optOutRate),
    ]));

    // Marketing pressure: per channel, in all, and per rule.
    const p = e.pressure;
    expect(await cells(page, 'table#pressure tbody tr')).toEqual([
      ...p.channels.map((x) => [w.channels[x.channel], n(x.targeted), n(x.capped), n(x.deferred), n(x.waiting), pct(x.cappedRate)]),
      [w.total, n(p.total.targeted), n(p.total.capped), n(0), n(0), pct(p.total.cappedRate)],
    ]);
    expect(await cells(page, 'table#pressure-rules tbody tr')).toEqual(p.rules.map(([rule, capped, deferred]) => [rule, n(capped as number), n(deferred as number)]));

    // Deliverability: each rate against its thresholds, its status in words; the overall status; the counts.
    const d = e.deliverability;
    expect(d.status).toEqual({ bounce: 'warning', complaint: 'ok', overall: 'warning' });
    expect(await page.locator('#deliverability-overall').textContent()).toBe(`${w.overall} ${w.statuses[d.status.overall as 'warning']}`);
    expect((await cells(page, 'table#deliverability tbody tr')).map((r) => r.slice(1))).toEqual([
      [w.statuses[d.status.bounce as 'warning'], finePct(d.rates.bounce), finePct(0.025), finePct(0.05)],
      [w.statuses[d.status.complaint as 'ok'], finePct(d.rates.complaint), finePct(0.0005), finePct(0.001)],
    ]);
    expect((await cells(page, 'table#deliverability-counts tbody tr')).map((r) => r[1])).toEqual([d.sent, d.delivered, d.hard, d.soft, 0, 0].map(n));
    // Not colour alone: the word is there, and each status has a colour of its own.
    const colours = await page.locator('#deliverability .health').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    expect(new Set(colours).size).toBe(2);
  }

  /** Opens a page as a phone would, and as a desktop: screenshots of both, nothing wider than the screen. */
  async function screenshots(page: Page, name: string) {
    for (const [label, width] of [['mobile', 375], ['desktop', 1280]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${label}.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 375, height: 900 });
  }

  it('a share link opens the French page with no key: the numbers the test made, screenshots, no serious axe finding', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 900 }, bypassCSP: true, locale: 'fr-FR' });
    const page = await context.newPage();
    const res = await page.goto(base + sharedPath);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['cache-control']).toBe('private, no-store');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await checkNumbers(page, 'fr');
    await screenshots(page, 'workspace-fr');
    expect(await seriousViolations(page, axe)).toEqual([]);
    await context.close();
  });

  it('an analyst’s key opens the English page over the period asked for', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 900 }, bypassCSP: true, extraHTTPHeaders: { authorization: `Bearer ${t.keys.analyst}` },
    });
    const page = await context.newPage();
    expect((await page.goto(`${base}/reports/workspace${QUERY}&lang=en`))?.status()).toBe(200);
    await checkNumbers(page, 'en');
    await screenshots(page, 'workspace-en');
    expect(await seriousViolations(page, axe)).toEqual([]);
    await context.close();
  });

  it('reads the same with JavaScript off: the charts are drawn, their tables open without a script', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(base + sharedPath);
    expect((await page.locator('svg#click-rates').boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.locator('svg#trend-email polyline').count()).toBe(2);
    expect(await page.locator('svg#trend-sms polyline').count()).toBe(1);
    expect(await page.locator('#deliverability-overall').textContent()).toBe(`État d’ensemble${NBSP}: Alerte`);
    const table = page.locator('#trend-email ~ details table');
    expect(await table.isVisible()).toBe(false);
    await page.locator('#trend-email ~ details summary').click();
    expect(await table.isVisible()).toBe(true);
    await context.close();
  });

  it('a bad query is said on the page, which axe finds nothing serious in either', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 900 }, bypassCSP: true, extraHTTPHeaders: { authorization: `Bearer ${t.keys.analyst}` },
    });
    const page = await context.newPage();
    expect((await page.goto(`${base}/reports/workspace?from=2026-11-15&to=2026-11-01&channel=fax&lang=en`))?.status()).toBe(200);
    expect(await page.locator('.notice.warning').textContent()).toBe(
      'The period asked for must end after it starts, and last at most 366 days. The last 30 days are shown instead. “fax” is not a channel campaigns are sent on; every channel is shown.',
    );
    await screenshots(page, 'workspace-notice');
    expect(await seriousViolations(page, axe)).toEqual([]);
    await context.close();
  });
});
