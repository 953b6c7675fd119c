// `npm run bench:send`: a campaign from launch until every message is handed over, on PostgreSQL, each sender's
// resident memory sampled every half second. In one run:
// - the send loop of main before the delivery engine (BASELINE_REF, a commit checked out into a temporary folder and
//   run in one process), into a transport that drops everything: the ratio's baseline;
// - today's engine into the `null` transport (its own cost), with 1, 2 and 4 sender processes (`src/entry/sender.ts`);
// - today's engine into the local SES server (the AWS SDK over HTTP), one sender, SES_RECIPIENTS recipients.
// RECIPIENTS (default 100,000; the issue's goal is stated for 1,000,000), BASELINE_RECIPIENTS (default RECIPIENTS / 10:
// the old loop is slow), SENDERS (default "1,2,4"), SES_RECIPIENTS (default 10,000; 0 skips it) and BASELINE_REF
// (default 46fc191; "none" skips it) change the run. Writes a markdown table for bench/RESULTS.md on stdout.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSes } from '../src/channels/email/ses-test-server.js';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createPostgresDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { launchCampaign } from '../src/campaigns/index.js';
import { createNodeDeps } from '../src/entry/node-deps.js';
import { migrationsFolder } from '../src/entry/node-runtime.js';
import { fmt, machine } from './stats.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const RECIPIENTS = Number(process.env.RECIPIENTS ?? 100_000);
const SENDERS = (process.env.SENDERS ?? '1,2,4').split(',').map(Number);
const BATCH = process.env.SEND_BATCH_SIZE ?? '100';
const BASELINE_RECIPIENTS = Number(process.env.BASELINE_RECIPIENTS ?? Math.round(RECIPIENTS / 10));
const SES_RECIPIENTS = Number(process.env.SES_RECIPIENTS ?? 10_000);
const BASELINE_REF = process.env.BASELINE_REF ?? '46fc191';
const NAME = 'bench_send';
// Extra node flags for the senders, e.g. SENDER_NODE_ARGS=--cpu-prof to profile them.
const NODE_ARGS = (process.env.SENDER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const admin = createPostgresDatabase(url, { max: 1 });
await sql.raw(`drop database if exists ${NAME} with (force)`).execute(admin);
await sql.raw(`create database ${NAME}`).execute(admin);
await admin.destroy();
const target = new URL(url);
target.pathname = `/${NAME}`;
const db = createPostgresDatabase(target.toString(), { max: 4 });
await migrateToLatest(db, migrationsFolder());

console.error(`Generating ${fmt(RECIPIENTS)} contacts…`);
await sql`insert into topics (key, name) values ('news', 'News')`.execute(db);
await sql`insert into contacts (email, first_name, locale) select 'c' || g || '@example.fr', 'Prénom' || g, 'fr' from generate_series(1, ${RECIPIENTS}) g`.execute(db);
await sql`insert into subscriptions (contact_id, channel, topic_id, status) select id, 'email', (select id from topics), 'subscribed' from contacts`.execute(db);
await sql`insert into consent_records (contact_id, channel, topic_id, status, source) select id, 'email', (select id from topics), 'subscribed', 'import' from contacts`.execute(db);
const template = await sql<{ id: number }>`insert into templates (name, channel, subject, mjml, compiled_html, text) values ('t', 'email', 'Bonjour {{first_name}}',
  '<mjml><mj-body><mj-section><mj-column><mj-text>Bonjour {{first_name}} <a href="https://shop.example/">Boutique</a></mj-text></mj-column></mj-section></mj-body></mjml>',
  '<html><body><p>Bonjour {{first_name}} <a href="https://shop.example/">Boutique</a> <a href="{{unsubscribe_url}}">x</a></p></body></html>', 'Bonjour {{first_name}}') returning id`.execute(db);
await sql`vacuum analyze`.execute(db);

const env = { ...process.env, DATABASE_URL: target.toString(), EMAIL_TRANSPORT: 'null', LOG_LEVEL: 'error', SEND_BATCH_SIZE: BATCH, SENDER_POLL_MS: '100' };
const deps = createNodeDeps(loadConfig({ ...env, SEND_IN_PROCESS: 'false' }), db);

/** A process's CPU time so far, in seconds (user + system). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

/** The machine's busy CPU time so far, in seconds, all cores. */
async function machineCpuSeconds(): Promise<number> {
  const [, user, nice, system, , , irq, softirq] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq) / 100;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Run {
  label: string;
  senders: number;
  /** The sender command, run in ROOT. */
  args: string[];
  env?: Record<string, string>;
  /** Stop counting once this many are sent (a slow run): the rate is over those. The rest is cancelled. */
  stopAfter?: number;
}

async function run(r: Run) {
  const campaign = await sql<{ id: number }>`insert into campaigns (name, channel, template_id, topic_id, audience, status)
    values (${`Bench ${r.label}`}, 'email', ${template.rows[0].id}, (select id from topics), '{"all":true}', 'draft') returning id`.execute(db);
  const id = Number(campaign.rows[0].id);
  const started = performance.now();
  await launchCampaign(deps, id);
  const launched = performance.now();
  const children: ChildProcess[] = [];
  for (let i = 0; i < r.senders; i++) {
    const child = spawn(process.execPath, r.args, { cwd: ROOT, env: { ...env, ...r.env, CAMPAIGN_ID: String(id) }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('Sender running') && resolve());
      child.once('exit', (code) => reject(new Error(`${r.label}: the sender exited (${code}) before it ran`)));
    });
    children.push(child);
  }
  const sending = performance.now();
  const machineBefore = await machineCpuSeconds();
  const sendersBefore = await Promise.all(children.map((c) => cpuSeconds(c.pid!)));
  const rss: number[][] = children.map(() => []);
  const count = async (statuses: string[]) =>
    Number((await sql<{ n: string }>`select count(*) as n from messages where campaign_id = ${id} and status = any(${statuses})`.execute(db)).rows[0].n);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [i, c] of children.entries()) rss[i].push(await rssMb(c.pid!));
    if ((await count(['pending', 'sending'])) === 0) break;
    if (r.stopAfter && (await count(['sent'])) >= r.stopAfter) break;
  }
  const done = performance.now();
  const machineCpu = (await machineCpuSeconds()) - machineBefore;
  const senderCpu = (await Promise.all(children.map((c) => cpuSeconds(c.pid!)))).reduce((a, b, i) => a + b - sendersBefore[i], 0);
  const sent = await count(['sent']);
  // SIGTERM first: a sender run with --cpu-prof writes its profile as it exits.
  const exited = children.map((c) => new Promise((resolve) => c.exitCode !== null ? resolve(null) : c.once('exit', resolve)));
  for (const c of children) c.kill('SIGTERM');
  await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(exited);
  await sql`update campaigns set status = 'cancelled' where id = ${id} and status = 'sending'`.execute(db);
  await sql`update messages set status = 'cancelled' where campaign_id = ${id} and status in ('pending', 'sending')`.execute(db);
  const sendSeconds = (done - sending) / 1000;
  return {
    ...r, sent, launchSeconds: (launched - started) / 1000, sendSeconds, rate: sent / sendSeconds,
    senderCpuUs: (senderCpu / sent) * 1e6, otherCpuUs: ((machineCpu - senderCpu) / sent) * 1e6,
    rssStart: Math.max(...rss.map((x) => x[0] ?? 0)), rssPeak: Math.max(...rss.flat()), rssEnd: Math.max(...rss.map((x) => x.at(-1) ?? 0)),
  };
}

// What `npm run sender` runs: the sender bundled into one file, run by node without tsx.
const SENDER = [...NODE_ARGS, 'scripts/sender.mjs'];
const runs: Run[] = [];
let baselineDir: string | undefined;
if (BASELINE_REF !== 'none') {
  baselineDir = await mkdtemp(join(tmpdir(), 'relais-baseline-'));
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BASELINE_REF} | tar -x -C "${baselineDir}"`]);
  symlinkSync(join(ROOT, 'node_modules'), join(baselineDir, 'node_modules'));
  runs.push({ label: `main's send loop (${BASELINE_REF})`, senders: 1, args: ['--import', 'tsx', 'bench/send-baseline.ts'], env: { BASELINE_DIR: baselineDir, EMAIL_TRANSPORT: 'outbox' }, stopAfter: BASELINE_RECIPIENTS });
}
for (const n of SENDERS) runs.push({ label: `${n} sender${n > 1 ? 's' : ''}, null transport`, senders: n, args: SENDER });
let ses: Awaited<ReturnType<typeof startLocalSes>> | undefined;
if (SES_RECIPIENTS > 0) {
  // The proxy answers SendEmail itself (relay: false): aws-ses-v2-local's 10 ms a message would be measured, not ours.
  ses = await startLocalSes({ relay: false });
  runs.push({
    label: '1 sender, local SES server', senders: 1, args: SENDER, stopAfter: SES_RECIPIENTS,
    env: { EMAIL_TRANSPORT: 'ses', SES_REGION: 'eu-west-3', SES_ENDPOINT: ses.endpoint, SES_ACCESS_KEY_ID: 'x', SES_SECRET_ACCESS_KEY: 'x', SES_MAX_SEND_RATE: '100000' },
  });
}

const results = [];
for (const r of runs) {
  const result = await run(r);
  console.error(`${r.label}: ${fmt(result.sent)} sent in ${result.sendSeconds.toFixed(1)} s (${fmt(result.rate)}/s), launch ${result.launchSeconds.toFixed(1)} s, RSS ${result.rssStart.toFixed(0)}→${result.rssPeak.toFixed(0)} MB, CPU per message: senders ${result.senderCpuUs.toFixed(0)} µs, the rest (PostgreSQL, the bench) ${result.otherCpuUs.toFixed(0)} µs`);
  results.push(result);
}
await ses?.stop();
if (baselineDir) await rm(baselineDir, { recursive: true, force: true });
await db.destroy();

const base = results[0];
console.log(`\n## Sending a campaign (\`npm run bench:send\`, ${new Date().toISOString().slice(0, 10)})\n`);
console.log(`Machine: ${machine()}; PostgreSQL; ${fmt(RECIPIENTS)} recipients, batches of ${BATCH}.\n`);
console.log('| run | launch (snapshot) | sent | sending time | messages/s | × first row | CPU per message: senders / the rest | RSS per sender: start → peak (end) | 1,000,000 at this rate |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
for (const r of results) {
  console.log(`| ${r.label} | ${r.launchSeconds.toFixed(1)} s | ${fmt(r.sent)} | ${r.sendSeconds.toFixed(1)} s | ${fmt(r.rate)} | ${(r.rate / base.rate).toFixed(2)} | ${r.senderCpuUs.toFixed(0)} / ${r.otherCpuUs.toFixed(0)} µs | ${r.rssStart.toFixed(0)} → ${r.rssPeak.toFixed(0)} MB (${r.rssEnd.toFixed(0)}) | ${(1_000_000 / r.rate / 60).toFixed(1)} min |`);
}
