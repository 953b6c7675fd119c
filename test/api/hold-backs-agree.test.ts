// One seeded audience, one contact per reason to hold a message back: the campaign preview, the segment preview,
// the launch snapshot (campaign counts), the report and the sender (at hand-over) must all give the same answer.
// The expected numbers below are worked out by hand from the seed, not read from the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTransport } from '../../src/channels/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTemplate } from '../support/fixtures.js';

const NOW = new Date('2026-11-18T10:00:00Z'); // a Wednesday morning in Paris; email has no quiet hours
const CAP = 'email: 1 per calendar month';

let t: TestApp;
let templateId: number;
const sentTo: string[] = [];
let release: () => void = () => {};
let gate: Promise<void> = Promise.resolve();
const email: EmailTransport = {
  name: 'recording',
  async send(m) {
    await gate;
    sentTo.push(m.to.address);
    return { providerMessageId: m.messageId };
  },
};

const news = [{ channel: 'email', topic: 'news' }];
// One contact per reason. Expected, by hand:
//   A subscribed                         → sent
//   B no email                           → no_address
//   C subscribed, address suppressed     → suppressed
//   D never subscribed                   → not_subscribed
//   E unsubscribed                       → unsubscribed
//   F pending confirmation               → pending
//   G paused until next month            → paused
//   H paused, the pause ended yesterday  → subscribed now: sent
//   I subscribed, already had this month's email (cap 1) → capped
const PEOPLE: Array<[string, Record<string, unknown>]> = [
  ['A', { email: 'a@example.fr', subscriptions: news }],
  ['B', { phone: '+33622222222' }],
  ['C', { email: 'c@example.fr', subscriptions: news }],
  ['D', { email: 'd@example.fr' }],
  ['E', { email: 'e@example.fr', subscriptions: [{ ...news[0], status: 'unsubscribed' }] }],
  ['F', { email: 'f@example.fr', subscriptions: news }],
  ['G', { email: 'g@example.fr', subscriptions: news }],
  ['H', { email: 'h@example.fr', subscriptions: news }],
  ['I', { email: 'i@example.fr', subscriptions: news }],
];
const ids: Record<string, number> = {};

async function setStatus(ext: string, status: string, pausedUntil: Date | null = null) {
  await t.deps.db.updateTable('subscriptions').set({ status, paused_until: pausedUntil }).where('contact_id', '=', ids[ext]).execute();
}

async function newCampaign(name: string, audience: unknown) {
  const c = await t.json('POST', '/v1/campaigns', { name, channel: 'email', template_id: templateId, topic: 'news', audience });
  expect(c.status).toBe(201);
  return c.body.id as number;
}

beforeAll(async () => {
  t = await createTestApp({ SEND_BATCH_SIZE: '1' }, { clock: () => NOW, transports: { email } });
  await t.json('POST', '/v1/topics', { key: 'news', name: 'News' });
  await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'email', max: 1, period: 'calendar_month' }] });
  for (const [ext, body] of PEOPLE) ids[ext] = (await t.json('POST', '/v1/contacts', { external_id: ext, ...body })).body.id;
  expect((await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'c@example.fr' })).status).toBe(201);
  await setStatus('F', 'pending');
  await setStatus('G', 'paused', new Date('2026-12-15T00:00:00Z'));
  await setStatus('H', 'paused', new Date('2026-11-17T00:00:00Z'));
  templateId = await createTemplate(t, 'email');
  // I gets this month's one email through an earlier campaign.
  const list = await t.json('POST', '/v1/lists', { name: 'I' });
  await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: [ids.I] });
  const first = await newCampaign('first', { list_ids: [list.body.id] });
  await t.json('POST', `/v1/campaigns/${first}/launch`);
  await t.deps.background.idle();
  expect(sentTo).toEqual(['i@example.fr']);
  sentTo.length = 0;
});
afterAll(() => t.close());

describe('why a recipient is held back: every reader agrees', () => {
  let campaign: number;
  beforeAll(async () => {
    campaign = await newCampaign('second', { all: true });
  });

  it('the campaign preview', async () => {
    const preview = (await t.json('GET', `/v1/campaigns/${campaign}/preview`)).body;
    expect(preview).toEqual({
      audience: 9,
      eligible: 3, // A, H, I (caps are counted separately)
      held_back: {
        no_address: 1, suppressed: 1, not_subscribed: 1, unsubscribed: 1, pending_confirmation: 1, paused: 1,
        capped: { [CAP]: 1 },
      },
      deferred_by_quiet_hours: 0,
      variants: { default: 3 },
    });
  });

  it('the segment preview (reachability as a send would see it)', async () => {
    const preview = (await t.json('POST', '/v1/segments/preview', { rule: { field: 'external_id', op: 'exists' } })).body;
    expect(preview.count).toBe(9);
    // Reachable by email: an address (all but B) that is not suppressed (all but C). Subscribed to news now: A, C, H, I.
    expect(preview.reachability.email).toEqual({
      with_address: 8, suppressed: 1, subscribed: { news: 4 }, capped: { [CAP]: 1 }, deferred_by_quiet_hours: 0,
    });
  });

  it('the launch snapshot, the sender, the campaign counts and the report', async () => {
    await t.json('POST', `/v1/campaigns/${campaign}/launch`);
    await t.deps.background.idle();
    expect(sentTo.sort()).toEqual(['a@example.fr', 'h@example.fr']);
    const counts = (await t.json('GET', `/v1/campaigns/${campaign}`)).body.counts;
    expect(counts).toMatchObject({
      audience: 9, targeted: 2, sent: 2, failed: 0, pending: 0, deferred: 0,
      skipped: { no_address: 1, suppressed: 1, not_subscribed: 1, unsubscribed: 1, pending: 1, paused: 1, capped: 1 },
      capped_by: { [CAP]: 1 },
    });
    const report = (await t.json('GET', `/v1/campaigns/${campaign}/report`)).body;
    expect(report.delivery).toEqual({ audience: 9, targeted: 2, sent: 2, failed: 0, pending: 0, sending: 0, cancelled: 0 });
    expect(report.held_back).toEqual({
      consent: { not_subscribed: 1, unsubscribed: 1, pending_confirmation: 1, paused: 1 },
      no_address: 1, suppressed: 1, contact_deleted: 0, deadline: 0, capped: { [CAP]: 1 },
    });
  });

  it('the sender reads the same reasons again at hand-over, and the preview agrees with it', async () => {
    sentTo.length = 0;
    await t.json('PUT', '/v1/settings/pressure', { rules: [] });
    const list = (await t.json('POST', '/v1/lists', { name: 'AHI' })).body.id;
    await t.json('POST', `/v1/lists/${list}/members`, { contact_ids: [ids.A, ids.H, ids.I] });
    const third = await newCampaign('third', { list_ids: [list] });
    // The sender takes one message at a time (SEND_BATCH_SIZE=1) and the first, A's, waits in the transport.
    gate = new Promise((resolve) => (release = resolve));
    await t.json('POST', `/v1/campaigns/${third}/launch`);
    // Meanwhile H unsubscribes and I's address is suppressed: the messages not yet handed over are held back for
    // those reasons, which is also what a preview says now.
    await setStatus('H', 'unsubscribed');
    await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'i@example.fr' });
    const preview = (await t.json('GET', `/v1/campaigns/${third}/preview`)).body;
    expect(preview).toMatchObject({ audience: 3, eligible: 1, held_back: { suppressed: 1, unsubscribed: 1 } });
    release();
    await t.deps.background.idle();
    expect(sentTo).toEqual(['a@example.fr']);
    const counts = (await t.json('GET', `/v1/campaigns/${third}`)).body.counts;
    expect(counts).toMatchObject({ audience: 3, targeted: 1, sent: 1, skipped: { suppressed: 1, unsubscribed: 1 } });
  });
});
