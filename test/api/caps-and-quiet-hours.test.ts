// Pressure caps and quiet hours through the API, on a fixed clock, with recording transports.
// Expected instants are written out by hand: in November 2026 Paris is UTC+1; Toronto is UTC-4 until
// 2026-11-01 02:00 local, then UTC-5. 2026-11-15 is a Sunday, 2026-11-17 a Tuesday.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sendCampaign } from '../../src/campaigns/sender.js';
import type { EmailTransport, SmsTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTemplate, createTopic } from '../support/fixtures.js';

const TUESDAY = new Date('2026-11-17T10:00:00Z'); // 11:00 in Paris, 05:00 in Toronto

interface Person {
  id: number;
  email: string;
  phone: string;
  zone: 'paris' | 'toronto';
}

/** A test app with a movable clock and transports that record what they are handed. */
async function setup() {
  const state = {
    now: TUESDAY,
    failEmail: false,
    sent: [] as Array<{ channel: 'email' | 'sms'; to: string }>,
  };
  const sms: SmsTransport = {
    name: 'recording',
    async send(m) {
      state.sent.push({ channel: 'sms', to: m.to });
      return { providerMessageId: m.messageId };
    },
  };
  const email: EmailTransport = {
    name: 'recording',
    async send(m) {
      if (state.failEmail) throw new Error('550 5.1.1 mailbox unavailable');
      state.sent.push({ channel: 'email', to: m.to.address });
      return { providerMessageId: m.messageId };
    },
  };
  const t = await createTestApp({ SEND_BATCH_SIZE: '50' }, { clock: () => state.now, transports: { sms, email } });
  await createTopic(t, 'promo');
  const smsTemplate = await createTemplate(t, 'sms', { text: 'Hello {{first_name}} -20%' });
  const emailTemplate = await createTemplate(t, 'email');

  let seq = 0;
  /** Contacts subscribed to promo on email and SMS, in a list of their own (so each test has fresh contacts). */
  async function people(...zones: Array<'paris' | 'toronto'>): Promise<{ listId: number; people: Person[] }> {
    const out: Person[] = [];
    for (const zone of zones) {
      seq++;
      const n = String(seq).padStart(4, '0');
      const body =
        zone === 'paris'
          ? { email: `p${n}@example.fr`, phone: `+3361234${n}`, first_name: `P${n}`, timezone: 'Europe/Paris', address: { country: 'FR' } }
          : { email: `t${n}@example.ca`, phone: `+1416555${n}`, first_name: `T${n}`, timezone: 'America/Toronto', locale: 'en-CA', address: { country: 'CA' } };
      const res = await t.json('POST', '/v1/contacts', {
        ...body,
        subscriptions: [{ channel: 'email', topic: 'promo', status: 'subscribed' }, { channel: 'sms', topic: 'promo', status: 'subscribed' }],
      });
      expect(res.status).toBe(201);
      out.push({ id: res.body.id, email: res.body.email, phone: res.body.phone, zone });
    }
    const list = await t.json('POST', '/v1/lists', { name: `group ${seq}` });
    expect((await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: out.map((p) => p.id) })).body.added).toBe(out.length);
    return { listId: list.body.id, people: out };
  }

  /** Creates and launches a campaign, then waits for its in-process sender. */
  async function launch(channel: 'email' | 'sms', listId: number, extra: Record<string, unknown> = {}) {
    const created = await t.json('POST', '/v1/campaigns', {
      name: `C ${channel}`, channel, template_id: channel === 'sms' ? smsTemplate : emailTemplate, topic: 'promo', audience: { list_ids: [listId] }, ...extra,
    });
    expect(created.status).toBe(201);
    expect((await t.json('POST', `/v1/campaigns/${created.body.id}/launch`)).status).toBe(202);
    await t.deps.background.idle();
    return created.body.id as number;
  }

  async function campaign(id: number) {
    const res = await t.json('GET', `/v1/campaigns/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** The ledger rows of a campaign, by contact id. */
  async function messages(id: number) {
    const rows = await t.deps.db
      .selectFrom('messages')
      .select(['id', 'contact_id', 'status', 'skip_reason', 'capped_by', 'not_before'])
      .where('campaign_id', '=', id)
      .execute();
    return new Map(
      rows.map((r) => [
        Number(r.contact_id),
        { id: Number(r.id), status: r.status, skip_reason: r.skip_reason, capped_by: r.capped_by, not_before: r.not_before ? new Date(r.not_before).toISOString() : null },
      ]),
    );
  }

  async function ledger(contactIds: number[]) {
    return t.deps.db
      .selectFrom('pressure_ledger')
      .select(['message_id', 'contact_id', 'channel'])
      .where('contact_id', 'in', contactIds)
      .orderBy('message_id')
      .execute();
  }

  async function putPressure(rules: unknown[]) {
    const res = await t.json('PUT', '/v1/settings/pressure', { rules });
    expect(res.status).toBe(200);
  }

  const sentTo = (p: Person[], channel: 'email' | 'sms') => {
    const addresses = new Set(p.map((x) => (channel === 'email' ? x.email : x.phone)));
    return state.sent.filter((s) => s.channel === channel && addresses.has(s.to)).map((s) => s.to);
  };

  return { t, state, people, launch, campaign, messages, ledger, putPressure, sentTo };
}

type Setup = Awaited<ReturnType<typeof setup>>;

describe('pressure caps', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
    // The documented defaults, read on the fresh workspace (before any test changes the caps, in whatever order).
    expect(await s.t.json('GET', '/v1/settings/pressure')).toEqual({
      status: 200,
      body: {
        rules: [
          { channel: 'email', max: 12, period: 'calendar_month' },
          { channel: 'sms', max: 2, period: 'calendar_month' },
          { channel: 'postal', max: 2, period: 'calendar_month' },
          { channel: 'webhook', max: 4, period: 'calendar_week' },
          { channel: 'call', max: 4, period: 'rolling_days', days: 30 },
        ],
      },
    });
  });
  afterAll(() => s.t.close());
  beforeEach(async () => {
    s.state.now = TUESDAY;
    s.state.failEmail = false;
    // Caps only: no quiet hours in this block.
    expect((await s.t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
  });

  it('GET and PUT /v1/settings/pressure, with validation and roles', async () => {
    const { t } = s;
    const current = await t.json('GET', '/v1/settings/pressure');
    expect(current.status).toBe(200);

    const noDays = await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'sms', max: 2, period: 'rolling_days' }] });
    expect(noDays.status).toBe(422);
    expect(noDays.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.0.days']);

    const daysOnMonth = await t.json('PUT', '/v1/settings/pressure', {
      rules: [{ channel: 'sms', max: 2, period: 'calendar_month' }, { channel: 'email', max: 2, period: 'calendar_month', days: 7 }],
    });
    expect(daysOnMonth.status).toBe(422);
    expect(daysOnMonth.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.1.days']);

    const negative = await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'sms', max: -1, period: 'calendar_month' }] });
    expect(negative.status).toBe(422);
    expect(negative.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.0.max']);

    const badChannel = await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'fax', max: 1, period: 'calendar_month' }] });
    expect(badChannel.status).toBe(422);
    expect(badChannel.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.0.channel']);

    const rules = [{ channel: 'sms', max: 1, period: 'calendar_week' }, { channel: 'email', max: 3, period: 'rolling_days', days: 7 }];
    const analystPut = await t.json('PUT', '/v1/settings/pressure', { rules }, { key: t.keys.analyst });
    expect(analystPut.status).toBe(403);
    // Nothing was saved by the refused or invalid requests.
    expect((await t.json('GET', '/v1/settings/pressure')).body).toEqual(current.body);

    const saved = await t.json('PUT', '/v1/settings/pressure', { rules });
    expect(saved).toEqual({ status: 200, body: { rules } });
    const read = await t.json('GET', '/v1/settings/pressure', undefined, { key: t.keys.analyst });
    expect(read).toEqual({ status: 200, body: { rules } });
  });

  it('sms 1 per calendar month: a second campaign is fully skipped as capped, with the rule', async () => {
    const { people, launch, campaign, ledger, putPressure, sentTo } = s;
    await putPressure([{ channel: 'sms', max: 1, period: 'calendar_month' }]);
    const g = await people('paris', 'paris', 'toronto');

    const first = await launch('sms', g.listId);
    expect((await campaign(first)).counts).toMatchObject({ audience: 3, sent: 3, skipped: {}, capped_by: {} });
    expect((await ledger(g.people.map((p) => p.id))).length).toBe(3);

    const second = await launch('sms', g.listId);
    const c = await campaign(second);
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ audience: 3, targeted: 0, sent: 0, pending: 0, deferred: 0, skipped: { capped: 3 }, capped_by: { 'sms: 1 per calendar month': 3 } });
    expect(sentTo(g.people, 'sms').length).toBe(3);
    expect((await ledger(g.people.map((p) => p.id))).length).toBe(3);
  });

  it("on_cap defer holds each message until the first instant of next month in the contact's zone", async () => {
    const { t, state, people, launch, campaign, messages, putPressure, sentTo } = s;
    await putPressure([{ channel: 'sms', max: 1, period: 'calendar_month' }]);
    const g = await people('paris', 'toronto');
    const [paris, toronto] = g.people;
    await launch('sms', g.listId);

    const id = await launch('sms', g.listId, { on_cap: 'defer' });
    let c = await campaign(id);
    expect(c.status).toBe('sending');
    expect(c.counts).toMatchObject({ audience: 2, targeted: 2, pending: 2, deferred: 2, sent: 0, skipped: {}, capped_by: { 'sms: 1 per calendar month': 2 } });
    const held = await messages(id);
    // 1 December 00:00 CET, and 1 December 00:00 EST.
    expect(held.get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-11-30T23:00:00.000Z', capped_by: 'sms: 1 per calendar month' });
    expect(held.get(toronto.id)).toMatchObject({ status: 'pending', not_before: '2026-12-01T05:00:00.000Z', capped_by: 'sms: 1 per calendar month' });

    // Midnight in Paris: the Paris message goes, Toronto is still in November.
    state.now = new Date('2026-11-30T23:00:00Z');
    await sendCampaign(t.deps, id);
    c = await campaign(id);
    expect(c.counts).toMatchObject({ sent: 1, pending: 1, deferred: 1 });
    expect(sentTo([paris], 'sms').length).toBe(2);
    expect(sentTo([toronto], 'sms').length).toBe(1);

    state.now = new Date('2026-12-01T05:00:00Z');
    await sendCampaign(t.deps, id);
    c = await campaign(id);
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ sent: 2, pending: 0, deferred: 0 });
    expect(sentTo([toronto], 'sms').length).toBe(2);
  });

  it('a deferred message whose window reopens after the campaign deadline is skipped as capped', async () => {
    const { people, launch, campaign, messages, putPressure } = s;
    await putPressure([{ channel: 'sms', max: 1, period: 'calendar_month' }]);
    const g = await people('paris', 'toronto');
    const [paris, toronto] = g.people;
    await launch('sms', g.listId);

    // Deadline before both reopenings.
    const early = await launch('sms', g.listId, { on_cap: 'defer', deadline: '2026-11-30T12:00:00Z' });
    let c = await campaign(early);
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ sent: 0, pending: 0, deferred: 0, skipped: { capped: 2 }, capped_by: { 'sms: 1 per calendar month': 2 } });

    // Deadline between them: midnight in Paris is before it, midnight in Toronto after it.
    const between = await launch('sms', g.listId, { on_cap: 'defer', deadline: '2026-12-01T01:00:00+01:00' });
    c = await campaign(between);
    expect(c.counts).toMatchObject({ pending: 1, deferred: 1, skipped: { capped: 1 }, capped_by: { 'sms: 1 per calendar month': 2 } });
    const rows = await messages(between);
    expect(rows.get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-11-30T23:00:00.000Z' });
    expect(rows.get(toronto.id)).toMatchObject({ status: 'skipped', skip_reason: 'capped', capped_by: 'sms: 1 per calendar month', not_before: null });
  });

  it('a rolling window: capped until the earlier send is 7 days old, then sent', { timeout: 20_000 }, async () => {
    const { t, state, people, launch, campaign, messages, ledger, putPressure, sentTo } = s;
    await putPressure([{ channel: 'email', max: 1, period: 'rolling_days', days: 7 }]);
    const g = await people('paris', 'toronto');
    await launch('email', g.listId); // Tuesday 17 Nov 10:00Z

    state.now = new Date('2026-11-20T10:00:00Z');
    const skipped = await launch('email', g.listId);
    expect((await campaign(skipped)).counts).toMatchObject({ sent: 0, skipped: { capped: 2 }, capped_by: { 'email: 1 per 7 days': 2 } });

    const deferred = await launch('email', g.listId, { on_cap: 'defer' });
    expect((await campaign(deferred)).counts).toMatchObject({ pending: 2, deferred: 2, capped_by: { 'email: 1 per 7 days': 2 } });
    // Seven days after the first send, whatever the zone.
    for (const m of (await messages(deferred)).values()) expect(m.not_before).toBe('2026-11-24T10:00:00.000Z');

    state.now = new Date('2026-11-24T09:59:59Z');
    await sendCampaign(t.deps, deferred);
    expect((await campaign(deferred)).counts).toMatchObject({ sent: 0, pending: 2, deferred: 2 });

    // At the reopening instant itself the old send has left the window.
    state.now = new Date('2026-11-24T10:00:00Z');
    await sendCampaign(t.deps, deferred);
    const done = await campaign(deferred);
    expect(done.status).toBe('sent');
    expect(done.counts).toMatchObject({ sent: 2, pending: 0, deferred: 0 });
    expect(sentTo(g.people, 'email').length).toBe(4);
    expect((await ledger(g.people.map((p) => p.id))).length).toBe(4);
  });

  it('several rules combine: the strictest blocks, and a deferral waits for the one closed longest', async () => {
    const { t, state, people, launch, campaign, messages, putPressure, sentTo } = s;
    await putPressure([{ channel: 'sms', max: 3, period: 'calendar_month' }, { channel: 'sms', max: 1, period: 'calendar_week' }]);
    const g = await people('paris');
    const [paris] = g.people;
    await launch('sms', g.listId);

    // The monthly cap (3) would allow it; the weekly one (1) does not.
    const skipped = await launch('sms', g.listId);
    expect((await campaign(skipped)).counts).toMatchObject({ sent: 0, skipped: { capped: 1 }, capped_by: { 'sms: 1 per calendar week': 1 } });
    const deferred = await launch('sms', g.listId, { on_cap: 'defer' });
    // Monday 23 November 00:00 CET.
    expect((await messages(deferred)).get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-11-22T23:00:00.000Z', capped_by: 'sms: 1 per calendar week' });
    state.now = new Date('2026-11-22T23:00:00Z');
    await sendCampaign(t.deps, deferred);
    expect((await campaign(deferred)).counts).toMatchObject({ sent: 1 });
    expect(sentTo([paris], 'sms').length).toBe(2);

    // Both rules full: the month closes longest (1 December 00:00 CET), and is named.
    await putPressure([{ channel: 'sms', max: 2, period: 'calendar_month' }, { channel: 'sms', max: 1, period: 'calendar_week' }]);
    state.now = new Date('2026-11-24T10:00:00Z');
    const both = await launch('sms', g.listId, { on_cap: 'defer' });
    expect((await messages(both)).get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-11-30T23:00:00.000Z', capped_by: 'sms: 2 per calendar month' });
  });

  it("a contact's own preference (0 emails a month) holds back only that contact, on that channel", async () => {
    const { t, people, launch, campaign, messages, putPressure, sentTo } = s;
    await putPressure([{ channel: 'email', max: 12, period: 'calendar_month' }, { channel: 'sms', max: 2, period: 'calendar_month' }]);
    const g = await people('paris', 'paris');
    const [quiet, other] = g.people;
    await t.deps.db.insertInto('contact_preferences').values({ contact_id: quiet.id, channel: 'email', max_messages: 0, period: 'calendar_month' }).execute();

    const id = await launch('email', g.listId);
    const c = await campaign(id);
    expect(c.counts).toMatchObject({ audience: 2, sent: 1, skipped: { capped: 1 }, capped_by: { 'contact preference (email: 0 per calendar month)': 1 } });
    expect((await messages(id)).get(quiet.id)).toMatchObject({ status: 'skipped', skip_reason: 'capped' });
    expect(sentTo([quiet], 'email')).toEqual([]);
    expect(sentTo([other], 'email')).toEqual([other.email]);

    const bySms = await launch('sms', g.listId);
    expect((await campaign(bySms)).counts).toMatchObject({ sent: 2, skipped: {} });
  });

  it('low priority leaves the last slot: capped after one of two, while normal priority passes', async () => {
    const { people, launch, campaign, ledger, putPressure, sentTo } = s;
    await putPressure([{ channel: 'sms', max: 2, period: 'calendar_month' }]);
    const g = await people('paris');
    expect((await campaign(await launch('sms', g.listId))).counts.sent).toBe(1);

    const low = await launch('sms', g.listId, { priority: 'low' });
    expect((await campaign(low)).counts).toMatchObject({ sent: 0, skipped: { capped: 1 }, capped_by: { 'sms: 2 per calendar month': 1 } });

    const normal = await launch('sms', g.listId);
    expect((await campaign(normal)).counts).toMatchObject({ sent: 1, skipped: {} });

    // The cap is reached: even high priority is held now.
    const high = await launch('sms', g.listId, { priority: 'high' });
    expect((await campaign(high)).counts).toMatchObject({ sent: 0, skipped: { capped: 1 } });
    expect(sentTo(g.people, 'sms').length).toBe(2);
    expect((await ledger([g.people[0].id])).length).toBe(2);
  });

  it('a deferred low-priority message waits until the window has a slot it may use', async () => {
    const { state, people, launch, messages, putPressure } = s;
    await putPressure([{ channel: 'sms', max: 2, period: 'rolling_days', days: 30 }]);
    const g = await people('paris');
    const [paris] = g.people;
    state.now = new Date('2026-11-02T10:00:00Z');
    await launch('sms', g.listId);
    state.now = new Date('2026-11-10T10:00:00Z');
    await launch('sms', g.listId);

    state.now = new Date('2026-11-15T10:00:00Z');
    // Normal priority may use a slot again once the 2 November send is 30 days old.
    const normal = await launch('sms', g.listId, { on_cap: 'defer' });
    expect((await messages(normal)).get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-12-02T10:00:00.000Z', capped_by: 'sms: 2 per 30 days' });
    // Low priority may not take the last slot: both sends have to leave the window.
    const low = await launch('sms', g.listId, { on_cap: 'defer', priority: 'low' });
    expect((await messages(low)).get(paris.id)).toMatchObject({ status: 'pending', not_before: '2026-12-10T10:00:00.000Z', capped_by: 'sms: 2 per 30 days' });
  });

  it('a message the transport refuses for good gives its slot back', async () => {
    const { state, people, launch, campaign, messages, ledger, putPressure, sentTo } = s;
    await putPressure([{ channel: 'email', max: 1, period: 'calendar_month' }]);
    const g = await people('paris');
    const [paris] = g.people;

    state.failEmail = true;
    const failed = await launch('email', g.listId);
    expect((await campaign(failed)).counts).toMatchObject({ sent: 0, failed: 1, skipped: {} });
    expect(await ledger([paris.id])).toEqual([]);

    state.failEmail = false;
    const retry = await launch('email', g.listId);
    expect((await campaign(retry)).counts).toMatchObject({ sent: 1, skipped: {} });
    const counted = await ledger([paris.id]);
    expect(counted.map((r) => Number(r.message_id))).toEqual([(await messages(retry)).get(paris.id)!.id]);

    // The slot is used now.
    const third = await launch('email', g.listId);
    expect((await campaign(third)).counts).toMatchObject({ sent: 0, skipped: { capped: 1 } });
    expect(sentTo([paris], 'email')).toEqual([paris.email]);
  });
});

describe('quiet hours', () => {
  // The documented default: SMS Monday to Saturday, 08:00–20:00, never on public holidays.
  const DEFAULT_RULES = {
    rules: [
      { channel: 'sms', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00', skip_holidays: true },
      { channel: 'call', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '10:00', to: '20:00', breaks: [{ from: '13:00', to: '14:00' }], skip_holidays: true },
    ],
  };
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
    expect(await s.t.json('GET', '/v1/settings/quiet-hours')).toEqual({ status: 200, body: DEFAULT_RULES });
  });
  // Each test starts from the default window, whatever an earlier one changed.
  beforeEach(async () => {
    expect((await s.t.json('PUT', '/v1/settings/quiet-hours', DEFAULT_RULES)).status).toBe(200);
  });
  afterAll(() => s.t.close());

  it('GET and PUT /v1/settings/quiet-hours, with validation', async () => {
    const { t } = s;
    const defaults = await t.json('GET', '/v1/settings/quiet-hours');
    expect(defaults).toEqual({ status: 200, body: DEFAULT_RULES });
    const rule = { channel: 'sms', days: ['mon'], from: '08:00', to: '20:00', skip_holidays: true };
    for (const bad of [{ from: '20:00', to: '08:00' }, { from: '09:00', to: '09:00' }]) {
      const res = await t.json('PUT', '/v1/settings/quiet-hours', { rules: [{ ...rule, ...bad }] });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.0.to']);
    }
    const badTime = await t.json('PUT', '/v1/settings/quiet-hours', { rules: [{ ...rule, from: '8:00' }] });
    expect(badTime.status).toBe(422);
    expect(badTime.body.error.details.map((d: { field: string }) => d.field)).toEqual(['rules.0.from']);
    const badDay = await t.json('PUT', '/v1/settings/quiet-hours', { rules: [{ ...rule, days: ['sunday'] }] });
    expect(badDay.status).toBe(422);
    expect(badDay.body.error.details[0].field).toMatch(/^rules\.0\.days/);
    expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] }, { key: t.keys.analyst })).status).toBe(403);
    expect((await t.json('GET', '/v1/settings/quiet-hours')).body).toEqual(defaults.body);

    // An empty list means no quiet hours.
    expect(await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).toEqual({ status: 200, body: { rules: [] } });
    expect((await t.json('GET', '/v1/settings/quiet-hours')).body).toEqual({ rules: [] });
    expect((await t.json('PUT', '/v1/settings/quiet-hours', defaults.body)).status).toBe(200);
    expect((await t.json('GET', '/v1/settings/quiet-hours')).body).toEqual(defaults.body);
  });

  it('an SMS campaign on a Sunday is deferred to Monday 08:00 local, then sent', async () => {
    const { t, state, people, launch, campaign, messages, ledger, sentTo } = s;
    // Sunday 15 November, 11:00 in Paris, 05:00 in Toronto.
    state.now = new Date('2026-11-15T10:00:00Z');
    const g = await people('paris', 'paris', 'paris', 'toronto');
    const paris = g.people.filter((p) => p.zone === 'paris');
    const [toronto] = g.people.filter((p) => p.zone === 'toronto');

    const id = await launch('sms', g.listId);
    let c = await campaign(id);
    expect(c.status).toBe('sending');
    expect(c.counts).toMatchObject({ audience: 4, targeted: 4, pending: 4, deferred: 4, sent: 0, skipped: {}, capped_by: {} });
    expect(sentTo(g.people, 'sms')).toEqual([]);
    const held = await messages(id);
    // Monday 16 November 08:00 CET, and 08:00 EST.
    for (const p of paris) expect(held.get(p.id)).toMatchObject({ status: 'pending', not_before: '2026-11-16T07:00:00.000Z', capped_by: null });
    expect(held.get(toronto.id)).toMatchObject({ status: 'pending', not_before: '2026-11-16T13:00:00.000Z' });
    // Held by quiet hours, not counted against the caps.
    expect(await ledger(g.people.map((p) => p.id))).toEqual([]);

    // Monday 09:00 in Paris (03:00 in Toronto).
    state.now = new Date('2026-11-16T08:00:00Z');
    await sendCampaign(t.deps, id);
    c = await campaign(id);
    expect(c.status).toBe('sending');
    expect(c.counts).toMatchObject({ sent: 3, pending: 1, deferred: 1 });
    expect(sentTo(paris, 'sms').sort()).toEqual(paris.map((p) => p.phone).sort());

    state.now = new Date('2026-11-16T13:00:00Z');
    await sendCampaign(t.deps, id);
    c = await campaign(id);
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ sent: 4, pending: 0, deferred: 0 });
    expect(sentTo([toronto], 'sms')).toEqual([toronto.phone]);
  });

  it('a deferred SMS goes to the number the contact has when it is handed over, which the ledger records', async () => {
    const { t, state, people, launch, campaign, sentTo } = s;
    state.now = new Date('2026-11-15T10:00:00Z'); // Sunday
    const g = await people('paris', 'paris');
    const [moved, gone] = g.people;
    const id = await launch('sms', g.listId);
    expect((await campaign(id)).counts).toMatchObject({ pending: 2, deferred: 2 });
    // Before Monday, one changes number and the other removes theirs.
    expect((await t.json('PATCH', `/v1/contacts/${moved.id}`, { phone: '+33699887766' })).status).toBe(200);
    expect((await t.json('PATCH', `/v1/contacts/${gone.id}`, { phone: null })).status).toBe(200);
    state.now = new Date('2026-11-16T08:00:00Z');
    await sendCampaign(t.deps, id);
    expect((await campaign(id)).counts).toMatchObject({ sent: 1, skipped: { no_address: 1 } });
    expect(sentTo(g.people, 'sms')).toEqual([]);
    expect(state.sent.filter((m) => m.to === '+33699887766')).toHaveLength(1);
    const rows = await t.deps.db.selectFrom('messages').select(['contact_id', 'status', 'address']).where('campaign_id', '=', id).orderBy('contact_id').execute();
    expect(rows.map((r) => [Number(r.contact_id), r.status, r.address])).toEqual([[moved.id, 'sent', '+33699887766'], [gone.id, 'skipped', null]]);
  });

  it('a French public holiday defers to the next allowed day; a deadline before the opening skips the message', async () => {
    const { state, people, launch, campaign, messages } = s;
    // Wednesday 11 November (Armistice), 10:00 CET.
    state.now = new Date('2026-11-11T09:00:00Z');
    const g = await people('paris');
    const id = await launch('sms', g.listId);
    expect((await messages(id)).get(g.people[0].id)).toMatchObject({ status: 'pending', not_before: '2026-11-12T07:00:00.000Z' });

    const tooLate = await launch('sms', g.listId, { deadline: '2026-11-12T06:00:00Z' });
    expect((await campaign(tooLate)).counts).toMatchObject({ sent: 0, pending: 0, skipped: { deadline: 1 } });
  });

  it('with an empty list, an SMS goes out on a Sunday', async () => {
    const { t, state, people, launch, campaign } = s;
    expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
    state.now = new Date('2026-11-15T10:00:00Z');
    const g = await people('paris');
    const c = await campaign(await launch('sms', g.listId));
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ sent: 1, deferred: 0 });
  });
});
