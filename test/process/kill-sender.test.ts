// kill -9 in the middle of a campaign, then a restart: no recipient is skipped, the campaign reaches `sent`, and the
// only messages sent twice are those that were in flight at the kill (handed to SES, not yet recorded). The real
// server runs as a child process against the local SES server, which records every send.
//
// On PostgreSQL only: the embedded database (PGlite) is for trying the platform and is not meant to survive a kill -9.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_EVERY } from '../../src/campaigns/send-batch.js';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const KEY = 'kill-test-admin-key-0123456789abcdef';
const RECIPIENTS = 1500;
// Bigger than RECORD_EVERY: the window is what was handed over since the last record, not the batch.
const BATCH = 250;
const CONCURRENCY = 8;

describe.runIf(!!process.env.DATABASE_URL)('a sender killed mid-campaign', () => {
  let dir: string;
  let postgres: TestDatabase;
  let ses: LocalSes;
  let servers: ServerProcess[] = [];
  let env: Record<string, string>;

  const api = async (base: string, method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${base}/v1${path}`, {
      method, headers: { authorization: `Bearer ${KEY}`, 'content-type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const until = async (what: string, check: () => Promise<boolean>, ms = 120_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${servers.map((s) => s.output.join('')).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-kill-'));
    postgres = await createTestDatabase();
    ses = await startLocalSes();
    env = {
      DATABASE_URL: postgres.url!, ADMIN_API_KEY: KEY, LOG_LEVEL: 'error', EMAIL_TRANSPORT: 'ses', SES_REGION: 'eu-west-3', SES_ENDPOINT: ses.endpoint,
      SES_ACCESS_KEY_ID: 'test', SES_SECRET_ACCESS_KEY: 'test', SEND_BATCH_SIZE: String(BATCH), SEND_CONCURRENCY: String(CONCURRENCY), SEND_LEASE_SECONDS: '2',
    };
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await ses?.stop();
    await postgres?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('skips nobody, finishes, and sends twice only what was in flight', async () => {
    const first = await startServer({ dir, env });
    servers.push(first);
    await api(first.base, 'POST', '/topics', { key: 'news', name: 'News' });
    const csv = ['email;email_topics', ...Array.from({ length: RECIPIENTS }, (_, i) => `k${i}@example.fr;news`)].join('\n');
    await api(first.base, 'POST', '/contacts/import', csv, 'text/csv');
    const template = await api(first.base, 'POST', '/templates', {
      name: 'T', channel: 'email', subject: 'Bonjour',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Bonjour</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    const campaign = await api(first.base, 'POST', '/campaigns', { name: 'K', channel: 'email', template_id: template.id, topic: 'news', audience: { all: true } });
    await api(first.base, 'POST', `/campaigns/${campaign.id}/launch`);

    // A fifth of the way in, the sender dies without a word.
    await until('a fifth of the campaign to be sent', async () => (await ses.messages()).length >= RECIPIENTS / 5);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const db = postgres.db;
    const ledger = async () => Object.fromEntries((await sql<{ status: string; n: string }>`
      select status, count(*) as n from messages where campaign_id = ${campaign.id} group by status`.execute(db)).rows.map((r) => [r.status, Number(r.n)]));
    const atKill = await ledger();
    const inFlight = atKill.sending ?? 0;
    const handedOverAtKill = (await ses.messages()).length;
    // What the ledger says was sent was handed over; what SES has beyond that was in flight.
    expect(handedOverAtKill - (atKill.sent ?? 0)).toBeLessThanOrEqual(inFlight);
    expect(inFlight).toBeLessThanOrEqual(BATCH);

    // A restart: the sender resumes at start, sends what is left, and takes back the dead one's batch past its lease.
    const second = await startServer({ dir, env });
    servers.push(second);
    await until('the campaign to be sent', async () => (await api(second.base, 'GET', `/campaigns/${campaign.id}`)).status === 'sent');

    expect(await ledger()).toEqual({ sent: RECIPIENTS });
    const sends = await ses.messages();
    const perAddress = new Map<string, number>();
    for (const m of sends) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(perAddress.size).toBe(RECIPIENTS);
    const twice = [...perAddress.values()].filter((n) => n > 1).length;
    expect([...perAddress.values()].every((n) => n <= 2)).toBe(true);
    // The duplicate window: what was handed over and not yet recorded (a record in progress, and what followed it, each
    // at most RECORD_EVERY plus those in the transport's hands), not the whole batch.
    expect(twice).toBe(sends.length - RECIPIENTS);
    expect(twice).toBeLessThanOrEqual(inFlight);
    expect(twice).toBeLessThanOrEqual(2 * (RECORD_EVERY + CONCURRENCY));
    console.log(`kill -9 after ${handedOverAtKill} handed over: ${inFlight} in flight, ${twice} sent twice, ${RECIPIENTS} recipients all reached`);
    await second.stop();
  }, 240_000);
});
