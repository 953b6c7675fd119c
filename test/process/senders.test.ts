// Several sender processes (`npm run sender`) share one campaign launched through an API process that does not send
// (SEND_IN_PROCESS=false): every recipient gets exactly one message, and the campaign finishes. Against the local SES
// server, which records every send. PostgreSQL only: the embedded database serves one process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const KEY = 'senders-test-admin-key-0123456789abcd';
const RECIPIENTS = 1200;

describe.runIf(!!process.env.DATABASE_URL)('sender processes', () => {
  let dir: string;
  let postgres: TestDatabase;
  let ses: LocalSes;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-senders-'));
    postgres = await createTestDatabase();
    ses = await startLocalSes();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await ses?.stop();
    await postgres?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('two senders and an API that does not send: each recipient gets exactly one message', async () => {
    const env = {
      DATABASE_URL: postgres.url!, ADMIN_API_KEY: KEY, LOG_LEVEL: 'error', EMAIL_TRANSPORT: 'ses', SES_REGION: 'eu-west-3', SES_ENDPOINT: ses.endpoint,
      SES_ACCESS_KEY_ID: 'test', SES_SECRET_ACCESS_KEY: 'test', SEND_BATCH_SIZE: '20', SENDER_POLL_MS: '200',
    };
    const api = await startServer({ dir, env: { ...env, SEND_IN_PROCESS: 'false' } });
    processes.push(api);
    for (let i = 0; i < 2; i++) processes.push(await startServer({ dir, env, script: 'src/entry/sender.ts', ready: /Sender running/ }));
    const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const res = await fetch(`${api.base}/v1${path}`, {
        method, headers: { authorization: `Bearer ${KEY}`, 'content-type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    await call('POST', '/topics', { key: 'news', name: 'News' });
    const csv = ['email;email_topics', ...Array.from({ length: RECIPIENTS }, (_, i) => `s${i}@example.fr;news`)].join('\n');
    await call('POST', '/contacts/import', csv, 'text/csv');
    const template = await call('POST', '/templates', {
      name: 'T', channel: 'email', subject: 'Bonjour', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Bonjour</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    const campaign = await call('POST', '/campaigns', { name: 'S', channel: 'email', template_id: template.id, topic: 'news', audience: { all: true } });
    await call('POST', `/campaigns/${campaign.id}/launch`);
    const deadline = Date.now() + 180_000;
    while ((await call('GET', `/campaigns/${campaign.id}`)).status !== 'sent') {
      if (Date.now() > deadline) throw new Error(`not sent in time\n${processes.map((p) => p.output.join('')).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const sends = await ses.messages();
    const perAddress = new Map<string, number>();
    for (const m of sends) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect([sends.length, perAddress.size, Math.max(...perAddress.values())]).toEqual([RECIPIENTS, RECIPIENTS, 1]);
    expect((await call('GET', `/campaigns/${campaign.id}`)).counts).toMatchObject({ sent: RECIPIENTS });
  }, 300_000);
});
