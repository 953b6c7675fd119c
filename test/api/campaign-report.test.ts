// A campaign's report: delivery, what consent, suppression, caps and quiet hours held back, and engagement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { campaignReport } from '../../src/reporting/index.js';
import { applyEngagement } from '../../src/tracking/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createList, createTemplate, createTopic } from '../support/fixtures.js';

// A Sunday afternoon in Paris: the default SMS window (Mon–Sat) is closed; email has none.
const SUNDAY = new Date('2026-11-29T14:00:00Z');

let t: TestApp;
const ids: Record<string, number> = {};
let emailCampaign: number;
let smsCampaign: number;

async function launchAndWait(body: Record<string, unknown>) {
  const c = await t.json('POST', '/v1/campaigns', { topic: 'news', audience: { all: true }, ...body });
  expect(c.status).toBe(201);
  expect((await t.json('POST', `/v1/campaigns/${c.body.id}/launch`)).status).toBe(202);
  await t.deps.background.idle();
  return c.body.id as number;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => SUNDAY });
  await createTopic(t, 'news');
  await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'email', max: 1, period: 'calendar_month' }] });
  const both = [{ channel: 'email', topic: 'news' }, { channel: 'sms', topic: 'news' }];
  const people: Array<[string, Record<string, unknown>]> = [
    ['A', { email: 'a@example.fr', phone: '+33611111111', subscriptions: both }],
    ['B', { email: 'b@example.fr', subscriptions: both }], // gets an email earlier this month
    ['C', { email: 'c@example.fr', subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }] }],
    ['D', { email: 'd@example.fr', subscriptions: both }], // paused below
    ['E', { email: 'e@example.fr', subscriptions: both }], // suppressed below
    ['F', { phone: '+33622222222', subscriptions: both }], // no email
    ['G', { email: 'g@example.fr' }], // never subscribed
  ];
  for (const [ext, body] of people) ids[ext] = (await t.json('POST', '/v1/contacts', { external_id: ext, ...body })).body.id;
  await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'e@example.fr', reason: 'manual' });
  await t.deps.db.updateTable('subscriptions').set({ status: 'paused', paused_until: new Date('2027-01-31T00:00:00Z') })
    .where('contact_id', '=', ids.D).where('channel', '=', 'email').execute();

  const email = await createTemplate(t, 'email');
  const sms = await createTemplate(t, 'sms');
  const list = await createList(t, [ids.B], 'B');
  await launchAndWait({ name: 'earlier', channel: 'email', template_id: email, audience: { list_ids: [list] } });
  emailCampaign = await launchAndWait({ name: 'news', channel: 'email', template_id: email });
  smsCampaign = await launchAndWait({ name: 'sms', channel: 'sms', template_id: sms });
  // A's email was opened and clicked (the ingestion keeps the first human open and click per message).
  const opened = await t.deps.db.selectFrom('messages').select('id').where('campaign_id', '=', emailCampaign).where('contact_id', '=', ids.A).executeTakeFirstOrThrow();
  const fact = { messageId: Number(opened.id), campaignId: emailCampaign, contactId: ids.A, at: SUNDAY };
  await inTransaction(t.deps.db, (trx) => applyEngagement(trx, [{ ...fact, metric: 'open_human' }, { ...fact, metric: 'click_human' }]));
});
afterAll(() => t.close());

describe('GET /v1/campaigns/{id}/report', () => {
  it('an email campaign: one sent, the rest held back by consent, suppression and the cap, with engagement', async () => {
    const res = await t.json('GET', `/v1/campaigns/${emailCampaign}/report`, undefined, { key: t.keys.analyst });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaign: { id: emailCampaign, name: 'news', channel: 'email', kind: 'marketing', status: 'sent' } });
    expect(res.body.delivery).toEqual({ audience: 7, targeted: 1, sent: 1, failed: 0, pending: 0, sending: 0, cancelled: 0 });
    expect(res.body.held_back).toEqual({
      consent: { not_subscribed: 1, unsubscribed: 1, pending_confirmation: 0, paused: 1 }, // G, C, D
      no_address: 1, suppressed: 1, contact_deleted: 0, deadline: 0, // F, E
      capped: { 'email: 1 per calendar month': 1 }, // B
    });
    expect(res.body.deferred).toEqual({ quiet_hours: 0, caps: {}, local_time: 0, retrying: 0 });
    // Nobody opened the pixel or followed a tracked link: no hits (the ledger's first opens and clicks are seeded).
    const none = { human: 0, machine: 0, unique_human: 0, unique_machine: 0 };
    expect(res.body.engagement).toEqual({
      // One open and one click by a person, as the ingestion folds them (no link named).
      opened: 1, clicked: 1, replied: 0, converted: 0, opens: { ...none, human: 1, unique_human: 1 }, clicks: { ...none, human: 1, unique_human: 1, by_link: [] },
      replies: 0, conversions: { count: 0, revenue: 0 }, unsubscribes: 0,
      rates: { open: 1, click: 1, click_to_open: 1, reply: 0, conversion: 0, unsubscribe: 0 },
    });
  });

  it('an SMS campaign on a Sunday: both phones deferred to Monday morning, not dropped', async () => {
    const res = await t.json('GET', `/v1/campaigns/${smsCampaign}/report`);
    expect(res.body.delivery).toEqual({ audience: 7, targeted: 2, sent: 0, failed: 0, pending: 2, sending: 0, cancelled: 0 });
    expect(res.body.held_back).toMatchObject({ no_address: 5, capped: {} });
    expect(res.body.deferred).toEqual({ quiet_hours: 2, caps: {}, local_time: 0, retrying: 0 });
    expect(res.body.campaign.status).toBe('sending');
    expect(res.body.engagement.rates).toEqual({ open: 0, click: 0, click_to_open: 0, reply: 0, conversion: 0, unsubscribe: 0 });
  });

  it('404 for an unknown campaign', async () => {
    const res = await t.json('GET', '/v1/campaigns/999999/report');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('the breakdowns\' work budget', () => {
  it('past the live limit they are computed at most every few minutes and say when', async () => {
    const budget = { liveLimit: 0, maxAgeMs: 5 * 60_000 };
    const at = (minutes: number) => new Date(SUNDAY.getTime() + minutes * 60_000);
    const locale = async (minutes: number) => {
      const r = await campaignReport(t.deps.db, emailCampaign, { now: at(minutes), breakdowns: budget });
      return [r.breakdowns.computed_at, r.breakdowns.locale.map((row) => [row.key, row.sent, row.replied])];
    };
    expect(await locale(10)).toEqual([at(10).toISOString(), [['fr', 1, 0]]]);
    const message = await t.deps.db.selectFrom('messages').select('id').where('campaign_id', '=', emailCampaign).where('status', '=', 'sent').executeTakeFirstOrThrow();
    await inTransaction(t.deps.db, (trx) => applyEngagement(trx, [{ messageId: Number(message.id), campaignId: emailCampaign, contactId: ids.A, metric: 'reply', at: at(11) }]));
    // Read again within five minutes: the kept breakdown; after, computed anew.
    expect(await locale(14)).toEqual([at(10).toISOString(), [['fr', 1, 0]]]);
    expect(await locale(16)).toEqual([at(16).toISOString(), [['fr', 1, 1]]]);
    // Under the limit (the default, 50,000 sent), always live.
    expect((await campaignReport(t.deps.db, emailCampaign, { now: at(17) })).breakdowns.computed_at).toBe(at(17).toISOString());
  });
});
