// An app on a real database with the outbox in a temp folder; requests go through app.request (no server).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/access/keys.service.js';
import type { Deps } from '../../src/deps.js';
import type { Transports } from '../../src/channels/index.js';
import { createNodeDeps } from '../../src/entry/node-deps.js';
import { createApi, type Api } from './api.js';
import { createTestDatabase } from './database.js';

export interface TestApp {
  app: ReturnType<typeof buildApp>;
  deps: Deps;
  keys: { admin: string; marketer: string; analyst: string };
  /** The keys' ids, as the audit log records them (`actor_key_id`). */
  keyIds: { admin: number; marketer: number; analyst: number };
  outboxDir: string;
  /** Typed by the route's contract: `t.api(upsertContactRoute, { json })`; the admin key unless `key` is given. */
  api: Api;
  call(method: string, path: string, body?: unknown, options?: { key?: string; headers?: Record<string, string> }): Promise<Response>;
  json<T = any>(method: string, path: string, body?: unknown, options?: { key?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  outboxFiles(ext: '.eml' | '.json'): Promise<Array<{ name: string; content: string }>>;
  close(): Promise<void>;
}

/** Dependencies a test may replace; transports one channel at a time. */
export type TestOverrides = Partial<Omit<Deps, 'transports'>> & { transports?: Partial<Transports> };

export async function createTestApp(env: Record<string, string> = {}, overrides: TestOverrides = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const outboxDir = await mkdtemp(join(tmpdir(), 'outbox-'));
  const config = loadConfig({ PUBLIC_URL: 'https://mail.example.test', OUTBOX_DIR: outboxDir, LOG_LEVEL: 'error', ...(database.url ? { DATABASE_URL: database.url } : {}), ...env });
  const base = createNodeDeps(config, database.db);
  const deps: Deps = { ...base, ...overrides, transports: { ...base.transports, ...overrides.transports } };
  const app = buildApp(deps);
  const created = {
    admin: await createKey(database.db, 'admin', 'admin'),
    marketer: await createKey(database.db, 'marketer', 'marketer'),
    analyst: await createKey(database.db, 'analyst', 'analyst'),
  };
  const keys = { admin: created.admin.key, marketer: created.marketer.key, analyst: created.analyst.key };
  const keyIds = { admin: created.admin.record!.id, marketer: created.marketer.record!.id, analyst: created.analyst.record!.id };
  const call: TestApp['call'] = (method, path, body, options = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? keys.admin}`, ...options.headers };
    let payload: string | undefined;
    if (typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, body: payload }));
  };
  return {
    app, deps, keys, keyIds, outboxDir, call,
    api: createApi((path, init) => app.request(path, init), keys.admin),
    async json(method, path, body, options) {
      const res = await call(method, path, body, options);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async outboxFiles(ext) {
      const names = (await readdir(outboxDir)).filter((f) => f.endsWith(ext)).sort();
      return Promise.all(names.map(async (name) => ({ name, content: await readFile(join(outboxDir, name), 'utf8') })));
    },
    async close() {
      await deps.background.idle();
      await deps.hits.close();
      await database.close();
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}
