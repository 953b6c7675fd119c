// The ledger has no foreign key to contacts, so launches and erasures serialise on an advisory lock: a launch that
// starts while an erasure is under way waits for it, and its snapshot never holds the erased contact (PostgreSQL
// only: PGlite has one connection, so there a launch cannot even start while the erasure's transaction is open).
// And a message handed over before the erasure keeps its outcome but not the erased address.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/privacy/privacy.service.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic } from '../support/fixtures.js';
import { usingPostgres } from '../support/database.js';

/** Resolves once another session of this database waits for a lock (PostgreSQL's own view of who is blocked). */
async function waitForLockWaiter(t: TestApp, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waiting = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()
    `.execute(t.deps.db);
    if (Number(waiting.rows[0].n) > 0) return;
    if (Date.now() > deadline) throw new Error(`no session waited for a lock within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!usingPostgres)('an erasure and a launch at the same moment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createTopic(t, 'news');
  });
  afterAll(() => t.close());

  it('the launch waits for the erasure, and the erased contact gets no ledger row', async () => {
    const subs = [{ channel: 'email' as const, topic: 'news' }];
    const erased = (await createContact(t, { email: 'erased@example.fr', subscriptions: subs })).id;
    const kept = (await createContact(t, { email: 'kept@example.fr', subscriptions: subs })).id;
    const campaign = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news' });

    // The erasure stops inside its transaction, holding its locks, until released.
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const erasing = eraseContact(t.deps.db, erased, {
      actor: 'test', at: new Date(),
      stillApplies: async () => {
        inside();
        await gate;
        return true;
      },
    });
    await entered;
    const launching = t.json('POST', `/v1/campaigns/${campaign}/launch`);
    // Wait until the launch is seen blocked on a lock (not a fixed sleep, which proves nothing if it is too short).
    await waitForLockWaiter(t);
    // Still a draft: the launch is waiting for the erasure's lock.
    expect((await t.json('GET', `/v1/campaigns/${campaign}`)).body.status).toBe('draft');
    release();
    expect(await erasing).toBe(true);
    const launched = await launching;
    expect(launched.status).toBe(202);
    await t.deps.background.idle();
    const rows = await t.deps.db.selectFrom('messages').select(['contact_id', 'status']).where('campaign_id', '=', campaign).execute();
    expect(rows.map((r) => [Number(r.contact_id), r.status])).toEqual([[kept, 'sent']]);
  });
});

describe('an erasure while the message is in the transport\'s hands', () => {
  let t: TestApp;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let handed!: () => void;
  const inHands = new Promise<void>((resolve) => (handed = resolve));
  const email: EmailTransport = {
    name: 'gated',
    async send(m) {
      handed();
      await gate;
      return { providerMessageId: m.messageId };
    },
  };
  beforeAll(async () => {
    t = await createTestApp({}, { transports: { email } });
    await createTopic(t, 'news');
  });
  afterAll(async () => {
    release();
    await t.close();
  });

  it('records the outcome without writing the erased address back', async () => {
    const { id } = await createContact(t, { email: 'gone@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }] });
    const campaign = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news' });
    expect((await t.json('POST', `/v1/campaigns/${campaign}/launch`)).status).toBe(202);
    await inHands;
    expect((await t.call('DELETE', `/v1/contacts/${id}`)).status).toBe(204);
    release();
    await t.deps.background.idle();
    const rows = await t.deps.db.selectFrom('messages').select(['contact_id', 'status', 'address']).where('campaign_id', '=', campaign).execute();
    expect(rows).toEqual([{ contact_id: null, status: 'sent', address: null }]);
  });
});
