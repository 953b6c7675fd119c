// Pause, resume and cancel while two sender processes (`npm run sender`) share a campaign; the API, which does not send
// (SEND_IN_PROCESS=false), runs in the test's process. Pausing or cancelling stops the hand-overs once the batches in
// the senders' hands are done (one each at most); resuming sends the rest, nobody twice; a cancelled campaign's counts
// add up. Only exact facts are checked: what SES accepted against the ledger, never how long anything took.
//
// The local SES server answers SendEmail itself (`relay: false`): relayed to aws-ses-v2-local, whose MIME parse takes
// about 10 ms a message on this machine, the 1,700 messages or so would take most of a minute. The proxy still records
// every accepted request, so SES's count stays independent of the ledger.
//
// On PostgreSQL only, like kill-sender.test.ts: the embedded database serves one process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, importContacts } from '../support/fixtures.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const BATCH = 25;
const SENDERS = 2;
const POLL_MS = 200;

describe.runIf(!!process.env.DATABASE_URL)('pause, resume and cancel under load', () => {
  let dir: string;
  let t: TestApp;
  let ses: LocalSes;
  const senders: ServerProcess[] = [];
  let template: number;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await t.json(method, `/v1${path}`, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const until = async (what: string, check: () => Promise<boolean>, ms = 120_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${senders.map((p) => p.output.join('')).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The campaign's messages by status, from the ledger; not those skipped (the other test's contacts, not on its topic). */
  const ledger = async (id: number) => Object.fromEntries((await sql<{ status: string; n: string }>`
    select status, count(*) as n from messages where campaign_id = ${id} and status <> 'skipped' group by status`.execute(t.deps.db)).rows.map((r) => [r.status, Number(r.n)]));
  const addressesWith = async (id: number, status: string) => (await t.deps.db.selectFrom('messages').select('address')
    .where('campaign_id', '=', id).where('status', '=', status).execute()).map((r) => r.address!).sort();
  /** How many mails SES accepted for each address starting with `prefix`. */
  const accepted = async (prefix: string) => {
    const counts = new Map<string, number>();
    for (const m of await ses.messages()) for (const to of m.to) if (to.startsWith(prefix)) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  };
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

  /** `n` contacts `${prefix}${i}@example.fr` on a topic of their own, and a campaign to them, launched. */
  async function launched(prefix: string, n: number): Promise<number> {
    await createTopic(t, prefix);
    const csv = ['email;email_topics', ...Array.from({ length: n }, (_, i) => `${prefix}${i}@example.fr;${prefix}`)].join('\n');
    expect((await importContacts(t, csv)).created).toBe(n);
    const id = await createCampaign(t, { template_id: template, topic: prefix });
    await call('POST', `/campaigns/${id}/launch`);
    return id;
  }

  /**
   * Once the campaign is `status` and no message is `sending` (the batches in hand are done), the sent count and what
   * SES accepted hold still across more than a poll period of the senders: no hand-over after the batches in hand.
   */
  async function settled(id: number, prefix: string, status: string) {
    await until(`no message of campaign ${id} sending`, async () => !(await ledger(id)).sending);
    await wait(POLL_MS);
    const first = { ledger: await ledger(id), ses: total(await accepted(prefix)) };
    await wait(3 * POLL_MS);
    const second = { ledger: await ledger(id), ses: total(await accepted(prefix)) };
    expect(second).toEqual(first);
    expect(first.ledger.sending).toBeUndefined();
    expect((await call('GET', `/campaigns/${id}`)).status).toBe(status);
    return first;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-control-'));
    ses = await startLocalSes({ relay: false });
    t = await createTestApp({ SEND_IN_PROCESS: 'false' });
    // SES_MAX_SEND_RATE: far above what two senders reach here, and the local server has no GetAccount to ask.
    const env = {
      DATABASE_URL: t.deps.config.databaseUrl!, LOG_LEVEL: 'error', EMAIL_TRANSPORT: 'ses', SES_REGION: 'eu-west-3', SES_ENDPOINT: ses.endpoint,
      SES_ACCESS_KEY_ID: 'test', SES_SECRET_ACCESS_KEY: 'test', SES_MAX_SEND_RATE: '100000', SEND_BATCH_SIZE: String(BATCH), SENDER_POLL_MS: String(POLL_MS),
    };
    // The template is made while the senders start; each is kept as it comes up, for afterAll to stop.
    const starting = Array.from({ length: SENDERS }, async () => senders.push(await startServer({ dir, env, script: 'src/entry/sender.ts', ready: /Sender running/ })));
    template = await createTemplate(t, 'email');
    await Promise.all(starting);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(senders.map((p) => p.stop()));
    await ses?.stop();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pause: no hand-over after the batches in hand; resume: everyone exactly once, and the campaign is sent', async () => {
    const RECIPIENTS = 1500;
    const id = await launched('p', RECIPIENTS);
    await until('a fifth of the campaign to be handed over', async () => total(await accepted('p')) >= RECIPIENTS / 5);
    const paused = await call('POST', `/campaigns/${id}/pause`);
    expect([paused.status, paused.paused_reason]).toEqual(['paused', 'manual']);
    const sentAtPause = (await ledger(id)).sent ?? 0;

    const still = await settled(id, 'p', 'paused');
    // Paused midway: some sent, the rest pending, SES's count the ledger's, and the very same addresses.
    expect(still.ledger).toEqual({ sent: still.ses, pending: RECIPIENTS - still.ses });
    expect(still.ledger.pending).toBeGreaterThan(0);
    expect([...(await accepted('p')).keys()].sort()).toEqual(await addressesWith(id, 'sent'));
    // After the pause, at most the batch in each sender's hands was handed over.
    expect(still.ses - sentAtPause).toBeLessThanOrEqual(SENDERS * BATCH);

    const resumed = await call('POST', `/campaigns/${id}/resume`);
    expect(resumed.status).toBe('sending');
    await until('the campaign to be sent', async () => (await call('GET', `/campaigns/${id}`)).status === 'sent');
    const perAddress = await accepted('p');
    expect([perAddress.size, total(perAddress), Math.max(...perAddress.values())]).toEqual([RECIPIENTS, RECIPIENTS, 1]);
    expect(await ledger(id)).toEqual({ sent: RECIPIENTS });
    expect((await call('GET', `/campaigns/${id}`)).counts).toMatchObject({ targeted: RECIPIENTS, sent: RECIPIENTS, pending: 0, sending: 0 });
  }, 120_000);

  it('cancel: no hand-over after the batches in hand, the rest cancelled, sent + cancelled = targeted', async () => {
    const RECIPIENTS = 1000;
    const id = await launched('c', RECIPIENTS);
    await until('a fifth of the campaign to be handed over', async () => total(await accepted('c')) >= RECIPIENTS / 5);
    const cancelled = await call('POST', `/campaigns/${id}/cancel`);
    expect(cancelled.status).toBe('cancelled');
    const sentAtCancel = (await ledger(id)).sent ?? 0;

    const still = await settled(id, 'c', 'cancelled');
    expect(still.ledger).toEqual({ sent: still.ses, cancelled: RECIPIENTS - still.ses });
    expect(still.ledger.cancelled).toBeGreaterThan(0);
    expect(still.ses - sentAtCancel).toBeLessThanOrEqual(SENDERS * BATCH);
    // SES got exactly the sent ones, once each, and none of the cancelled.
    const perAddress = await accepted('c');
    expect(Math.max(...perAddress.values())).toBe(1);
    expect([...perAddress.keys()].sort()).toEqual(await addressesWith(id, 'sent'));
    const counts = (await call('GET', `/campaigns/${id}`)).counts;
    expect(counts).toMatchObject({ targeted: RECIPIENTS, sent: still.ses, cancelled: RECIPIENTS - still.ses, pending: 0, sending: 0 });
  }, 120_000);
});
