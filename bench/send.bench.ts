// `npm run bench:send`: a campaign from launch until every message is handed over, on PostgreSQL, into the `null`
// transport (the engine's own cost), with 1, 2 and 4 sender processes (`src/entry/sender.ts`), each sender's resident
// memory sampled every half second. RECIPIENTS (default 100,000; the issue's goal is stated for 1,000,000) and
// SENDERS (default "1,2,4") change the run. Writes a markdown table for bench/RESULTS.md on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
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
const NAME = 'bench_send';
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

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function run(senders: number) {
  const campaign = await sql<{ id: number }>`insert into campaigns (name, channel, template_id, topic_id, audience, status)
    values (${`Bench ${senders}`}, 'email', ${template.rows[0].id}, (select id from topics), '{"all":true}', 'draft') returning id`.execute(db);
  const id = Number(campaign.rows[0].id);
  const children: ChildProcess[] = [];
  for (let i = 0; i < senders; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/sender.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('Sender running') && resolve()));
    children.push(child);
  }
  const started = performance.now();
  await launchCampaign(deps, id);
  const launched = performance.now();
  const rss: number[][] = children.map(() => []);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    for (const [i, c] of children.entries()) rss[i].push(await rssMb(c.pid!));
    const left = await sql<{ n: string }>`select count(*) as n from messages where campaign_id = ${id} and status in ('pending', 'sending')`.execute(db);
    if (Number(left.rows[0].n) === 0) break;
  }
  const done = performance.now();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
  const sent = Number((await sql<{ n: string }>`select count(*) as n from messages where campaign_id = ${id} and status = 'sent'`.execute(db)).rows[0].n);
  const sendSeconds = (done - launched) / 1000;
  return {
    senders, sent, launchSeconds: (launched - started) / 1000, sendSeconds, rate: sent / sendSeconds,
    rssStart: Math.max(...rss.map((r) => r[0] ?? 0)), rssPeak: Math.max(...rss.flat()), rssEnd: Math.max(...rss.map((r) => r.at(-1) ?? 0)),
  };
}

const results = [];
for (const n of SENDERS) {
  const r = await run(n);
  console.error(`${n} sender(s): ${fmt(r.sent)} sent in ${r.sendSeconds.toFixed(1)} s (${fmt(r.rate)}/s), launch ${r.launchSeconds.toFixed(1)} s, RSS ${r.rssStart.toFixed(0)}→${r.rssPeak.toFixed(0)} MB`);
  results.push(r);
}
await db.destroy();

console.log(`\n## Sending a campaign (\`npm run bench:send\`, ${new Date().toISOString().slice(0, 10)})\n`);
console.log(`Machine: ${machine()}; PostgreSQL; ${fmt(RECIPIENTS)} recipients, batches of ${BATCH}, the null transport.\n`);
console.log('| sender processes | launch (snapshot) | launch → all handed over | messages/s | × one sender | RSS per sender: start → peak (end) |');
console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  console.log(`| ${r.senders} | ${r.launchSeconds.toFixed(1)} s | ${r.sendSeconds.toFixed(1)} s | ${fmt(r.rate)} | ${(r.rate / results[0].rate).toFixed(2)} | ${r.rssStart.toFixed(0)} → ${r.rssPeak.toFixed(0)} MB (${r.rssEnd.toFixed(0)}) |`);
}
