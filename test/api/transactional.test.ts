// Transactional campaigns: no topic consent, no caps, no quiet hours, no List-Unsubscribe and no unsubscribe footer,
// but never to a suppressed address, whether suppressed before launch or while sending.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTransport, SmsMessage, SmsTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createList, createTemplate, createTopic, mjml } from '../support/fixtures.js';

// Sunday 15 November 2026, 11:00 in Paris: the default SMS quiet hours are closed.
const SUNDAY = new Date('2026-11-15T10:00:00Z');
const MJML = mjml('Your order {{first_name}}');

let phones = 0;
async function contact(t: TestApp, n: string, status?: 'subscribed' | 'unsubscribed') {
  const res = await t.json('POST', '/v1/contacts', {
    email: `${n}@example.fr`, phone: `+3361234${String(++phones).padStart(4, '0')}`, first_name: n,
    timezone: 'Europe/Paris',
    ...(status ? { subscriptions: [{ channel: 'email', topic: 'orders', status }, { channel: 'sms', topic: 'orders', status }] } : {}),
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; email: string; phone: string };
}

async function messagesOf(t: TestApp, campaignId: number) {
  const rows = await t.deps.db
    .selectFrom('messages')
    .leftJoin('contacts', 'contacts.id', 'messages.contact_id')
    // The ledger records the address a message was handed to; until then the contact's is the one it will use.
    .select(['messages.id', 'contact_id', 'status', 'skip_reason', 'public_id', 'not_before', 'messages.address as handed_to', 'contacts.email'])
    .where('campaign_id', '=', campaignId)
    .orderBy('messages.id')
    .execute();
  return rows.map((r) => ({ ...r, contact_id: Number(r.contact_id) }));
}

describe('transactional campaigns', () => {
  let t: TestApp;
  const texts: SmsMessage[] = [];
  const sms: SmsTransport = {
    name: 'recording',
    async send(m) {
      texts.push(m);
      return { providerMessageId: m.messageId };
    },
  };
  let people: Record<'subscribed' | 'unsubscribed' | 'none' | 'suppressed', { id: number; email: string; phone: string }>;
  let listId: number;
  let emailTemplate: number;
  let smsTemplate: number;

  beforeAll(async () => {
    t = await createTestApp({}, { clock: () => SUNDAY, transports: { sms } });
    await createTopic(t, 'orders');
    people = {
      subscribed: await contact(t, 'alice', 'subscribed'),
      unsubscribed: await contact(t, 'bob', 'unsubscribed'),
      none: await contact(t, 'carol'),
      suppressed: await contact(t, 'dave', 'subscribed'),
    };
    for (const [channel, address] of [['email', people.suppressed.email], ['sms', people.suppressed.phone]]) {
      const res = await t.json('POST', '/v1/suppressions', { channel, address, reason: 'manual' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ channel, reason: 'manual' });
    }
    listId = await createList(t, Object.values(people).map((p) => p.id), 'customers');
    emailTemplate = await createTemplate(t, 'email', { name: 'receipt', subject: 'Order for {{first_name}}', mjml: MJML });
    smsTemplate = await createTemplate(t, 'sms', { name: 'code', text: 'Your code 1234' });

    // No email may go under the caps, no email outside Monday 09:00–10:00, SMS on the default quiet hours.
    expect((await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'email', max: 0, period: 'calendar_month' }, { channel: 'sms', max: 0, period: 'calendar_month' }] })).status).toBe(200);
    const quiet = [
      { channel: 'email', days: ['mon'], from: '09:00', to: '10:00', skip_holidays: false },
      { channel: 'sms', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00', skip_holidays: true },
    ];
    expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: quiet })).status).toBe(200);
  });
  afterAll(() => t.close());

  async function launch(channel: 'email' | 'sms', kind: 'transactional' | 'marketing') {
    const created = await t.json('POST', '/v1/campaigns', {
      name: `${kind} ${channel}`, channel, kind, template_id: channel === 'email' ? emailTemplate : smsTemplate, topic: 'orders', audience: { list_ids: [listId] },
    });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe(kind);
    const launched = await t.json('POST', `/v1/campaigns/${created.body.id}/launch`);
    expect(launched.status).toBe(202);
    return { id: created.body.id as number, atLaunch: launched.body };
  }

  async function parsedEmails(campaignId: number) {
    const rows = await messagesOf(t, campaignId);
    const files = new Map((await t.outboxFiles('.eml')).map((f) => [f.name, f.content]));
    const out = new Map<number, Awaited<ReturnType<typeof PostalMime.parse>>>();
    for (const r of rows) {
      const raw = files.get(`${r.public_id}.eml`);
      if (raw) out.set(r.contact_id, await PostalMime.parse(raw));
    }
    return out;
  }

  it('goes to unsubscribed and unsubscribed-from-nothing contacts, ignoring caps and quiet hours, but not to a suppressed address', async () => {
    const { id, atLaunch } = await launch('email', 'transactional');
    // The snapshot already holds back the suppressed address.
    expect(atLaunch.counts).toMatchObject({ audience: 4, targeted: 3, skipped: { suppressed: 1 } });
    await t.deps.background.idle();

    const c = (await t.json('GET', `/v1/campaigns/${id}`)).body;
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ audience: 4, targeted: 3, sent: 3, pending: 0, deferred: 0, failed: 0, skipped: { suppressed: 1 }, capped_by: {} });
    const rows = await messagesOf(t, id);
    expect(rows.find((r) => r.contact_id === people.suppressed.id)).toMatchObject({ status: 'skipped', skip_reason: 'suppressed' });
    expect(rows.every((r) => r.not_before === null)).toBe(true);

    const emails = await parsedEmails(id);
    expect([...emails.keys()].sort()).toEqual([people.subscribed.id, people.unsubscribed.id, people.none.id].sort());
    for (const [, mail] of emails) {
      const headers = mail.headers.map((h) => h.key);
      expect(headers).not.toContain('list-unsubscribe');
      expect(headers).not.toContain('list-unsubscribe-post');
      // No unsubscribe footer and no unsubscribe link.
      expect(mail.html).toContain('Your order');
      expect(mail.html).not.toMatch(/unsubscribe|désabonner/i);
      expect(mail.html).not.toContain('https://mail.example.test/u/');
      expect(mail.text).not.toMatch(/unsubscribe|désabonner/i);
    }
    expect(emails.get(people.unsubscribed.id)!.subject).toBe('Order for bob');
    // Transactional mail is not counted against the caps: none of its messages is in the ledger.
    const counted = await t.deps.db.selectFrom('pressure_ledger').select('message_id').where('message_id', 'in', rows.map((r) => r.id)).execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(counted).toEqual([]);
  });

  it('a marketing campaign in the same setup is held by consent, quiet hours and caps, and carries List-Unsubscribe', async () => {
    const held = await launch('email', 'marketing');
    await t.deps.background.idle();
    // Sunday, email only on Mondays: the one consenting contact is deferred.
    expect((await t.json('GET', `/v1/campaigns/${held.id}`)).body.counts).toMatchObject({
      audience: 4, sent: 0, deferred: 1, skipped: { suppressed: 1, unsubscribed: 1, not_subscribed: 1 },
    });

    // Without quiet hours, the caps (email max 0) hold it.
    await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] });
    const capped = await launch('email', 'marketing');
    await t.deps.background.idle();
    expect((await t.json('GET', `/v1/campaigns/${capped.id}`)).body.counts).toMatchObject({ sent: 0, skipped: { capped: 1 }, capped_by: { 'email: 0 per calendar month': 1 } });

    // Without caps it goes, with List-Unsubscribe and the footer the transactional mail did not get.
    await t.json('PUT', '/v1/settings/pressure', { rules: [] });
    const sent = await launch('email', 'marketing');
    await t.deps.background.idle();
    expect((await t.json('GET', `/v1/campaigns/${sent.id}`)).body.counts).toMatchObject({ sent: 1 });
    const mail = (await parsedEmails(sent.id)).get(people.subscribed.id)!;
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe')?.value).toMatch(/^<https:\/\/mail\.example\.test\/u\/.+>$/);
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toMatch(/Unsubscribe/);

    // Restore the strict setup for the next test.
    await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'email', max: 0, period: 'calendar_month' }, { channel: 'sms', max: 0, period: 'calendar_month' }] });
    await t.json('PUT', '/v1/settings/quiet-hours', { rules: [{ channel: 'sms', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00', skip_holidays: true }] });
  });

  it('a transactional SMS goes on a Sunday despite caps of 0, without the STOP mention, never to a suppressed number', async () => {
    texts.length = 0;
    const { id, atLaunch } = await launch('sms', 'transactional');
    expect(atLaunch.counts).toMatchObject({ skipped: { suppressed: 1 } });
    await t.deps.background.idle();
    const c = (await t.json('GET', `/v1/campaigns/${id}`)).body;
    expect(c.counts).toMatchObject({ audience: 4, sent: 3, deferred: 0, skipped: { suppressed: 1 }, capped_by: {} });
    expect(texts.map((m) => m.to).sort()).toEqual([people.subscribed.phone, people.unsubscribed.phone, people.none.phone].sort());
    expect(texts.every((m) => m.text === 'Your code 1234')).toBe(true);
  });
});

describe('a suppression added while a transactional campaign is sending', () => {
  let t: TestApp;
  const sent: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let firstSend!: () => void;
  const started = new Promise<void>((resolve) => (firstSend = resolve));
  const email: EmailTransport = {
    name: 'gated',
    async send(m) {
      firstSend();
      await gate;
      sent.push(m.to.address);
      return { providerMessageId: m.messageId };
    },
  };

  beforeAll(async () => {
    t = await createTestApp({ SEND_BATCH_SIZE: '2' }, { transports: { email }, clock: () => SUNDAY });
    await createTopic(t, 'orders');
  });
  afterAll(async () => {
    release();
    await t.close();
  });

  it('stops every message to that address not yet handed over', async () => {
    for (let i = 0; i < 6; i++) await contact(t, `user${i}`);
    const template = await createTemplate(t, 'email', { name: 'receipt', subject: 'Order', mjml: MJML });
    const created = await t.json('POST', '/v1/campaigns', { name: 'receipts', channel: 'email', kind: 'transactional', template_id: template, topic: 'orders', audience: { all: true } });
    const launched = await t.json('POST', `/v1/campaigns/${created.body.id}/launch`);
    expect(launched.status).toBe(202);
    expect(launched.body.counts).toMatchObject({ audience: 6, targeted: 6, skipped: {} });

    // The first batch (2 messages) is in the transport's hands; suppress the address of the last message.
    await started;
    const rows = await messagesOf(t, created.body.id);
    const last = rows[rows.length - 1];
    expect(last.status).toBe('pending');
    expect(last.handed_to).toBeNull();
    const res = await t.json('POST', '/v1/suppressions', { channel: 'email', address: last.email!.toUpperCase(), reason: 'manual' });
    expect(res.status).toBe(201);
    release();
    await t.deps.background.idle();

    const c = (await t.json('GET', `/v1/campaigns/${created.body.id}`)).body;
    expect(c.status).toBe('sent');
    expect(c.counts).toMatchObject({ audience: 6, sent: 5, skipped: { suppressed: 1 } });
    expect(sent).not.toContain(last.email);
    expect(sent.length).toBe(5);
    const after = await messagesOf(t, created.body.id);
    expect(after.find((r) => r.contact_id === last.contact_id)).toMatchObject({ status: 'skipped', skip_reason: 'suppressed', handed_to: null });
    // Each sent message records the address it was handed to, and got a public id of its own.
    const handed = after.filter((r) => r.status === 'sent');
    expect(handed.map((r) => r.handed_to).sort()).toEqual([...sent].sort());
    expect(new Set(handed.map((r) => r.public_id)).size).toBe(5);
    expect(handed.every((r) => /^[0-9a-f]{32}$/.test(r.public_id!))).toBe(true);
  });
});
