// A sender hands a batch over SEND_CONCURRENCY messages at a time, records what the transport accepted in one
// statement per RECORD_EVERY hand-overs (an erased contact's address is not written back), and still stops cleanly
// mid-batch.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportPausedError, type EmailTransport } from '../../src/channels/types.js';
import { markSent } from '../../src/delivery/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, importContacts, launch } from '../support/fixtures.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A transport that takes a few milliseconds per message and remembers how many it held at once. */
function slowTransport(refuse?: () => Error | undefined) {
  const state = { inFlight: 0, most: 0, calls: 0, sent: [] as string[] };
  const transport: EmailTransport = {
    name: 'slow',
    async send(m) {
      state.calls++;
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 15));
        const error = refuse?.();
        if (error) throw error;
        state.sent.push(m.to.address);
        return { providerMessageId: `p-${m.messageId}` };
      } finally {
        state.inFlight--;
      }
    },
  };
  return { state, transport };
}

async function campaignFor(app: TestApp, contacts: number) {
  await createTopic(app, 'news');
  const rows = ['email;email_topics', ...Array.from({ length: contacts }, (_, i) => `c${i}@example.fr;news`)];
  expect((await importContacts(app, rows.join('\n'))).created).toBe(contacts);
  return createCampaign(app, { template_id: await createTemplate(app, 'email'), topic: 'news' });
}

describe('sending a batch concurrently', () => {
  it.each([
    ['4', 4],
    ['1', 1],
  ])('hands over at most SEND_CONCURRENCY=%s messages at once, and records every one', async (setting, most) => {
    const { state, transport } = slowTransport();
    t = await createTestApp({ SEND_BATCH_SIZE: '10', SEND_CONCURRENCY: setting }, { transports: { email: transport } });
    const id = await campaignFor(t, 25);
    const done = await launch(t, id);
    expect([done.status, done.counts?.sent]).toEqual(['sent', 25]);
    expect(state.most).toBe(most);
    expect(new Set(state.sent).size).toBe(25);
    const rows = await sql<{ n: string }>`
      select count(*) as n from messages
      where campaign_id = ${id} and status = 'sent' and address is not null and provider_message_id = 'p-' || public_id
        and sent_at is not null and lease_until is null`.execute(t.deps.db);
    expect(Number(rows.rows[0].n)).toBe(25);
  });

  it('stops on a transport that refuses everything: the messages in flight and the rest of the batch go back', async () => {
    const { state, transport } = slowTransport(() => new TransportPausedError('Sending is paused for this account.'));
    t = await createTestApp({ SEND_BATCH_SIZE: '10', SEND_CONCURRENCY: '4' }, { transports: { email: transport } });
    const id = await campaignFor(t, 25);
    const done = await launch(t, id);
    expect(done.status).toBe('paused');
    expect(state.calls).toBeGreaterThan(0);
    expect(state.calls).toBeLessThanOrEqual(4);
    const rows = await sql<{ status: string; attempts: number; n: string }>`
      select status, attempts, count(*) as n from messages where campaign_id = ${id} group by 1, 2`.execute(t.deps.db);
    expect(rows.rows.map((r) => [r.status, Number(r.attempts), Number(r.n)])).toEqual([['pending', 0, 25]]);
  });

  it('pauses on the error rate with hand-overs in flight: every message is settled or given back, none left sending', async () => {
    let calls = 0;
    const { transport } = slowTransport(() => (++calls % 3 === 0 ? new Error('Rejected') : undefined));
    t = await createTestApp({ SEND_BATCH_SIZE: '10', SEND_CONCURRENCY: '4' }, { transports: { email: transport } });
    const id = await campaignFor(t, 100);
    const done = await launch(t, id);
    expect(done.status).toBe('paused');
    expect(done.paused_reason).toMatch(/^error_rate: /);
    const { sent, failed, pending, sending } = done.counts!;
    expect(sending).toBe(0);
    expect(sent + failed + pending).toBe(100);
    expect(sent + failed).toBeGreaterThanOrEqual(50);
    expect(failed).toBeGreaterThan(0.2 * (sent + failed));
    expect(pending).toBeGreaterThan(0);
    const waiting = await t.deps.db.selectFrom('messages').select('attempts').where('campaign_id', '=', id).where('status', '=', 'pending').execute();
    expect(waiting.every((m) => Number(m.attempts) === 0)).toBe(true);
  });

  it('records a batch in one statement, without writing back the address of a contact erased meanwhile', async () => {
    const { transport } = slowTransport();
    t = await createTestApp({}, { transports: { email: transport } });
    const id = await campaignFor(t, 2);
    await launch(t, id);
    const [kept, erased] = (await t.deps.db.selectFrom('messages').select(['id']).where('campaign_id', '=', id).orderBy('id').execute()).map((m) => Number(m.id));
    // Both back in the transport's hands; one contact erased meanwhile (scrubContactMessages clears these).
    await sql`update messages set status = 'sending', address = null, provider_message_id = null, sent_at = null where campaign_id = ${id}`.execute(t.deps.db);
    await sql`update messages set contact_id = null where id = ${erased}`.execute(t.deps.db);
    const at = new Date('2026-03-02T10:00:00.000Z');
    await markSent(t.deps.db, [
      { id: kept, address: 'c0@example.fr', provider_message_id: 'p-kept', at },
      { id: erased, address: 'c1@example.fr', provider_message_id: 'p-erased', at },
    ]);
    const rows = await t.deps.db.selectFrom('messages').select(['id', 'status', 'address', 'provider_message_id', 'sent_at', 'lease_until'])
      .where('campaign_id', '=', id).orderBy('id').execute();
    expect(rows.map((r) => [Number(r.id), r.status, r.address, r.provider_message_id, new Date(r.sent_at!).toISOString(), r.lease_until])).toEqual([
      [kept, 'sent', 'c0@example.fr', 'p-kept', at.toISOString(), null],
      [erased, 'sent', null, 'p-erased', at.toISOString(), null],
    ]);
  });
});
