// The real server, started as a child process, gets the segment payloads of the review: the reference bomb that
// ran it out of memory, rules that would run for seconds, values that answered 500. Meanwhile /health must keep
// answering within a second, and the process must still be there at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmbeddedDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { migrationsFolder } from '../../src/entry/node-runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const KEY = 'hostile-test-admin-key-0123456789';
const CONTACTS = 20_000;
const STATEMENT_TIMEOUT_MS = 300;

let dir: string;
let postgres: TestDatabase | undefined;
let server: ServerProcess;
let base: string;

/** Contacts for the slow rules to read, written before the server starts. */
async function seed(db: Database) {
  await sql`insert into contacts (email, locale) select 'c' || g || '@example.fr', 'fr' from generate_series(1, ${CONTACTS}) g`.execute(db);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relais-hostile-'));
  const env: Record<string, string> = {};
  if (process.env.DATABASE_URL) {
    postgres = await createTestDatabase();
    await seed(postgres.db);
    env.DATABASE_URL = postgres.url!;
  } else {
    const db = await createEmbeddedDatabase(join(dir, 'db'));
    await migrateToLatest(db, migrationsFolder());
    await seed(db);
    await db.destroy();
  }
  server = await startServer({
    dir,
    // A small heap: if a bomb got through, the process would die here in seconds rather than eat the machine.
    nodeArgs: ['--max-old-space-size=512'],
    env: { ...env, ADMIN_API_KEY: KEY, SEGMENT_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), LAUNCH_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) },
  });
  base = server.base;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await postgres?.close();
  await rm(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Asks /health one request at a time until stopped; returns each answer's status and time. */
function watchHealth() {
  let running = true;
  const seen: Array<{ status: number; ms: number }> = [];
  const done = (async () => {
    while (running) {
      const start = performance.now();
      const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);
      seen.push({ status, ms: performance.now() - start });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { stop: async () => ((running = false), await done, seen) };
}

const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
const refs = (id: number, n: number) => ({ any: many(n, () => ({ segment: id })) });
const big = { any: many(499, (i) => ({ field: 'email', op: 'eq', value: `x${i}@example.fr` })) };
const slow = { any: many(200, (i) => ({ field: 'email', op: 'contains', value: `zz${i}` })) };

it('survives the hostile segment payloads, and /health answers within a second throughout', async () => {
  const health = watchHealth();
  const statuses: Record<string, number[]> = {};
  const record = (label: string, status: number) => (statuses[label] ??= []).push(status);

  // The bomb of the review: 499 conditions, referenced 100 times, referenced 100 times again.
  const a = await api('POST', '/segments', { name: 'A', rule: big });
  record('A saved', a.status);
  const b = await api('POST', '/segments', { name: 'B', rule: refs(a.body.id, 100) });
  record('B = 100 × A', b.status);
  const bId = b.status === 201 ? b.body.id : a.body.id + 1;
  record('C = 100 × B', (await api('POST', '/segments', { name: 'C', rule: refs(bId, 100) })).status);
  const previews = await Promise.all(many(4, () => api('POST', '/segments/preview', { rule: refs(a.body.id, 100) })));
  for (const p of previews) record('preview of 100 × A', p.status);

  // A bomb armed later: small segments saved, then the one at the bottom grows.
  const small = await api('POST', '/segments', { name: 'small', rule: { field: 'email', op: 'exists' } });
  const mid = await api('POST', '/segments', { name: 'mid', rule: refs(small.body.id, 20) });
  const top = await api('POST', '/segments', { name: 'top', rule: refs(mid.body.id, 20) });
  record('armed segments saved', top.status);
  const topic = await api('POST', '/topics', { key: 'news', name: 'News' });
  const template = await api('POST', '/templates', { name: 'T', channel: 'sms', text: 'Bonjour' });
  const campaign = await api('POST', '/campaigns', { name: 'K', channel: 'sms', template_id: template.body.id, topic: topic.body.key, audience: { segment_id: top.body.id } });
  record('campaign created', campaign.status);
  record('bottom grows', (await api('PATCH', `/segments/${small.body.id}`, { rule: big })).status);
  record('preview of the armed segment', (await api('GET', `/segments/${top.body.id}/preview`)).status);
  record('launch on the armed segment', (await api('POST', `/campaigns/${campaign.body.id}/launch`)).status);

  // Rules that would run for seconds over 20,000 contacts, several at once.
  const slowOnes = await Promise.all(many(3, () => api('POST', '/segments/preview', { rule: slow })));
  for (const p of slowOnes) record('slow preview', p.status);
  const codes = slowOnes.map((p) => p.body?.error?.code);

  // Values that answered 500.
  for (const rule of [{ field: 'created_at', op: 'gt', value: '2024' }, { field: 'id', op: 'eq', value: 1e30 }, { event: 'purchase', count: { op: 'gte', value: 1.5 } }]) {
    record('bad value', (await api('POST', '/segments/preview', { rule })).status);
  }

  const seen = await health.stop();
  expect(statuses, server.output.join('').slice(-2000)).toEqual({
    'A saved': [201],
    'B = 100 × A': [422],
    'C = 100 × B': [422],
    'preview of 100 × A': [422, 422, 422, 422],
    'armed segments saved': [201],
    'campaign created': [201],
    'bottom grows': [200],
    'preview of the armed segment': [422],
    'launch on the armed segment': [422],
    'slow preview': [503, 503, 503],
    'bad value': [422, 422, 422],
  });
  expect(codes).toEqual(['query_timeout', 'query_timeout', 'query_timeout']);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((h) => h.status !== 200)).toEqual([]);
  expect(Math.max(...seen.map((h) => h.ms)), JSON.stringify(seen.map((h) => Math.round(h.ms)))).toBeLessThan(1000);
  // Still there, still answering.
  expect([server.child.exitCode, server.child.signalCode]).toEqual([null, null]);
  expect((await fetch(`${base}/health`)).status).toBe(200);
}, 60_000);
