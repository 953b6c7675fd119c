// The campaign report against a seeded campaign: 36 contacts in three languages, a scripted (seeded random) life for
// each message — people opening and clicking, Apple's proxy, scanners, SES deliveries and bounces, replies,
// purchases, unsubscribes — all driven through the real endpoints. The test keeps its own tally of what it did and
// computes every number of the report from it, independently of the rollups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSesNotification } from '../../src/inbound/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, hit, mailTo, sentMails } from '../support/tracking.js';

const LAUNCH = new Date('2026-03-02T09:20:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LOCALES = ['fr', 'en', 'fr-CA'] as const;
const VARIANT = { fr: 'default', en: 'en', 'fr-CA': 'fr-CA' } as const;
const CONTACTS = 36;
const NOT_SUBSCRIBED = new Set([34, 35]);

/** mulberry32: the same script on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'open_human' | 'open_machine' | 'click_human' | 'click_machine';
interface Tally {
  events: Record<Kind, Array<{ i: number; at: number }>>;
  links: Record<number, { human: number; machine: number }>;
  replied: Set<number>;
  conversions: Array<{ i: number; value: number }>;
  unsubscribed: Set<number>;
  bounced: { hard: Set<number>; soft: Set<number> };
  complained: Set<number>;
  delivered: Set<number>;
}

let t: TestApp;
let campaign: number;
let clock = LAUNCH;
const tally: Tally = {
  events: { open_human: [], open_machine: [], click_human: [], click_machine: [] },
  links: { 0: { human: 0, machine: 0 }, 1: { human: 0, machine: 0 } },
  replied: new Set(), conversions: [], unsubscribed: new Set(), bounced: { hard: new Set(), soft: new Set() }, complained: new Set(), delivered: new Set(),
};
const contactIds: number[] = [];
const localeOf = (i: number) => LOCALES[i % 3];
const hostOf = (i: number) => i % 4 === 0;

let sns = 0;
const ses = (eventType: string, providerId: string, part: Record<string, unknown>) =>
  handleSesNotification(t.deps.db, { snsMessageId: `seed-${++sns}`, message: JSON.stringify({ eventType, mail: { messageId: providerId }, ...part }) }, { at: clock });

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  expect((await t.json('PUT', '/v1/attributes/host', { type: 'boolean' })).status).toBeLessThan(300);
  for (let i = 0; i < CONTACTS; i++) {
    contactIds.push((await createContact(t, {
      email: `c${i}@example.fr`, locale: localeOf(i), first_name: `C${i}`, attributes: { host: hostOf(i) },
      subscriptions: NOT_SUBSCRIBED.has(i) ? [] : [{ channel: 'email', topic: 'news' }],
    })).id);
  }
  const body = (shop: string) => `<a href="https://shop.example/${shop}">Boutique</a> <a href="https://shop.example/soldes?src=mail">Soldes</a> <a href="{{unsubscribe_url}}">x</a>`;
  const template = await createTemplate(t, 'email', {
    locale: 'fr', subject: 'Soldes', mjml: mjml(body('fr')),
    variants: [{ locale: 'en', subject: 'Sale', mjml: mjml(body('en')) }, { locale: 'fr-CA', subject: 'Soldes', mjml: mjml(body('ca')) }],
  });
  campaign = await createCampaign(t, { template_id: template, topic: 'news' });
  await launch(t, campaign);

  const mails = await sentMails(t);
  const providerIds = new Map((await t.deps.db.selectFrom('messages').select(['contact_id', 'provider_message_id']).where('campaign_id', '=', campaign).execute())
    .map((m) => [Number(m.contact_id), m.provider_message_id!]));
  const publicIds = new Map((await t.deps.db.selectFrom('messages').select(['contact_id', 'public_id']).where('campaign_id', '=', campaign).execute())
    .map((m) => [Number(m.contact_id), m.public_id!]));

  // Every action of the script, then played in time order (the clock only goes forward).
  const actions: Array<{ at: number; run: () => Promise<void> }> = [];
  const rnd = random(20261202);
  const sent = [...Array(CONTACTS).keys()].filter((i) => !NOT_SUBSCRIBED.has(i));
  for (const i of sent) {
    const mail = mailTo(mails, `c${i}@example.fr`);
    const [link0, link1, honeypot] = mail.clicks;
    const unsubscribe = /href="([^"]+\/u\/[^"]+)"/.exec(mail.html)![1];
    const at = (ms: number) => LAUNCH.getTime() + ms;
    const provider = providerIds.get(contactIds[i])!;
    // The provider's word first: most are delivered, a few bounce or complain.
    if (i === 5) actions.push({ at: at(2 * MIN), run: async () => { await ses('Bounce', provider, { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: `c${i}@example.fr` }] } }); tally.bounced.hard.add(i); } });
    else if (i === 6) actions.push({ at: at(2 * MIN), run: async () => { await ses('Bounce', provider, { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: `c${i}@example.fr` }] } }); tally.bounced.soft.add(i); } });
    else if (i === 7) {
      // Soft, then hard: counted once, as hard.
      actions.push({ at: at(2 * MIN), run: async () => { await ses('Bounce', provider, { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: `c${i}@example.fr` }] } }); } });
      actions.push({ at: at(3 * HOUR), run: async () => { await ses('Bounce', provider, { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: `c${i}@example.fr` }] } }); tally.bounced.hard.add(i); } });
    } else {
      actions.push({ at: at(MIN), run: async () => { await ses('Delivery', provider, { delivery: { recipients: [`c${i}@example.fr`] } }); tally.delivered.add(i); } });
    }
    if (i === 8) actions.push({ at: at(5 * HOUR), run: async () => { await ses('Complaint', provider, { complaint: { complainedRecipients: [{ emailAddress: `c${i}@example.fr` }] } }); tally.complained.add(i); } });
    if (i <= 7 && i >= 5) continue; // bounced: nothing else happens to them

    // Machines: Apple's proxy fetches the pixel minutes after delivery; a gateway HEADs the first link, or trips the honeypot.
    if (rnd() < 0.35) actions.push({ at: at(4 * MIN + i * 1000), run: async () => { await hit(t, mail.pixel!, APPLE_PROXY); tally.events.open_machine.push({ i, at: clock.getTime() }); } });
    if (rnd() < 0.25) actions.push({ at: at(30_000 + i * 100), run: async () => { await hit(t, link0, { method: 'HEAD' }); tally.events.click_machine.push({ i, at: clock.getTime() }); tally.links[0].machine++; } });
    if (rnd() < 0.12) actions.push({ at: at(40_000 + i * 100), run: async () => { await hit(t, honeypot); tally.events.click_machine.push({ i, at: clock.getTime() }); } });

    // People: up to three opens over three days (some after the first 48 hours, in daily buckets), clicks after an open.
    const opens = Math.floor(rnd() * 4);
    const times = [...Array(opens)].map(() => Math.floor(1 + rnd() * 70) * HOUR + Math.floor(rnd() * 50) * MIN).sort((a, b) => a - b);
    for (const time of times) actions.push({ at: at(time), run: async () => { await hit(t, mail.pixel!); tally.events.open_human.push({ i, at: clock.getTime() }); } });
    let clickedAt: number | undefined;
    if (opens && rnd() < 0.55) {
      clickedAt = times[0] + 5 * MIN;
      actions.push({ at: at(clickedAt), run: async () => { await hit(t, link0); tally.events.click_human.push({ i, at: clock.getTime() }); tally.links[0].human++; } });
      if (rnd() < 0.4) actions.push({ at: at(clickedAt + 10 * MIN), run: async () => { await hit(t, link1); tally.events.click_human.push({ i, at: clock.getTime() }); tally.links[1].human++; } });
    }
    // Purchases: after a click (within 5 days), after an open only (within a day), or with nothing before (not attributed).
    const value = 10 + Math.floor(rnd() * 190);
    const buy = rnd();
    const afterClick = clickedAt !== undefined && buy < 0.6;
    const afterOpen = !afterClick && opens > 0 && buy < 0.3;
    // Half an hour after sending, before any person's open or click: nothing to attribute it to.
    const purchaseAt = afterClick ? clickedAt! + DAY : afterOpen ? times[0] + 12 * HOUR : buy > 0.9 ? 30 * MIN : undefined;
    if (purchaseAt !== undefined) {
      const attributed = afterClick || afterOpen;
      actions.push({
        at: at(purchaseAt),
        run: async () => {
          const res = await t.json('POST', '/v1/events', { contact_id: contactIds[i], type: 'purchase', value, occurred_at: clock.toISOString() });
          expect(res.body.attributed).toBe(attributed ? 1 : 0);
          if (attributed) tally.conversions.push({ i, value });
        },
      });
    }
    if (rnd() < 0.15) actions.push({ at: at(26 * HOUR + i * MIN), run: async () => { expect((await t.json('POST', '/v1/responses', { message_id: publicIds.get(contactIds[i])!, kind: 'reply', body: 'Merci' })).status).toBe(201); tally.replied.add(i); } });
    if (rnd() < 0.1) {
      actions.push({
        at: at(30 * HOUR + i * MIN),
        run: async () => {
          const path = new URL(unsubscribe).pathname;
          const res = await t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
          expect(res.status).toBe(200);
          tally.unsubscribed.add(i);
        },
      });
    }
  }
  actions.sort((a, b) => a.at - b.at);
  for (const action of actions) {
    clock = new Date(action.at);
    await action.run();
    await t.deps.hits.flush();
  }
  clock = new Date(LAUNCH.getTime() + 10 * DAY);
}, 120_000);
afterAll(() => t.close());

const uniques = (list: Array<{ i: number }>) => new Set(list.map((e) => e.i)).size;
const sentTo = () => [...Array(CONTACTS).keys()].filter((i) => !NOT_SUBSCRIBED.has(i));
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

describe('the report of a seeded campaign', () => {
  it('the script did a bit of everything (else the checks below prove little)', () => {
    for (const kind of Object.keys(tally.events) as Kind[]) expect(tally.events[kind].length, kind).toBeGreaterThan(2);
    expect([tally.replied.size, tally.conversions.length, tally.unsubscribed.size].every((n) => n > 0)).toBe(true);
    expect(tally.events.open_human.some((e) => e.at - LAUNCH.getTime() > 48 * HOUR)).toBe(true);
  });

  it('the funnel and engagement equal the tally', async () => {
    const { body, status } = await t.json('GET', `/v1/campaigns/${campaign}/report`);
    expect(status).toBe(200);
    const sent = sentTo().length;
    const delivered = sent - tally.bounced.hard.size - tally.bounced.soft.size;
    const opened = uniques(tally.events.open_human);
    const clicked = uniques(tally.events.click_human);
    const converted = new Set(tally.conversions.map((c) => c.i)).size;
    const revenue = tally.conversions.reduce((a, c) => a + c.value, 0);
    expect(body.funnel).toEqual({
      targeted: CONTACTS, held_back: NOT_SUBSCRIBED.size, sent, delivered, delivery_confirmed: tally.delivered.size,
      bounced: { hard: tally.bounced.hard.size, soft: tally.bounced.soft.size }, rejected: 0, complained: tally.complained.size,
      opened: { human: opened, machine: uniques(tally.events.open_machine) }, clicked: { human: clicked, machine: uniques(tally.events.click_machine) },
      replied: tally.replied.size, converted, revenue, unsubscribed: tally.unsubscribed.size,
      rates: {
        delivery: rate(delivered, sent), bounce: rate(tally.bounced.hard.size + tally.bounced.soft.size, sent), complaint: rate(tally.complained.size, delivered),
        open: rate(opened, delivered), click: rate(clicked, delivered), click_to_open: rate(clicked, opened), reply: rate(tally.replied.size, delivered),
        conversion: rate(converted, delivered), unsubscribe: rate(tally.unsubscribed.size, delivered),
      },
    });
    expect(body.engagement).toMatchObject({
      opened, clicked, replied: tally.replied.size, converted,
      opens: { human: tally.events.open_human.length, machine: tally.events.open_machine.length, unique_human: opened, unique_machine: uniques(tally.events.open_machine) },
      clicks: {
        human: tally.events.click_human.length, machine: tally.events.click_machine.length, unique_human: clicked, unique_machine: uniques(tally.events.click_machine),
      },
      replies: tally.replied.size, conversions: { count: tally.conversions.length, revenue }, unsubscribes: tally.unsubscribed.size,
    });
    // Per link: the URL of each language's first link differs, so it is named without its query… and here its path differs too.
    const byLink = body.engagement.clicks.by_link.map((l: { link: number; human: number; machine: number }) => [l.link, l.human, l.machine]);
    const expected = [0, 1].map((k) => [k, tally.links[k].human, tally.links[k].machine]).filter(([, h, m]) => h + m > 0)
      .sort((a, b) => b[1] + b[2] - (a[1] + a[2]) || a[0] - b[0]);
    expect(byLink).toEqual(expected);
  });

  it('the series puts each hit in its hour for 48 hours (to the next UTC midnight), then in its UTC day', async () => {
    const { body } = await t.json('GET', `/v1/campaigns/${campaign}/report`);
    const start = Math.floor(LAUNCH.getTime() / HOUR) * HOUR;
    const hourlyUntil = Math.ceil((start + 48 * HOUR) / DAY) * DAY;
    const bucket = (at: number) => (at < hourlyUntil ? Math.floor(at / HOUR) * HOUR : Math.floor(at / DAY) * DAY);
    const expected = new Map<string, Record<string, number>>();
    for (const kind of Object.keys(tally.events) as Kind[]) {
      for (const e of tally.events[kind]) {
        const key = new Date(bucket(e.at)).toISOString();
        const values = expected.get(key) ?? { open_human: 0, open_machine: 0, click_human: 0, click_machine: 0 };
        values[kind]++;
        expected.set(key, values);
      }
    }
    const points = body.series.points as Array<{ at: string; granularity: string; values: Record<string, number> }>;
    const nonEmpty = points.filter((p) => Object.values(p.values).some((v) => v > 0));
    expect(Object.fromEntries(nonEmpty.map((p) => [p.at, p.values]))).toEqual(Object.fromEntries([...expected].sort()));
    // Every bucket is there, empty or not, from the launch hour to the last hit.
    const last = Math.max(...Object.values(tally.events).flat().map((e) => e.at));
    expect(points[0].at).toBe(new Date(start).toISOString());
    expect(points.at(-1)!.at).toBe(new Date(bucket(last)).toISOString());
    expect(points.filter((p) => p.granularity === 'hour').length).toBe((Math.min(hourlyUntil, bucket(last) + HOUR) - start) / HOUR);
  });

  it('the breakdowns by language variant, locale and the host attribute equal the tally', async () => {
    const { body } = await t.json('GET', `/v1/campaigns/${campaign}/report?by=host`);
    const group = (key: (i: number) => string) => {
      const rows = new Map<string, { key: string; sent: number; opened: number; clicked: number; replied: number; converted: number; revenue: number; unsubscribed: number }>();
      for (const i of sentTo()) {
        const k = key(i);
        const r = rows.get(k) ?? { key: k, sent: 0, opened: 0, clicked: 0, replied: 0, converted: 0, revenue: 0, unsubscribed: 0 };
        r.sent++;
        r.opened += Number(tally.events.open_human.some((e) => e.i === i));
        r.clicked += Number(tally.events.click_human.some((e) => e.i === i));
        r.replied += Number(tally.replied.has(i));
        r.converted += Number(tally.conversions.some((c) => c.i === i));
        r.revenue += tally.conversions.filter((c) => c.i === i).reduce((a, c) => a + c.value, 0);
        r.unsubscribed += Number(tally.unsubscribed.has(i));
        rows.set(k, r);
      }
      return [...rows.values()].map((r) => ({ ...r, rates: { open: rate(r.opened, r.sent), click: rate(r.clicked, r.sent) } }))
        .sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
    };
    const sortRows = (rows: Array<{ key: string; sent: number }>) => [...rows].sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
    expect(sortRows(body.breakdowns.locale)).toEqual(group(localeOf));
    expect(sortRows(body.breakdowns.variant)).toEqual(group((i) => VARIANT[localeOf(i)]));
    expect(body.breakdowns.attribute.name).toBe('host');
    expect(sortRows(body.breakdowns.attribute.rows)).toEqual(group((i) => String(hostOf(i))));
  });
});
