// Marketing-pressure caps hold across campaigns launched at the same moment, with concurrent senders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sendCampaign } from '../../src/campaigns/sender.js';
import type { SmsTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';

// 10,000 contacts on both databases. On PostgreSQL the senders really run in parallel on separate connections;
// PGlite has one connection, so there the senders interleave statement by statement (about 80 s for 40,000 messages).
const CONTACTS = Number(process.env.PRESSURE_CONTACTS ?? 10_000);

describe(`four SMS campaigns at once to the same ${CONTACTS} contacts, cap 2 per calendar month`, () => {
  let t: TestApp;
  const sent: string[] = [];
  const sms: SmsTransport = {
    name: 'recording',
    async send(m) {
      sent.push(m.to);
      return { providerMessageId: m.messageId };
    },
  };

  beforeAll(async () => {
    t = await createTestApp({ SEND_BATCH_SIZE: '200' }, { transports: { sms } });
    await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] });
    expect((await t.json('PUT', '/v1/settings/pressure', { rules: [{ channel: 'sms', max: 2, period: 'calendar_month' }] })).status).toBe(200);
    await t.json('POST', '/v1/topics', { key: 'promo', name: 'Promo' });
    const topic = await t.deps.db.selectFrom('topics').select('id').where('key', '=', 'promo').executeTakeFirstOrThrow();
    // Bulk-load the contacts and their SMS consent directly: the import is tested elsewhere.
    await sql`insert into contacts (external_id, phone, first_name)
      select 'P' || g, '+3361' || lpad(g::text, 7, '0'), 'C' || g from generate_series(1, ${CONTACTS}) g`.execute(t.deps.db);
    await sql`insert into subscriptions (contact_id, channel, topic_id, status) select id, 'sms', ${topic.id}, 'subscribed' from contacts`.execute(t.deps.db);
  }, 300_000);
  afterAll(() => t.close());

  it('no contact gets more than 2, and every contact gets exactly 2', async () => {
    const template = await t.json('POST', '/v1/templates', { name: 'p', channel: 'sms', text: '{{first_name}} -20%' });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await t.json('POST', '/v1/campaigns', { name: `Promo ${i}`, channel: 'sms', template_id: template.body.id, topic: 'promo', audience: { all: true } });
      ids.push(c.body.id);
    }
    // Launch all four at once; each launch starts a sender, and two more senders per campaign join in.
    await Promise.all(ids.map((id) => t.json('POST', `/v1/campaigns/${id}/launch`)));
    await Promise.all(ids.flatMap((id) => [sendCampaign(t.deps, id), sendCampaign(t.deps, id)]));
    await t.deps.background.idle();

    const perContact = new Map<string, number>();
    for (const to of sent) perContact.set(to, (perContact.get(to) ?? 0) + 1);
    expect(perContact.size).toBe(CONTACTS);
    expect(Math.max(...perContact.values())).toBe(2);
    expect(Math.min(...perContact.values())).toBe(2);
    expect(sent.length).toBe(2 * CONTACTS);

    // The ledger agrees with the transport, and the counts say why the rest were held back.
    const ledger = await sql<{ n: number }>`select count(*) as n from pressure_ledger`.execute(t.deps.db);
    expect(Number(ledger.rows[0].n)).toBe(2 * CONTACTS);
    let sentTotal = 0;
    let cappedTotal = 0;
    for (const id of ids) {
      const c = (await t.json('GET', `/v1/campaigns/${id}`)).body;
      expect(c.status).toBe('sent');
      sentTotal += c.counts.sent;
      cappedTotal += c.counts.skipped.capped ?? 0;
      expect(c.counts.sent + (c.counts.skipped.capped ?? 0)).toBe(CONTACTS);
      if (c.counts.skipped.capped) expect(c.counts.capped_by).toEqual({ 'sms: 2 per calendar month': c.counts.skipped.capped });
    }
    expect([sentTotal, cappedTotal]).toEqual([2 * CONTACTS, 2 * CONTACTS]);
  }, 600_000);
});
