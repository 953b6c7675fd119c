// GET /v1/reports/workspace over a scripted fortnight: real campaigns on email and SMS launched through the API,
// opens and clicks through the tracker, bounces and complaints as SES events, unsubscribes, a reply and a purchase,
// an SMS cap that skips and an email cap that defers, an erasure. Every expected figure is worked out below from what
// the script did (the tally), never read back from the answer.
//
// The period is [2026-11-01, 2026-11-15) UTC. 2026-11-02 and 2026-11-09 are Mondays; quiet hours are off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { handleSesNotification } from '../../src/inbound/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, hit, mailTo, sentMails } from '../support/tracking.js';

const FROM = '2026-11-01';
const TO = '2026-11-15';
const SMS_RULE = 'sms: 1 per calendar month';
const EMAIL_RULE = 'email: 1 per calendar week';
const at = (s: string) => new Date(`${s}Z`);

let t: TestApp;
let clock = at('2026-10-20T10:00:00');
const email = (i: number) => `p${i}@example.fr`;
const ids: Record<number, number> = {};
const campaigns: Record<'O' | 'A' | 'B' | 'C' | 'D', number> = { O: 0, A: 0, B: 0, C: 0, D: 0 };

let sns = 0;
const ses = (eventType: string, providerId: string, part: Record<string, unknown>) =>
  handleSesNotification(t.deps.db, { snsMessageId: `wr-${++sns}`, message: JSON.stringify({ eventType, mail: { messageId: providerId }, ...part }) }, { at: clock });

/** What happened, by campaign and contact index, as the script did it. */
const did = {
  sent: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date }>,
  opens: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date }>,
  machineOpens: [] as Array<{ campaign: keyof typeof campaigns; i: number }>,
  clicks: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date }>,
  replies: [] as Array<{ campaign: keyof typeof campaigns; channel: string; i: number; at: Date }>,
  conversions: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date; value: number }>,
  unsubscribes: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date }>,
  bounces: [] as Array<{ campaign: keyof typeof campaigns; i: number; hard: boolean; at: Date }>,
  complaints: [] as Array<{ campaign: keyof typeof campaigns; i: number; at: Date }>,
};

async function providerIds(campaign: number) {
  const rows = await t.deps.db.selectFrom('messages').select(['contact_id', 'provider_message_id', 'public_id']).where('campaign_id', '=', campaign).execute();
  return new Map(rows.map((r) => [Number(r.contact_id), { provider: r.provider_message_id!, public: r.public_id! }]));
}

async function settle() {
  await t.deps.hits.flush();
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
  expect((await t.json('PUT', '/v1/settings/pressure', {
    rules: [{ channel: 'sms', max: 1, period: 'calendar_month' }, { channel: 'email', max: 1, period: 'calendar_week' }],
  })).status).toBe(200);
  await createTopic(t, 'news');
  const template = (subject: string) => createTemplate(t, 'email', {
    name: subject, subject, mjml: mjml('<a href="https://shop.example/promo">Promo</a> <a href="{{unsubscribe_url}}">Se désabonner</a>'),
  });
  const [octobre, novembre, rappel, sms] = [await template('Octobre'), await template('Novembre'), await template('Rappel'), await createTemplate(t, 'sms')];

  // Before the period: p0–p3 on email and SMS, p8 with no subscription (erased during the period).
  for (const i of [0, 1, 2, 3]) {
    ids[i] = (await createContact(t, {
      email: email(i), phone: `+3361234000${i}`, first_name: `P${i}`,
      subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'sms', topic: 'news' }],
    })).id;
  }
  ids[8] = (await createContact(t, { email: email(8), first_name: 'P8' })).id;

  // O, launched before the period: listed nowhere, but an open of it during the period is part of the trend.
  clock = at('2026-10-25T10:00:00');
  campaigns.O = await createCampaign(t, { name: 'Octobre', template_id: octobre, topic: 'news' });
  await launch(t, campaigns.O);
  for (const i of [0, 1, 2, 3]) did.sent.push({ campaign: 'O', i, at: clock });
  clock = at('2026-10-26T10:00:00');
  await hit(t, mailTo(await sentMails(t), email(0), 'Octobre').pixel!);
  did.opens.push({ campaign: 'O', i: 0, at: clock });
  await settle();

  // In the period: p4 and p5 sign up for email (no phone).
  clock = at('2026-11-02T08:00:00');
  for (const i of [4, 5]) ids[i] = (await createContact(t, { email: email(i), first_name: `P${i}`, subscriptions: [{ channel: 'email', topic: 'news' }] })).id;
  clock = at('2026-11-02T12:00:00');
  await hit(t, mailTo(await sentMails(t), email(1), 'Octobre').pixel!);
  did.opens.push({ campaign: 'O', i: 1, at: clock });
  await settle();

  // A: email to p0–p5, the first email of the week for each.
  clock = at('2026-11-03T09:00:00');
  campaigns.A = await createCampaign(t, { name: 'Novembre', template_id: novembre, topic: 'news' });
  await launch(t, campaigns.A);
  for (const i of [0, 1, 2, 3, 4, 5]) did.sent.push({ campaign: 'A', i, at: clock });
  const a = await providerIds(campaigns.A);
  const mails = await sentMails(t);
  const mailA = (i: number) => mailTo(mails, email(i), 'Novembre');

  clock = at('2026-11-03T09:30:00');
  await ses('Bounce', a.get(ids[2])!.provider, { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email(2) }], timestamp: clock.toISOString() } });
  did.bounces.push({ campaign: 'A', i: 2, hard: true, at: clock });
  clock = at('2026-11-03T09:40:00');
  await ses('Bounce', a.get(ids[5])!.provider, { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: email(5) }], timestamp: clock.toISOString() } });
  did.bounces.push({ campaign: 'A', i: 5, hard: false, at: clock });
  clock = at('2026-11-03T10:00:00');
  await hit(t, mailA(0).pixel!);
  did.opens.push({ campaign: 'A', i: 0, at: clock });
  clock = at('2026-11-03T10:05:00');
  await hit(t, mailA(1).pixel!, APPLE_PROXY);
  did.machineOpens.push({ campaign: 'A', i: 1 });
  await settle();

  clock = at('2026-11-04T08:00:00');
  await hit(t, mailA(0).pixel!);
  did.opens.push({ campaign: 'A', i: 0, at: clock });
  clock = at('2026-11-04T08:05:00');
  await hit(t, mailA(0).clicks[0]);
  did.clicks.push({ campaign: 'A', i: 0, at: clock });
  await settle();
  clock = at('2026-11-04T09:00:00');
  const purchase = await t.json('POST', '/v1/events', { contact_id: ids[0], type: 'purchase', value: 50, occurred_at: clock.toISOString() });
  expect(purchase.body.attributed).toBe(1);
  did.conversions.push({ campaign: 'A', i: 0, at: clock, value: 50 });
  clock = at('2026-11-04T10:00:00');
  expect((await t.json('POST', '/v1/responses', { message_id: a.get(ids[0])!.public, kind: 'reply', body: 'Merci' })).status).toBe(201);
  did.replies.push({ campaign: 'A', channel: 'email', i: 0, at: clock });

  // D: a second email the same week, on_cap defer: p2 is suppressed (hard bounce) at launch, the others wait for
  // Monday 2026-11-09.
  clock = at('2026-11-04T12:00:00');
  campaigns.D = await createCampaign(t, { name: 'Rappel', template_id: rappel, topic: 'news', on_cap: 'defer' });
  await launch(t, campaigns.D);

  clock = at('2026-11-05T09:00:00');
  await hit(t, mailA(3).pixel!);
  did.opens.push({ campaign: 'A', i: 3, at: clock });
  await settle();

  // B: SMS to p0–p3 (p4, p5 and p8 have no phone).
  clock = at('2026-11-05T10:00:00');
  campaigns.B = await createCampaign(t, { name: 'SMS soldes', channel: 'sms', template_id: sms, topic: 'news' });
  await launch(t, campaigns.B);
  for (const i of [0, 1, 2, 3]) did.sent.push({ campaign: 'B', i, at: clock });

  clock = at('2026-11-05T11:00:00');
  await ses('Complaint', a.get(ids[3])!.provider, { complaint: { complainedRecipients: [{ emailAddress: email(3) }], timestamp: clock.toISOString() } });
  did.complaints.push({ campaign: 'A', i: 3, at: clock });
  clock = at('2026-11-05T12:00:00');
  const b = await providerIds(campaigns.B);
  expect((await t.json('POST', '/v1/responses', { message_id: b.get(ids[1])!.public, kind: 'reply', body: 'OK' })).status).toBe(201);
  did.replies.push({ campaign: 'B', channel: 'sms', i: 1, at: clock });

  clock = at('2026-11-06T09:00:00');
  const unsubscribe = new URL(/href="([^"]+\/u\/[^"]+)"/.exec(mailA(4).html)![1]).pathname;
  const res = await t.app.request(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  expect(res.status).toBe(200);
  did.unsubscribes.push({ campaign: 'A', i: 4, at: clock });

  // C: a second SMS the same month: all four capped.
  clock = at('2026-11-06T10:00:00');
  campaigns.C = await createCampaign(t, { name: 'SMS relance', channel: 'sms', template_id: sms, topic: 'news' });
  await launch(t, campaigns.C);

  // p2 stops SMS through the API.
  clock = at('2026-11-07T10:00:00');
  expect((await t.json('POST', '/v1/contacts', { email: email(2), subscriptions: [{ channel: 'sms', topic: 'news', status: 'unsubscribed' }] })).status).toBe(200);
}, 120_000);
afterAll(() => t.close());

const get = (query: string, key?: string) => t.json('GET', `/v1/reports/workspace${query}`, undefined, key ? { key } : undefined);
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const inPeriod = (d: Date) => d >= at(`${FROM}T00:00:00`) && d < at(`${TO}T00:00:00`);

describe('while D waits for its cap window', () => {
  it('the default period (30 days up to now) counts its messages as deferred and waiting', async () => {
    clock = at('2026-11-08T12:00:00');
    const { status, body } = await get('');
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2026-10-09T12:00:00.000Z', to: '2026-11-08T12:00:00.000Z', channel: null });
    // D's audience at launch: p0–p5 and p8; p2 suppressed and p8 not subscribed, the other five deferred.
    const deferred = [0, 1, 3, 4, 5].length;
    expect(body.pressure.by_rule).toEqual([
      { rule: EMAIL_RULE, capped: 0, deferred },
      { rule: SMS_RULE, capped: 4, deferred: 0 },
    ]);
    expect(body.pressure).toMatchObject({ deferred, deferred_waiting: deferred, capped: 4 });
    // O, A, D's pending, B: O is in this period.
    expect(body.campaigns.items.map((c: { name: string }) => c.name)).toEqual(['SMS relance', 'SMS soldes', 'Rappel', 'Novembre', 'Octobre']);
  });
});

describe('the fortnight', () => {
  let report: any;
  beforeAll(async () => {
    // The week reopens: D's sender runs again. p3 (complaint) and p4 (unsubscribed) are held back at hand-over.
    clock = at('2026-11-09T10:00:00');
    await sendCampaign(t.deps, campaigns.D);
    for (const i of [0, 1, 5]) did.sent.push({ campaign: 'D', i, at: clock });
    clock = at('2026-11-10T09:00:00');
    await hit(t, mailTo(await sentMails(t), email(1), 'Rappel').pixel!);
    did.opens.push({ campaign: 'D', i: 1, at: clock });
    await settle();
    clock = at('2026-11-12T10:00:00');
    expect((await t.call('DELETE', `/v1/contacts/${ids[8]}`)).status).toBe(204);
    // After the period: A's engagement still counts for A (a campaign is compared whole), not in the trend.
    clock = at('2026-11-16T10:00:00');
    await hit(t, mailTo(await sentMails(t), email(5), 'Novembre').pixel!);
    did.opens.push({ campaign: 'A', i: 5, at: clock });
    await settle();
    clock = at('2026-11-20T10:00:00');
    ids[7] = (await createContact(t, { email: email(7), first_name: 'P7', subscriptions: [{ channel: 'email', topic: 'news' }] })).id;
    clock = at('2026-11-20T12:00:00');
    const res = await get(`?from=${FROM}&to=${TO}`, t.keys.analyst);
    expect(res.status).toBe(200);
    report = res.body;
  });

  it('covers the period asked for', () => {
    expect(report.period).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z', channel: null });
  });

  it('lists the campaigns launched in it, newest first, each as a whole', () => {
    const expected = (['C', 'B', 'D', 'A'] as const).map((k) => {
      const of = <T extends { campaign: string; i: number }>(list: T[]) => list.filter((x) => x.campaign === k);
      const people = <T extends { campaign: string; i: number }>(list: T[]) => new Set(of(list).map((x) => x.i)).size;
      const sent = of(did.sent).length;
      const hard = of(did.bounces).filter((x) => x.hard).length;
      const soft = of(did.bounces).filter((x) => !x.hard && !of(did.bounces).some((y) => y.i === x.i && y.hard)).length;
      const delivered = sent - hard - soft;
      const [opened, clicked, replied, converted, unsubscribed, complained] = [did.opens, did.clicks, did.replies, did.conversions, did.unsubscribes, did.complaints].map(people);
      const conversions = of(did.conversions);
      return {
        id: campaigns[k], sent, delivered, bounced: { hard, soft }, rejected: 0, complained, opened, clicked, replied, converted,
        conversions: { count: conversions.length, revenue: conversions.reduce((s, c) => s + c.value, 0) }, unsubscribed,
        rates: {
          bounce: rate(hard + soft, sent), open: rate(opened, delivered), click: rate(clicked, delivered), reply: rate(replied, delivered),
          conversion: rate(converted, delivered), unsubscribe: rate(unsubscribed, delivered), complaint: rate(complained, delivered),
        },
      };
    });
    expect(report.campaigns.total).toBe(4);
    expect(report.campaigns.items.map(({ name: _n, channel: _c, kind: _k, launched_at: _l, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    expect(report.campaigns.items.map((c: Record<string, unknown>) => [c.name, c.channel, c.kind, c.launched_at])).toEqual([
      ['SMS relance', 'sms', 'marketing', '2026-11-06T10:00:00.000Z'],
      ['SMS soldes', 'sms', 'marketing', '2026-11-05T10:00:00.000Z'],
      ['Rappel', 'email', 'marketing', '2026-11-04T12:00:00.000Z'],
      ['Novembre', 'email', 'marketing', '2026-11-03T09:00:00.000Z'],
    ]);
    // Worked out by hand, as a check on the tally: A opened by p0, p3 and p5 (p1's open was Apple's proxy).
    expect(report.campaigns.items[3]).toMatchObject({ sent: 6, delivered: 4, opened: 3, rates: { open: 0.75, bounce: 0.3333 } });
  });

  it('draws the trend per channel and UTC day, every day present, from events in the period only', () => {
    const days = [...Array(14).keys()].map((d) => `2026-11-${String(d + 1).padStart(2, '0')}`);
    const channelOf = (k: string) => (k === 'B' || k === 'C' ? 'sms' : 'email');
    // Every sendable channel has its line, postal's, a webhook's and calls' at zero here.
    const expected = ['email', 'sms', 'postal', 'webhook', 'call'].map((channel) => ({
      channel,
      days: days.map((day) => {
        const on = <T extends { campaign: string; at: Date }>(list: T[]) =>
          list.filter((x) => channelOf(x.campaign) === channel && inPeriod(x.at) && x.at.toISOString().slice(0, 10) === day);
        return {
          day, sent: on(did.sent).length, opens: on(did.opens).length, clicks: on(did.clicks).length, replies: on(did.replies).length,
          conversions: on(did.conversions).length, revenue: on(did.conversions).reduce((s, c) => s + c.value, 0), unsubscribes: on(did.unsubscribes).length,
        };
      }),
    }));
    expect(report.trend).toEqual(expected);
    // O's open on 2026-11-02 is there; A's open on 2026-11-16 is not.
    expect(report.trend[0].days[1].opens).toBe(1);
  });

  it('counts the audience: contacts at the start and the end, created, erased; opt-ins and opt-outs per channel', () => {
    // On file at 2026-11-01: p0–p3 and p8 (erased on 2026-11-12). At 2026-11-15: p0–p5. p7 came after.
    expect(report.audience.contacts).toEqual({ at_start: 5, at_end: 6, created: 2, erased: 1 });
    // Email: p0–p3 subscribed before; p4 and p5 opted in; p3 (complaint) and p4 (one-click) opted out.
    // SMS: p0–p3 subscribed before; p2 opted out through the API.
    expect(report.audience.subscriptions).toEqual([
      { channel: 'email', subscribed_at_start: 4, opt_ins: 2, opt_outs: 2, opt_out_rate: rate(2, 4) },
      { channel: 'sms', subscribed_at_start: 4, opt_ins: 0, opt_outs: 1, opt_out_rate: rate(1, 4) },
      { channel: 'postal', subscribed_at_start: 0, opt_ins: 0, opt_outs: 0, opt_out_rate: 0 },
      { channel: 'webhook', subscribed_at_start: 0, opt_ins: 0, opt_outs: 0, opt_out_rate: 0 },
      { channel: 'call', subscribed_at_start: 0, opt_ins: 0, opt_outs: 0, opt_out_rate: 0 },
    ]);
  });

  it('shows what caps did to the campaigns launched in the period', () => {
    // A: 6 sent. D: 3 sent after waiting; p3 and p4 held back at hand-over (suppressed, unsubscribed) after waiting too.
    // B: 4 sent. C: p0–p3 capped by the SMS rule.
    const email = { targeted: 6 + 3, capped: 0, deferred: 5, deferred_waiting: 0, capped_rate: 0 };
    const sms = { targeted: 4, capped: 4, deferred: 0, deferred_waiting: 0, capped_rate: rate(4, 4 + 4) };
    expect(report.pressure).toEqual({
      targeted: email.targeted + sms.targeted, capped: 4, deferred: 5, deferred_waiting: 0, capped_rate: rate(4, 13 + 4),
      by_rule: [{ rule: EMAIL_RULE, capped: 0, deferred: 5 }, { rule: SMS_RULE, capped: 4, deferred: 0 }],
      channels: [{ channel: 'email', ...email }, { channel: 'sms', ...sms }, { channel: 'postal', targeted: 0, capped: 0, deferred: 0, deferred_waiting: 0, capped_rate: 0 }, { channel: 'webhook', targeted: 0, capped: 0, deferred: 0, deferred_waiting: 0, capped_rate: 0 }, { channel: 'call', targeted: 0, capped: 0, deferred: 0, deferred_waiting: 0, capped_rate: 0 }],
    });
  });

  it('rates email deliverability against SES’s thresholds over the period', () => {
    const sent = did.sent.filter((s) => !['B', 'C'].includes(s.campaign) && inPeriod(s.at)).length;
    const hard = did.bounces.filter((b) => b.hard && inPeriod(b.at)).length;
    const soft = did.bounces.filter((b) => !b.hard && inPeriod(b.at)).length;
    const complained = did.complaints.filter((c) => inPeriod(c.at)).length;
    const delivered = sent - hard - soft;
    expect(sent).toBe(9);
    expect(report.deliverability).toEqual({
      sent, delivered, bounced: { hard, soft }, rejected: 0, complained,
      rates: { bounce: rate(hard, sent), complaint: rate(complained, delivered) },
      // 1 in 9 and 1 in 7: far past 5% and 0.1%.
      status: { overall: 'at_risk', bounce: 'at_risk', complaint: 'at_risk' },
      thresholds: { bounce: { warning: 0.025, at_risk: 0.05 }, complaint: { warning: 0.0005, at_risk: 0.001 } },
    });
  });

  it('narrows to one channel', async () => {
    const { status, body } = await get(`?from=${FROM}&to=${TO}&channel=sms`);
    expect(status).toBe(200);
    expect(body.period.channel).toBe('sms');
    expect(body.campaigns.items.map((c: { id: number }) => c.id)).toEqual([campaigns.C, campaigns.B]);
    expect(body.trend).toEqual([report.trend[1]]);
    expect(body.audience.subscriptions).toEqual([report.audience.subscriptions[1]]);
    expect(body.audience.contacts).toEqual(report.audience.contacts);
    const { channel: _, ...smsFigures } = report.pressure.channels[1];
    expect(body.pressure).toEqual({ ...smsFigures, by_rule: [{ rule: SMS_RULE, capped: 4, deferred: 0 }], channels: [report.pressure.channels[1]] });
    expect(body.deliverability).toBeNull();
  });

  it('takes date-times with an offset: a campaign launched outside the period is not listed', async () => {
    // [2026-11-04T13:00+01:00, 2026-11-05T11:00+01:00) = [12:00Z, 10:00Z): D (12:00Z) in, B (10:00Z) out.
    const { status, body } = await get(`?from=${encodeURIComponent('2026-11-04T13:00:00+01:00')}&to=${encodeURIComponent('2026-11-05T11:00:00+01:00')}`);
    expect(status).toBe(200);
    expect(body.campaigns).toMatchObject({ total: 1, items: [{ id: campaigns.D }] });
  });
});

describe('bad queries', () => {
  it('422 naming the field for a period that ends before it starts, or is longer than 366 days', async () => {
    for (const [query, field, message] of [
      ['?from=2026-11-15&to=2026-11-01', 'to', 'must be after from'],
      ['?from=2026-11-01&to=2026-11-01', 'to', 'must be after from'],
      ['?from=2025-01-01&to=2026-01-03', 'to', 'must be at most 366 days after from'],
      ['?from=2020-01-01', 'from', 'must be at most 366 days before now (to defaults to now)'],
    ]) {
      const res = await get(query);
      expect([query, res.status, res.body.error.details]).toEqual([query, 422, [{ field, message }]]);
    }
    expect((await get('?from=2025-01-01&to=2026-01-02')).status).toBe(200);
  });

  it('422 for a date it cannot read, an unknown channel or an unknown parameter, naming it', async () => {
    for (const [query, field] of [['?from=2026-02-30', 'from'], ['?to=2026-11-01T10:00:00', 'to'], ['?channel=fax', 'channel'], ['?since=2026-11-01', 'since']]) {
      const res = await get(query);
      expect([query, res.status, res.body.error.details.map((d: { field: string }) => d.field)]).toEqual([query, 422, [field]]);
    }
  });
});
