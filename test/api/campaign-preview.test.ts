// Before launch, a campaign says how many recipients consent, suppression, caps and quiet hours would hold back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createList, createTemplate, createTopic, launch } from '../support/fixtures.js';

// A Sunday afternoon in Paris: SMS quiet hours (Mon–Sat) are closed, email has none.
const SUNDAY = new Date('2026-11-29T14:00:00Z');

let t: TestApp;
let emailTemplate: number;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => SUNDAY });
  await createTopic(t, 'news');
  await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'email', max: 1, period: 'calendar_month' }] });
  const sub = [{ channel: 'email', topic: 'news' }, { channel: 'sms', topic: 'news' }];
  const people: Array<[string, Record<string, unknown>]> = [
    ['A', { email: 'a@example.fr', phone: '+33611111111', subscriptions: sub }],
    ['B', { phone: '+33622222222', subscriptions: [{ channel: 'sms', topic: 'news' }] }], // no email
    ['C', { email: 'c@example.fr', subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }] }],
    ['D', { email: 'd@example.fr' }], // never subscribed
    ['E', { email: 'e@example.fr', subscriptions: sub }], // suppressed below
    ['F', { email: 'f@example.fr', subscriptions: sub }], // already had this month's email
    ['G', { email: 'g@example.fr', subscriptions: sub }], // paused below
  ];
  for (const [ext, body] of people) await t.json('POST', '/v1/contacts', { external_id: ext, ...body });
  await t.json('POST', '/v1/suppressions', { channel: 'email', address: 'e@example.fr', reason: 'manual' });
  const g = (await t.json('GET', '/v1/contacts?external_id=G')).body.data[0];
  await t.deps.db.updateTable('subscriptions').set({ status: 'paused', paused_until: new Date('2026-12-31T00:00:00Z') }).where('contact_id', '=', g.id).execute();
  // F receives one email this month through an earlier campaign to a list of just F.
  const f = (await t.json('GET', '/v1/contacts?external_id=F')).body.data[0];
  const list = await createList(t, [f.id], 'F');
  emailTemplate = await createTemplate(t, 'email');
  const first = await t.json('POST', '/v1/campaigns', { name: 'first', channel: 'email', template_id: emailTemplate, topic: 'news', audience: { list_ids: [list] } });
  expect((await launch(t, first.body.id)).counts!.sent).toBe(1);
});
afterAll(() => t.close());

describe('campaign preview', () => {
  it('explains the email audience: who is eligible and why the others are held back', async () => {
    const c = await t.json('POST', '/v1/campaigns', { name: 'second', channel: 'email', template_id: emailTemplate, topic: 'news', audience: { all: true } });
    const preview = await t.json('GET', `/v1/campaigns/${c.body.id}/preview`);
    expect(preview.status).toBe(200);
    // A and F can receive; F is already at the cap this month; email has no quiet hours.
    expect(preview.body).toEqual({
      audience: 7,
      eligible: 2,
      held_back: {
        no_address: 1, not_subscribed: 1, unsubscribed: 1, pending_confirmation: 0, paused: 1, suppressed: 1,
        capped: { 'email: 1 per calendar month': 1 },
      },
      deferred_by_quiet_hours: 0,
      variants: { default: 2 }, // the template has no language variants
    });
  });

  it('counts SMS recipients that quiet hours would defer on a Sunday', async () => {
    const template = await createTemplate(t, 'sms');
    const c = await t.json('POST', '/v1/campaigns', { name: 'sms', channel: 'sms', template_id: template, topic: 'news', audience: { all: true } });
    const preview = await t.json('GET', `/v1/campaigns/${c.body.id}/preview`);
    // Phones: A and B, both subscribed to news by SMS; nobody else has a phone.
    expect(preview.body).toMatchObject({ audience: 7, eligible: 2, held_back: { no_address: 5, capped: {} }, deferred_by_quiet_hours: 2 });
  });
});
