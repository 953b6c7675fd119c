// The real server as a child process takes a burst of opens and clicks and is sent SIGTERM in the middle of it: every
// hit it answered is in the database afterwards (the buffer is flushed before the database closes). The buffer is
// only flushed at shutdown here, so a shutdown that forgot it would lose them all.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const KEY = 'tracking-test-admin-key-0123456789';
const BROWSER = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', 'accept-language': 'fr-FR' };

let dir: string;
let postgres: TestDatabase | undefined;
let server: ServerProcess;
let base: string;

async function api(method: string, path: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${base}/v1${path}`, {
    method, headers: { authorization: `Bearer ${KEY}`, 'content-type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relais-tracking-'));
  const env: Record<string, string> = {};
  if (process.env.DATABASE_URL) {
    postgres = await createTestDatabase();
    env.DATABASE_URL = postgres.url!;
  }
  server = await startServer({
    dir,
    // Hits wait a minute in memory: only the flush at SIGTERM can write them.
    env: { ...env, ADMIN_API_KEY: KEY, LOG_LEVEL: 'error', TRACKING_FLUSH_MS: '60000' },
  });
  base = server.base;
}, 120_000);

afterAll(async () => {
  if (server?.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await postgres?.close();
  await rm(dir, { recursive: true, force: true });
});

it('writes every hit it answered when SIGTERM comes in the middle of a burst', async () => {
  await api('POST', '/topics', { key: 'news', name: 'News' });
  const csv = ['email;email_topics', ...Array.from({ length: 20 }, (_, i) => `p${i}@example.fr;news`)].join('\n');
  await api('POST', '/contacts/import', csv, 'text/csv');
  const template = await api('POST', '/templates', {
    name: 'T', channel: 'email', subject: 'Bonjour',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text><a href="https://shop.example/a">A</a></mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  const campaign = await api('POST', '/campaigns', { name: 'K', channel: 'email', template_id: template.id, topic: 'news', audience: { all: true } });
  await api('POST', `/campaigns/${campaign.id}/launch`);
  for (let i = 0; (await api('GET', `/campaigns/${campaign.id}`)).status !== 'sent'; i++) {
    if (i > 300) throw new Error('the campaign did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
  const urls: string[] = [];
  const outbox = join(dir, 'outbox');
  for (const name of (await readdir(outbox)).filter((f) => f.endsWith('.eml'))) {
    const html = (await PostalMime.parse(await readFile(join(outbox, name), 'utf8'))).html ?? '';
    urls.push(/<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1], /href="([^"]+\/t\/c\/[^"]+)"/.exec(html)![1]);
  }
  expect(urls).toHaveLength(40);

  // 600 requests, 20 at a time; SIGTERM once 200 have been answered.
  let answered = 0;
  let next = 0;
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  const worker = async () => {
    while (next < 600) {
      const url = urls[next++ % urls.length];
      const res = await fetch(url, { headers: BROWSER, redirect: 'manual' }).catch(() => undefined);
      if (res && (res.status === 200 || res.status === 302)) answered++;
      await res?.arrayBuffer().catch(() => undefined);
      if (answered === 200) server.child.kill('SIGTERM');
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  expect(await exited).toBe(0);
  expect(answered).toBeGreaterThanOrEqual(200);

  const db = postgres ? postgres.db : await createEmbeddedDatabase(join(dir, 'db'));
  try {
    const stored = Number((await sql<{ n: string }>`select count(*) as n from tracking_hits`.execute(db)).rows[0].n);
    expect(stored).toBe(answered);
  } finally {
    if (!postgres) await db.destroy();
  }
}, 180_000);
