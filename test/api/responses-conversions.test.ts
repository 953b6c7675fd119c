// Replies, reply coupons and conversions: each is linked to its message, counted once, and shows in the campaign's
// report. Conversions go to the last human click within 5 days, else the last human open within 1 day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueResponseCode } from '../../src/tracking/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, BROWSER, hit, mailTo, sentMails, type SentMail } from '../support/tracking.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const HOUR = 3_600_000;
const SECRET = 'sms-webhook-secret-0123456789';
let clock = NOW;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

let t: TestApp;
let email: number;
let sms: number;
let mails: SentMail[];
const ids: Record<string, number> = {};

const report = async (id: number) => (await t.json('GET', `/v1/campaigns/${id}/report`)).body;
const purchase = (contact: string, hours: number, value: number, extra: Record<string, unknown> = {}) =>
  t.json('POST', '/v1/events', { contact_id: ids[contact], type: 'purchase', value, occurred_at: at(hours).toISOString(), ...extra });
const smsIn = (from: string, text: string, sid: string) =>
  t.app.request('/webhooks/sms', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
    body: JSON.stringify({ from, to: '36111', text, message_id: sid }),
  });

beforeAll(async () => {
  t = await createTestApp({ SMS_WEBHOOK_SECRET: SECRET }, { clock: () => clock });
  await createTopic(t, 'news');
  for (const [key, phone] of [['ana', '+33612345001'], ['ben', null], ['cat', null], ['dan', '+33612345004']] as const) {
    ids[key] = (await createContact(t, {
      email: `${key}@example.fr`, ...(phone ? { phone } : {}),
      subscriptions: [{ channel: 'email', topic: 'news' }, ...(phone ? [{ channel: 'sms' as const, topic: 'news' }] : [])],
    })).id;
  }
  const template = await createTemplate(t, 'email', { subject: 'Soldes', mjml: mjml('<a href="https://shop.example/soldes">Soldes</a>') });
  email = await createCampaign(t, { template_id: template, topic: 'news' });
  await launch(t, email);
  sms = await createCampaign(t, { template_id: await createTemplate(t, 'sms'), topic: 'news', channel: 'sms' });
  await launch(t, sms);
  mails = await sentMails(t);
});
afterAll(() => t.close());

describe('conversions', () => {
  it('go to the last human click within 5 days, else the last human open within 1 day; machines take no credit', async () => {
    // Ana clicks (a person); Ben only opens; Cat's mail is opened by Apple's proxy and its link fetched by HEAD.
    clock = at(1);
    await hit(t, mailTo(mails, 'ana@example.fr').clicks[0]);
    await hit(t, mailTo(mails, 'ben@example.fr').pixel!);
    await hit(t, mailTo(mails, 'cat@example.fr').pixel!, APPLE_PROXY);
    await hit(t, mailTo(mails, 'cat@example.fr').clicks[0], { method: 'HEAD' });
    await t.deps.hits.flush();
    clock = at(100);

    const results = [
      await purchase('ana', 48, 50), // click 47 h before: attributed (click)
      await purchase('ben', 21, 30), // open 20 h before: attributed (open)
      await purchase('ben', 26, 999), // open 25 h before, no click: not attributed
      await purchase('cat', 2, 70), // only machine hits: not attributed
      await purchase('ana', 1 + 5 * 24 + 1, 11), // click 121 h before: past the 5-day window
      await t.json('POST', '/v1/events', { contact_id: ids.ana, type: 'newsletter_signup', occurred_at: at(2).toISOString() }), // not a conversion type
    ];
    expect(results.map((r) => [r.status, r.body.accepted, r.body.attributed]), JSON.stringify(results[0].body)).toEqual([
      [201, 1, 1], [201, 1, 1], [201, 1, 0], [201, 1, 0], [201, 1, 0], [201, 1, 0],
    ]);
    const rows = await t.deps.db.selectFrom('conversions').select(['contact_id', 'campaign_id', 'touch', 'value', 'touch_at']).orderBy('event_id').execute();
    expect(rows.map((r) => [r.contact_id, r.campaign_id, r.touch, Number(r.value), r.touch_at.toISOString()])).toEqual([
      [ids.ana, email, 'click', 50, at(1).toISOString()],
      [ids.ben, email, 'open', 30, at(1).toISOString()],
    ]);
    const r = await report(email);
    expect(r.engagement.conversions).toEqual({ count: 2, revenue: 80 });
    expect([r.engagement.converted, r.funnel.converted, r.funnel.revenue]).toEqual([2, 2, 80]);
  });

  it('a replayed event (same idempotency key) is attributed once', async () => {
    const first = await purchase('ana', 50, 20, { idempotency_key: 'order-77' });
    const again = await purchase('ana', 50, 20, { idempotency_key: 'order-77' });
    expect([first.body, again.body]).toEqual([
      { accepted: 1, duplicates: 0, attributed: 1, rejected: [] },
      { accepted: 0, duplicates: 1, attributed: 0, rejected: [] },
    ]);
    expect((await report(email)).engagement.conversions).toEqual({ count: 3, revenue: 100 });
  });
});

describe('responses', () => {
  it('an SMS reply is linked to the last campaign SMS sent to the number, once per provider message', async () => {
    clock = at(3);
    for (let i = 0; i < 2; i++) expect((await smsIn('+33612345004', 'Oui, je viens samedi', 'SM-1')).status).toBe(200);
    const rows = await t.deps.db.selectFrom('responses').innerJoin('messages', 'messages.id', 'responses.message_id')
      .select(['responses.kind', 'responses.channel', 'responses.body', 'messages.campaign_id', 'messages.contact_id']).execute();
    expect(rows).toEqual([{ kind: 'reply', channel: 'sms', body: 'Oui, je viens samedi', campaign_id: sms, contact_id: ids.dan }]);
    expect((await report(sms)).engagement.replies).toBe(1);
  });

  it('STOP counts as an unsubscribe of the campaign whose SMS it answers', async () => {
    expect((await smsIn('+33612345001', 'STOP', 'SM-2')).status).toBe(200);
    const r = await report(sms);
    expect([r.engagement.unsubscribes, r.funnel.unsubscribed]).toEqual([1, 1]);
  });

  it('a reply coupon counts once, however often and however it is typed; an unknown code is a 422 on code', async () => {
    const message = await t.deps.db.selectFrom('messages').select(['id', 'public_id']).where('campaign_id', '=', email).where('contact_id', '=', ids.cat).executeTakeFirstOrThrow();
    const code = await issueResponseCode(t.deps.db, Number(message.id));
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const first = await t.json('POST', '/v1/responses', { code: typed, body: 'Rappelez-moi' });
    const again = await t.json('POST', '/v1/responses', { code });
    expect([first.status, again.status, again.body.duplicate, first.body.id === again.body.id]).toEqual([201, 200, true, true]);
    expect(first.body).toMatchObject({ message_id: message.public_id, campaign_id: email, contact_id: ids.cat, kind: 'coupon' });
    const unknown = await t.json('POST', '/v1/responses', { code: 'ZZZZZZZZ' });
    expect([unknown.status, unknown.body.error.details]).toEqual([422, [{ field: 'code', message: 'no letter carries this code' }]]);
    expect((await report(email)).engagement.replies).toBe(1);
  });

  it('a response to a message by its public id; a replay with its key records nothing more; an unknown message is a 404', async () => {
    const message = await t.deps.db.selectFrom('messages').select('public_id').where('campaign_id', '=', email).where('contact_id', '=', ids.ben).executeTakeFirstOrThrow();
    const body = { message_id: message.public_id!, kind: 'call', body: 'Rappel demandé', idempotency_key: 'call-9' } as const;
    const res = [await t.json('POST', '/v1/responses', body), await t.json('POST', '/v1/responses', body)];
    expect(res.map((r) => [r.status, r.body.duplicate])).toEqual([[201, false], [200, true]]);
    expect((await report(email)).engagement.replies).toBe(2);
    expect((await t.json('POST', '/v1/responses', { message_id: 'nope', kind: 'reply' })).status).toBe(404);
    expect((await t.json('POST', '/v1/responses', { message_id: message.public_id, kind: 'shout' })).status).toBe(422);
  });
});
