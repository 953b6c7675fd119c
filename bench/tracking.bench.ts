// `npm run bench:tracking`: the open pixel (GET /t/o/{token}) and the click redirect (GET /t/c/{token}) under load on
// loopback, against a bare Hono hello-world served the same way in the same run, and a count that every answered hit
// was stored (issue 10, "Ingestion that loses nothing"). The app is served from this process with
// @hono/node-server; autocannon runs in a child process (bench/tracking-load.ts). Each round runs the three phases
// (in a rotating order), each after a short warm-up; medians over the rounds. Exits 1 if a hit is lost.
// PGlite by default; PostgreSQL (a fresh database) when DATABASE_URL is set.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { campaignRoutes } from '../src/campaigns/index.js';
import { getSigningSecret, signHitToken } from '../src/links/index.js';
import { pressureSettingsRoutes } from '../src/pressure/index.js';
import { expectStatus } from '../test/support/api.js';
import { createTestApp } from '../test/support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, mjml } from '../test/support/fixtures.js';
import { fmt, machine, median } from './stats.js';
import type { LoadJob, LoadResult } from './tracking-load.js';

const MESSAGES = Number(process.env.MESSAGES ?? 3_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const DURATION = Number(process.env.DURATION ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const GOAL = { ratio: 0.6, p99Ms: 10 };

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const LANGUAGE = 'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7';
/** A webmail in a browser loading the pixel. */
const IMAGE_HEADERS = {
  'user-agent': CHROME, 'accept-language': LANGUAGE, accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors', 'sec-fetch-site': 'cross-site',
};
/** A person following a link from that webmail. */
const NAVIGATION_HEADERS = {
  'user-agent': CHROME, 'accept-language': LANGUAGE,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
  'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', 'sec-fetch-user': '?1',
};

// --- Servers: each counts, from its own side, the requests it received and how each one ended. -------------------

interface ServerCounts { received: number; closed: number; answered: number; other: number; aborted: number }

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const counts: ServerCounts = { received: 0, closed: 0, answered: 0, other: 0, aborted: 0 };
  let server!: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  server.on('request', (_req, res) => {
    counts.received++;
    res.on('close', () => {
      counts.closed++;
      if (!res.writableFinished) counts.aborted++;
      else if (res.statusCode < 400) counts.answered++;
      else counts.other++;
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset: () => Object.assign(counts, { received: 0, closed: 0, answered: 0, other: 0, aborted: 0 }),
    /** Resolves once every request received has ended (answered or dropped with its connection). */
    async settled() {
      const deadline = Date.now() + 30_000;
      while (counts.closed < counts.received) {
        if (Date.now() > deadline) throw new Error(`${counts.received - counts.closed} requests still open 30 s after the load`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// --- The load generator, in a child process. ----------------------------------------------------------------------

function startLoader() {
  // The child inherits this process's execArgv, so tsx loads the TypeScript helper.
  const child: ChildProcess = fork(fileURLToPath(new URL('./tracking-load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
  return {
    ready,
    run(job: LoadJob) {
      return new Promise<LoadResult>((resolve, reject) => {
        child.once('message', (m: { result?: LoadResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
        child.send(job);
      });
    },
    stop: () => child.disconnect(),
  };
}

// --- Seeding: a campaign to MESSAGES contacts, through the API, with three tracked links per email. -------------

const startedAt = new Date();
const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const loadBefore = loadAverage();
const t = await createTestApp({ SEND_BATCH_SIZE: '500' });
const db = t.deps.db;
const dbVersion = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0].v.replace(/ on .*|,.*/, '');
const dbName = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} (${dbVersion})`;
console.log(`${startedAt.toISOString().slice(0, 10)} · ${machine()} · ${dbName}`);
console.log(`load average before: ${loadBefore}`);

const seedStart = performance.now();
expectStatus(await t.api(pressureSettingsRoutes.putQuietHoursRoute, { json: { rules: [] } }), 200);
const topic = await createTopic(t, 'news');
await sql`insert into contacts (external_id, email, first_name)
  select 'R' || g, 'reader' || g || '@example.fr', 'Reader ' || g from generate_series(1, ${MESSAGES}) g`.execute(db);
await sql`insert into subscriptions (contact_id, channel, topic_id, status) select id, 'email', ${topic.id}, 'subscribed' from contacts`.execute(db);
const body = 'Bonjour {{first_name}}, <a href="https://shop.example/promo?c=1&amp;x=2">la promo</a>, '
  + '<a href="https://shop.example/">la boutique</a> et <a href="https://blog.example/article">le blog</a>. '
  + '<a href="{{unsubscribe_url}}">Se désabonner</a>';
const template = await createTemplate(t, 'email', { mjml: mjml(body) });
const campaignId = await createCampaign(t, { template_id: template, topic: 'news' });
expectStatus(await t.api(campaignRoutes.launchCampaignRoute, { param: { id: campaignId } }), 202);
await t.deps.background.idle();
const campaign = await getCampaign(t, campaignId);
const messages = (await sql<{ public_id: string; urls: string[]; honeypot_index: number }>`
  select m.public_id, l.urls, l.honeypot_index from messages m join message_links l on l.message_id = m.id
  where m.campaign_id = ${campaignId} and m.public_id is not null`.execute(db)).rows;
if (messages.length !== MESSAGES || messages.some((m) => m.honeypot_index !== 3)) {
  console.error(`seeding failed: ${messages.length} messages with links of ${MESSAGES} (campaign ${campaign.status}, counts ${JSON.stringify(campaign.counts)})`);
  process.exit(2);
}
const secret = await getSigningSecret(db);
const shuffle = <T>(xs: T[]) => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};
const openPaths = shuffle(await Promise.all(messages.map(async (m) => `/t/o/${await signHitToken(secret, { kind: 'open', messageId: m.public_id })}`)));
const clickPaths = shuffle(await Promise.all(messages.flatMap((m) => [0, 1, 2].map(async (link) => `/t/c/${await signHitToken(secret, { kind: 'click', messageId: m.public_id, link })}`))));
console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${fmt(MESSAGES)} emails sent (campaign ${campaign.status}), ${fmt(openPaths.length)} open tokens, ${fmt(clickPaths.length)} click tokens (3 links a message)`);

// --- The hit writer (deps.hits, issue 10): flushed before each count. Checked at run time, so the bench also runs
// against code that writes each hit before answering. ------------------------------------------------------------

type HitWriter = { flush(): Promise<void>; close(): Promise<void> };
const hits: HitWriter | undefined = 'hits' in t.deps ? (t.deps as unknown as { hits: HitWriter }).hits : undefined;
console.log(hits ? 'deps.hits present: buffered writes, flushed before each count' : 'no deps.hits: the endpoints write each hit before answering');
const storedHits = async () => Number((await sql<{ n: string }>`select count(*) as n from tracking_hits`.execute(db)).rows[0].n);

// --- The phases. -------------------------------------------------------------------------------------------------

const hello = new Hono().get('/', (c) => c.text('ok'));
const servers = { hello: await listen(hello.fetch), app: await listen(t.app.fetch) };
const loader = startLoader();
await loader.ready;

type PhaseName = 'hello' | 'open' | 'click';
const PHASES: Record<PhaseName, { label: string; server: keyof typeof servers; paths: string[]; headers: Record<string, string>; expect: string }> = {
  hello: { label: 'hello-world (bare Hono, baseline)', server: 'hello', paths: ['/'], headers: IMAGE_HEADERS, expect: '200' },
  open: { label: 'open pixel GET /t/o/{token}', server: 'app', paths: openPaths, headers: IMAGE_HEADERS, expect: '200' },
  click: { label: 'click GET /t/c/{token} (302)', server: 'app', paths: clickPaths, headers: NAVIGATION_HEADERS, expect: '302' },
};

interface HitCheck { clientAnswered: number; serverReceived: number; serverAnswered: number; aborted: number; stored: number; flushMs: number; lost: number; extra: number }
interface PhaseRun { load: LoadResult; warmup: LoadResult; unexpected: string[]; check?: HitCheck }
const runs: Record<PhaseName, PhaseRun[]> = { hello: [], open: [], click: [] };

async function runPhase(name: PhaseName): Promise<PhaseRun> {
  const phase = PHASES[name];
  const server = servers[phase.server];
  const job = { url: server.url, paths: phase.paths, headers: phase.headers, connections: CONNECTIONS };
  const before = phase.server === 'app' ? await storedHits() : 0;
  server.reset();
  const warmup = await loader.run({ ...job, duration: WARMUP });
  const load = await loader.run({ ...job, duration: DURATION });
  await server.settled();
  const unexpected = [warmup, load].flatMap((r) => [
    ...Object.entries(r.statuses).filter(([code]) => code !== phase.expect).map(([code, n]) => `${n} × ${code}`),
    ...(r.errors ? [`${r.errors} errors`] : []), ...(r.timeouts ? [`${r.timeouts} timeouts`] : []),
  ]);
  if (phase.server !== 'app') return { load, warmup, unexpected };
  const flushStart = performance.now();
  await hits?.flush();
  const flushMs = performance.now() - flushStart;
  const stored = (await storedHits()) - before;
  const c = server.counts;
  const clientAnswered = warmup.answered + load.answered;
  // Lost: an answered request (as the client saw it, or as the server sent it) without its stored hit.
  const lost = Math.max(0, Math.max(clientAnswered, c.answered) - stored);
  // Extra: more hits than requests received, i.e. some stored twice.
  const extra = Math.max(0, stored - c.received);
  return { load, warmup, unexpected, check: { clientAnswered, serverReceived: c.received, serverAnswered: c.answered, aborted: c.aborted, stored, flushMs, lost, extra } };
}

const order: PhaseName[] = ['hello', 'open', 'click'];
console.log(`${ROUNDS} rounds × (hello, open, click), ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s each; order rotates each round`);
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < order.length; i++) {
    const name = order[(i + round) % order.length];
    const r = await runPhase(name);
    runs[name].push(r);
    const c = r.check;
    console.log(`round ${round + 1} ${name.padEnd(5)} ${fmt(r.load.rps).padStart(7)} req/s  p50 ${r.load.p50.toFixed(2)} ms  p99 ${r.load.p99.toFixed(2)} ms  max ${r.load.max.toFixed(1)} ms`
      + (c ? `  · answered ${fmt(c.clientAnswered)} (server ${fmt(c.serverAnswered)}, received ${fmt(c.serverReceived)}, dropped with their connection ${c.aborted}) stored ${fmt(c.stored)} lost ${c.lost} extra ${c.extra}${hits ? ` flush ${c.flushMs.toFixed(0)} ms` : ''}` : '')
      + (r.unexpected.length ? `  UNEXPECTED ${r.unexpected.join(', ')}` : ''));
  }
}

// --- Report. -----------------------------------------------------------------------------------------------------

const med = (name: PhaseName, f: (r: PhaseRun) => number) => median(runs[name].map(f));
const helloRps = med('hello', (r) => r.load.rps);
console.log(`\nload average after: ${loadAverage()}`);
console.log(`\n| endpoint | req/s, median | rounds | vs hello-world (medians) | each round | p50, median | p99, median | p99 rounds | goal (≥ ${GOAL.ratio}×, p99 < ${GOAL.p99Ms} ms) |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of order) {
  const rps = med(name, (r) => r.load.rps);
  const ratio = rps / helloRps;
  const p99 = med(name, (r) => r.load.p99);
  const goal = name === 'hello' ? '' : `${ratio >= GOAL.ratio ? 'ratio met' : 'ratio missed'}, ${p99 < GOAL.p99Ms ? 'p99 met' : 'p99 missed'}`;
  console.log(`| ${PHASES[name].label} | ${fmt(rps)} | ${runs[name].map((r) => fmt(r.load.rps)).join(' · ')} | ${name === 'hello' ? '1×' : `${ratio.toFixed(2)}×`} | ${runs[name].map((r, i) => (r.load.rps / runs.hello[i].load.rps).toFixed(2)).join(' · ')} | ${med(name, (r) => r.load.p50).toFixed(2)} ms | ${p99.toFixed(2)} ms | ${runs[name].map((r) => r.load.p99.toFixed(1)).join(' · ')} | ${goal} |`);
}
const checks = [...runs.open, ...runs.click].map((r) => r.check!);
const total = (f: (c: HitCheck) => number) => checks.reduce((s, c) => s + f(c), 0);
console.log(`\nhits: ${fmt(total((c) => c.clientAnswered))} answered 2xx/3xx as the client saw them (${fmt(total((c) => c.serverAnswered))} as the server sent them, ${fmt(total((c) => c.serverReceived))} received, ${fmt(total((c) => c.aborted))} dropped with their connection when a run stopped); ${fmt(total((c) => c.stored))} rows stored in tracking_hits; lost ${fmt(total((c) => c.lost))}, stored twice ${fmt(total((c) => c.extra))}`);

const unexpected = order.flatMap((name) => runs[name].flatMap((r) => r.unexpected.map((u) => `${name}: ${u}`)));
await loader.stop();
await servers.hello.close();
await servers.app.close();
await t.close(); // closes deps.hits too (a last flush)

const problems: string[] = [];
if (total((c) => c.lost)) problems.push(`${total((c) => c.lost)} answered hits were not stored`);
if (total((c) => c.extra)) problems.push(`${total((c) => c.extra)} hits stored more than once`);
if (unexpected.length) problems.push(`unexpected answers: ${unexpected.join('; ')}`);
if (problems.length) {
  console.error(`FAILED:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('OK: every answered hit was stored, none twice');
process.exit(0);
