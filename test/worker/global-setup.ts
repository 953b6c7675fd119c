// Starts the Worker for the black-box tests: a fresh PostgreSQL database, the local SES server, then
// `wrangler dev` (workerd) pointed at both. Everything is torn down afterwards, also when setup fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createKey } from '../../src/access/keys.service.js';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import { createPostgresDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { migrationsFolder } from '../../src/entry/node-runtime.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    apiKey: string;
    publicUrl: string;
    /** GET → JSON LocalSesMessage[]: the SES server lives in this process, tests run in others. */
    sesInbox: string;
    /** The Worker's database, for a test to set up what the API cannot (time passing for a deferred message). */
    databaseUrl: string;
  }
}

const PUBLIC_URL = 'https://mail.example.test';
const ROOT = new URL('../../', import.meta.url);
const STARTUP_MS = 120_000;

export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => console.error('[worker tests] teardown:', err));
  };
  try {
    const database = await createDatabase(cleanups);
    const ses = await startLocalSes();
    cleanups.push(() => ses.stop());
    const inbox = await serveInbox(ses);
    cleanups.push(() => new Promise<void>((resolve) => inbox.server.close(() => resolve())));
    const baseUrl = await startWrangler(database.connectionString, ses.endpoint, cleanups);
    project.provide('baseUrl', baseUrl);
    project.provide('apiKey', database.apiKey);
    project.provide('publicUrl', PUBLIC_URL);
    project.provide('sesInbox', inbox.url);
    project.provide('databaseUrl', database.connectionString);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

async function createDatabase(cleanups: Array<() => Promise<void>>) {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test');
  const name = `worker_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = createPostgresDatabase(url.toString(), { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  cleanups.push(async () => {
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
    await admin.destroy();
  });
  url.pathname = `/${name}`;
  // Hyperdrive refuses a local connection string without a password, even with trust auth.
  if (!url.password) url.password = 'postgres';
  const db = createPostgresDatabase(url.toString(), { max: 1 });
  try {
    await migrateToLatest(db, migrationsFolder());
    const { key } = await createKey(db, 'worker tests', 'admin');
    return { connectionString: url.toString(), apiKey: key };
  } finally {
    await db.destroy();
  }
}

async function serveInbox(ses: LocalSes) {
  const server: Server = createServer((_req, res) => {
    ses.messages().then(
      (messages) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages)),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}/` };
}

async function startWrangler(connectionString: string, sesEndpoint: string, cleanups: Array<() => Promise<void>>): Promise<string> {
  const [port, inspectorPort] = await freePorts(2);
  const logPath = join(tmpdir(), `relais-worker-test-${process.pid}.log`);
  const log = createWriteStream(logPath);
  const vars = {
    PUBLIC_URL,
    SES_REGION: 'eu-west-1',
    SES_ENDPOINT: sesEndpoint,
    SES_ACCESS_KEY_ID: 'local',
    SES_SECRET_ACCESS_KEY: 'local',
  };
  const args = [
    'wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
  // Own process group (detached), so teardown can kill npx, wrangler and workerd together.
  const child: ChildProcess = spawn('npx', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false', // no internet here: skip fetching Request.cf (a 3 s timeout)
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: connectionString,
    },
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Last resort if vitest dies without teardown: never leave workerd running.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  cleanups.push(async () => {
    process.off('exit', killOnExit);
    killGroup(child, 'SIGTERM');
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    // workerd may outlive npx by a moment: wait for the whole group, so no port stays taken.
    for (let i = 0; i < 100 && groupAlive(child); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    clearTimeout(force);
    await new Promise<void>((resolve) => log.end(resolve));
    await reportWorkerErrors(logPath);
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const deadline = started + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const health = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
    if (health?.ok) {
      console.log(`[worker tests] wrangler dev served /health after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return baseUrl;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const output = await readFile(logPath, 'utf8').catch(() => '');
  throw new Error(`wrangler dev did not serve ${baseUrl}/health; its output ends with:\n${output.slice(-4000)}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** The app's own error logs end up in wrangler's output: show them, since tests only see a 500. Keeps the log then. */
async function reportWorkerErrors(logPath: string) {
  const lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n');
  const errors = lines.filter((l) => /Unhandled error|\[background\]|\[wrangler:error\]|Uncaught/.test(l));
  if (errors.length) console.error(`[worker tests] errors logged by the Worker (full log: ${logPath}):\n${errors.join('\n')}`);
  else await rm(logPath, { force: true });
}

async function freePorts(count: number): Promise<number[]> {
  // Held open together, so the ports are distinct.
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(servers.map(listen));
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
