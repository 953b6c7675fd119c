// A claim is a lease: messages a dead sender held stay `sending` while its lease runs (a live sender is never
// overtaken), then any sender takes them back, sends them, and the campaign finishes.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts, launch, mjml } from '../support/fixtures.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
let clock = NOW;
let t: TestApp;
const sent: string[] = [];
const transport: EmailTransport = {
  name: 'recording',
  async send(m) {
    sent.push(m.to.address);
    return { providerMessageId: m.messageId };
  },
};

beforeAll(async () => {
  t = await createTestApp({ SEND_BATCH_SIZE: '5', SEND_LEASE_SECONDS: '60' }, { clock: () => clock, transports: { email: transport } });
  await createTopic(t, 'news');
  const rows = ['email;email_topics', ...Array.from({ length: 12 }, (_, i) => `l${i}@example.fr;news`)];
  expect((await importContacts(t, rows.join('\n'))).created).toBe(12);
});
afterAll(() => t.close());

describe('send leases', () => {
  it('respects a live lease, takes back an expired one, and sends each message once', async () => {
    const id = await createCampaign(t, { template_id: await createTemplate(t, 'email', { mjml: mjml('Bonjour') }), topic: 'news' });
    // Another sender claimed four messages and died: they are `sending`, their lease running for a minute.
    const snapshot = await launch(t, id);
    expect(snapshot.status).toBe('sent');
    const all = await t.deps.db.selectFrom('messages').select(['id', 'address']).where('campaign_id', '=', id).orderBy('id').execute();
    expect(all.length).toBe(12);
    // Replay the scenario on the same campaign: four back to a dead sender's claim, the rest as they are.
    const dead = all.slice(0, 4).map((m) => Number(m.id));
    await sql`update messages set status = 'sending', lease_until = ${new Date(NOW.getTime() + 60_000)}, sent_at = null
      where id = any(${dead}::bigint[])`.execute(t.deps.db);
    await sql`update campaigns set status = 'sending', completed_at = null where id = ${id}`.execute(t.deps.db);
    sent.length = 0;

    // Within the lease: nothing to claim, nothing taken back, the campaign waits.
    clock = new Date(NOW.getTime() + 30_000);
    await sendCampaign(t.deps, id);
    expect([sent.length, (await getCampaign(t, id)).status]).toEqual([0, 'sending']);

    // Past it: the four are sent (once each), and the campaign is done.
    clock = new Date(NOW.getTime() + 61_000);
    await sendCampaign(t.deps, id);
    expect(sent.sort()).toEqual(all.slice(0, 4).map((m) => m.address!).sort());
    const done = await getCampaign(t, id);
    expect([done.status, done.counts?.sent]).toEqual(['sent', 12]);
    const leases = await t.deps.db.selectFrom('messages').select('lease_until').where('campaign_id', '=', id).where('lease_until', 'is not', null).execute();
    expect(leases).toEqual([]);
  });
});
