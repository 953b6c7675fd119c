// Segment and campaign previews say how many reachable contacts each cap (the contact's own frequency choice
// included) and quiet hours would hold back now, per priority, with windows in each contact's time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, launch } from '../support/fixtures.js';

// Monday 30 November 2026, 06:30 UTC: 07:30 in Paris and 01:30 in Montreal (SMS window closed), 15:30 in Tokyo (open).
const NOW = new Date('2026-11-30T06:30:00Z');

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => NOW });
  await createTopic(t, 'news');
  expect((await t.json('PUT', '/v1/settings/pressure', { rules: [
    { channel: 'email', max: 2, period: 'calendar_month' },
    { channel: 'email', max: 1, period: 'rolling_days', days: 7 },
    { channel: 'sms', max: 2, period: 'calendar_month' },
  ] })).status).toBe(200);
  const news = [{ channel: 'email', topic: 'news' }];
  const people: Array<[string, Record<string, unknown>]> = [
    ['P1', { email: 'p1@example.fr', phone: '+33611111111', timezone: 'Europe/Paris' }],
    ['P2', { email: 'p2@example.fr', timezone: 'Europe/Paris' }],
    ['P3', { email: 'p3@example.fr', timezone: 'Europe/Paris' }],
    ['P4', { email: 'p4@example.ca', phone: '+15148720311', timezone: 'America/Montreal' }],
    ['P5', { email: 'p5@example.fr', timezone: 'Europe/Paris' }],
    ['P6', { email: 'p6@example.jp', phone: '+819012345678', timezone: 'Asia/Tokyo' }],
    ['P7', { email: 'p7@example.fr', timezone: 'Europe/Paris' }],
    ['P8', { email: 'p8@example.fr', timezone: 'Europe/Paris' }],
  ];
  for (const [ext, body] of people) {
    const res = await t.json('POST', '/v1/contacts', { external_id: ext, subscriptions: news, ...body });
    expect(res.status).toBe(201);
    ids[ext] = res.body.id;
  }
  await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'p7@example.fr', reason: 'manual' });
  // P5 chose "at most one email a month" in the preference center.
  await t.deps.db.insertInto('contact_preferences').values({ contact_id: ids.P5, channel: 'email', max_messages: 1, period: 'calendar_month' }).execute();
  // P8's own rule (set through the API, not the preference center): one email per 60 days.
  await t.deps.db.insertInto('contact_preferences').values({ contact_id: ids.P8, channel: 'email', max_messages: 1, period: 'rolling_days', days: 60 }).execute();

  // What the ledger already counts, written straight in: (contact, channel, when).
  const past: Array<[string, 'email' | 'sms', string]> = [
    ['P1', 'email', '2026-11-27T10:00:00Z'], // inside the rolling 7 days
    ['P2', 'email', '2026-11-02T10:00:00Z'], ['P2', 'email', '2026-11-20T10:00:00Z'], // two this month
    // 23:30 UTC on 31 October is already 1 November in Paris, but still 31 October in Montreal.
    ['P3', 'email', '2026-10-31T23:30:00Z'], ['P3', 'email', '2026-11-10T10:00:00Z'],
    ['P4', 'email', '2026-10-31T23:30:00Z'], ['P4', 'email', '2026-11-10T10:00:00Z'],
    ['P5', 'email', '2026-11-05T10:00:00Z'],
    ['P6', 'sms', '2026-11-03T10:00:00Z'], ['P6', 'sms', '2026-11-16T10:00:00Z'],
    ['P7', 'email', '2026-11-03T10:00:00Z'], ['P7', 'email', '2026-11-16T10:00:00Z'], // suppressed: not counted
    ['P8', 'email', '2026-10-10T10:00:00Z'], // 51 days ago: outside every workspace window, inside P8's 60 days
  ];
  const template = await createTemplate(t, 'sms');
  for (const [i, [ext, channel, at]] of past.entries()) {
    const earlier = await createCampaign(t, { name: `earlier ${i}`, channel: 'sms', template_id: template, topic: 'news' });
    const m = await t.deps.db.insertInto('messages').values({
      campaign_id: earlier, contact_id: ids[ext], channel, status: 'sent', public_id: `past-${i}`, sent_at: new Date(at),
    }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into pressure_ledger (message_id, contact_id, channel, counted_at) values (${m.id}, ${ids[ext]}, ${channel}, ${new Date(at)})`.execute(t.deps.db);
  }
});
afterAll(() => t.close());

const everyone = { field: 'created_at', op: 'exists' };

describe('segment preview: caps and quiet hours', () => {
  it('normal priority: who is at each cap now, and who the SMS window would defer', async () => {
    const res = await t.json('POST', '/v1/segments/preview', { rule: everyone });
    expect(res.status).toBe(200);
    expect(res.body.reachability.email).toEqual({
      with_address: 8, suppressed: 1, subscribed: { news: 8 },
      // Month: P2, and P3 in Paris time (P4 has only one November email in Montreal time). Rolling 7 days: P1.
      // P5's own "one a month", P8's own "one per 60 days". P7 is suppressed, so not counted as capped.
      capped: {
        'email: 2 per calendar month': 2, 'email: 1 per 7 days': 1,
        'contact preference (email: 1 per calendar month)': 1, 'contact preference (email: 1 per 60 days)': 1,
      },
      deferred_by_quiet_hours: 0,
    });
    expect(res.body.reachability.sms).toEqual({
      // Phones: P1 (Paris, 07:30: closed), P4 (Montreal, 01:30: closed), P6 (Tokyo, 15:30: open, but two SMS this month).
      with_address: 3, suppressed: 0, subscribed: {}, capped: { 'sms: 2 per calendar month': 1 }, deferred_by_quiet_hours: 2,
    });
  });

  it('low priority leaves the last slot of every cap', async () => {
    const res = await t.json('POST', '/v1/segments/preview', { rule: everyone, priority: 'low' });
    // Month allows 1: P1 P2 P3 P4 P5 have one or more; rolling allows 0: all seven reachable; own choices allow 0.
    expect(res.body.reachability.email.capped).toEqual({
      'email: 2 per calendar month': 5, 'email: 1 per 7 days': 7,
      'contact preference (email: 1 per calendar month)': 1, 'contact preference (email: 1 per 60 days)': 1,
    });
    expect(res.body.reachability.sms.capped).toEqual({ 'sms: 2 per calendar month': 1 });
    const saved = await t.json('POST', '/v1/segments', { name: 'Everyone', rule: everyone });
    const byGet = await t.json('GET', `/v1/segments/${saved.body.id}/preview?priority=low`);
    expect(byGet.body.reachability).toEqual(res.body.reachability);
    expect((await t.json('GET', `/v1/segments/${saved.body.id}/preview?priority=urgent`)).status).toBe(422);
  });
});

describe('campaign preview: the contact\'s own frequency choice', () => {
  it('is counted with the workspace caps', async () => {
    const c = await createCampaign(t, { name: 'news', template_id: await createTemplate(t, 'email'), topic: 'news' });
    const preview = await t.json('GET', `/v1/campaigns/${c}/preview`);
    expect(preview.body).toEqual({
      audience: 8,
      eligible: 7,
      held_back: {
        no_address: 0, not_subscribed: 0, unsubscribed: 0, pending_confirmation: 0, paused: 0, suppressed: 1,
        capped: {
          'email: 2 per calendar month': 2, 'email: 1 per 7 days': 1,
          'contact preference (email: 1 per calendar month)': 1, 'contact preference (email: 1 per 60 days)': 1,
        },
      },
      deferred_by_quiet_hours: 0,
      variants: { default: 7 },
    });
    // The sender holds back the same contacts for the same reasons (one rule each, the one that stays closed longest).
    const { counts } = await launch(t, c);
    expect(counts).toMatchObject({ audience: 8, sent: 2, skipped: { suppressed: 1, capped: 5 } }); // P4 and P6 are sent
    expect(counts!.capped_by).toEqual({
      'email: 2 per calendar month': 2, 'email: 1 per 7 days': 1,
      'contact preference (email: 1 per calendar month)': 1, 'contact preference (email: 1 per 60 days)': 1,
    });
  });
});
