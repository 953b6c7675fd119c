// `npm run bench:report`: a campaign report at 1,000,000 recipients on PostgreSQL. Engagement comes from the rollups
// the ingestion keeps (campaign_hourly, campaign_links), delivery and hold-backs from the ledger, breakdowns from the
// sent messages joined to their contacts. Baseline, same run: counting the campaign's messages.
import { sql } from 'kysely';
import { createPostgresDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { campaignOutcomes } from '../src/delivery/index.js';
import { migrationsFolder } from '../src/entry/node-runtime.js';
import { campaignReport } from '../src/reporting/index.js';
import { sentMessagesBy } from '../src/reporting/campaign-report.repository.js';
import { fmt, machine, median } from './stats.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const RECIPIENTS = Number(process.env.RECIPIENTS ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const NAME = 'bench_report';
const LAUNCH = new Date('2026-11-03T09:00:00Z');

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await fn();
  console.error(`  ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return out;
}

async function generate(db: Database): Promise<number> {
  console.error(`Generating a campaign to ${fmt(RECIPIENTS)} recipients…`);
  await sql`insert into attributes (name, type) values ('host', 'boolean')`.execute(db);
  await sql`insert into topics (key, name) values ('newsletter', 'Newsletter')`.execute(db);
  await timed('contacts', () => sql`
    insert into contacts (external_id, email, first_name, locale, attributes)
    select 'C' || g, 'c' || g || '@example.fr', 'Prénom' || g, (array['fr', 'fr', 'en', 'fr-CA'])[1 + g % 4], jsonb_build_object('host', g % 7 = 0)
    from generate_series(1, ${RECIPIENTS}) g`.execute(db));
  const template = await sql<{ id: number }>`insert into templates (name, channel, subject, text) values ('t', 'email', 's', 'x') returning id`.execute(db);
  const campaign = await sql<{ id: number }>`insert into campaigns (name, channel, template_id, topic_id, audience, status, launched_at, completed_at, content)
    values ('Lettre', 'email', ${template.rows[0].id}, (select id from topics limit 1), '{"all":true}', 'sent', ${LAUNCH}, ${LAUNCH},
      '{"subject":"s","text":"x","variants":[{"locale":"en","subject":"s","text":"x"},{"locale":"fr-CA","subject":"s","text":"x"}]}')
    returning id`.execute(db);
  const id = Number(campaign.rows[0].id);
  // 3% held back (not subscribed), the rest sent over half an hour.
  await timed('messages', () => sql`
    insert into messages (campaign_id, contact_id, channel, status, skip_reason, address, public_id, sent_at)
    select ${id}, c.id, 'email', case when c.id % 33 = 0 then 'skipped' else 'sent' end, case when c.id % 33 = 0 then 'not_subscribed' end,
      c.email, md5(c.id::text), case when c.id % 33 <> 0 then ${LAUNCH}::timestamptz + make_interval(secs => c.id % 1800) end
    from contacts c`.execute(db));
  // What the ingestion would have kept: 40% opened by people, 30% by Apple's proxy, 8% clicked, 1% bought.
  await timed('message_engagement', () => sql`
    insert into message_engagement (message_id, campaign_id, contact_id, first_open_human_at, first_open_machine_at, first_click_human_at,
      opens_human, opens_machine, clicks_human, converted_at, conversions, revenue, delivered_at)
    select m.id, m.campaign_id, m.contact_id,
      case when m.id % 5 < 2 then m.sent_at + make_interval(secs => (m.id * 7919) % 259200) end,
      case when m.id % 10 < 3 then m.sent_at + interval '2 minutes' end,
      case when m.id % 25 < 2 then m.sent_at + make_interval(secs => (m.id * 7919) % 259200 + 300) end,
      (m.id % 5 < 2)::int * (1 + m.id % 3), (m.id % 10 < 3)::int, (m.id % 25 < 2)::int,
      case when m.id % 100 = 0 then m.sent_at + interval '1 day' end, (m.id % 100 = 0)::int, case when m.id % 100 = 0 then 49.9 else 0 end,
      m.sent_at + interval '5 seconds'
    from messages m where m.campaign_id = ${id} and m.status = 'sent'`.execute(db));
  await timed('campaign_hourly', () => sql`
    insert into campaign_hourly (campaign_id, metric, hour, events, uniques, value)
    select ${id}, metric, date_trunc('hour', at), sum(n), count(*), sum(v) from (
      select 'open_human' as metric, first_open_human_at as at, opens_human as n, 0::numeric as v from message_engagement where first_open_human_at is not null
      union all select 'open_machine', first_open_machine_at, opens_machine, 0 from message_engagement where first_open_machine_at is not null
      union all select 'click_human', first_click_human_at, clicks_human, 0 from message_engagement where first_click_human_at is not null
      union all select 'conversion', converted_at, conversions, revenue from message_engagement where converted_at is not null
      union all select 'delivered', delivered_at, 1, 0 from message_engagement where delivered_at is not null
    ) f group by metric, date_trunc('hour', at)`.execute(db));
  await sql`insert into campaign_links (campaign_id, link_index, url, human, machine)
    select ${id}, g, 'https://shop.example/' || g, 80000 / (g + 1), 1000 from generate_series(0, 11) g`.execute(db);
  await timed('vacuum analyze', () => sql`vacuum analyze`.execute(db));
  await sql`insert into workspace_settings (key, value) values ('bench_generated', ${JSON.stringify({ RECIPIENTS, id })}::jsonb)`.execute(db);
  return id;
}

async function ms(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const admin = createPostgresDatabase(url, { max: 1 });
const target = new URL(url);
target.pathname = `/${NAME}`;
let campaignId: number | undefined;
if (process.env.REGENERATE !== 'true') {
  const probe = createPostgresDatabase(target.toString(), { max: 1 });
  const marker = await sql<{ value: { RECIPIENTS?: number; id?: number } }>`select value from workspace_settings where key = 'bench_generated'`.execute(probe).catch(() => ({ rows: [] }));
  await probe.destroy();
  if (marker.rows[0]?.value.RECIPIENTS === RECIPIENTS) campaignId = marker.rows[0].value.id;
}
if (campaignId === undefined) {
  await sql.raw(`drop database if exists ${NAME} with (force)`).execute(admin);
  await sql.raw(`create database ${NAME}`).execute(admin);
}
await admin.destroy();
const db = createPostgresDatabase(target.toString(), { max: 4 });
await migrateToLatest(db, migrationsFolder());
if (campaignId === undefined) campaignId = await generate(db);
else console.error(`Reusing database ${NAME} (REGENERATE=true to rebuild)`);
const id = campaignId;
const now = new Date(LAUNCH.getTime() + 10 * 86_400_000);

const baseline = await ms(() => sql`select count(*) from messages where campaign_id = ${id}`.execute(db));
const ledger = await ms(() => campaignOutcomes(db, id));
const breakdown = await ms(() => sentMessagesBy(db, id, { locale: true }));
// Cold: breakdowns computed on every read (no work budget); warm: as served, kept up to 5 minutes.
const cold = { liveLimit: 0, maxAgeMs: 0 };
const reportCold = await ms(() => campaignReport(db, id, { now, breakdowns: cold }));
const report = await ms(() => campaignReport(db, id, { now }));
const withAttributeCold = await ms(() => campaignReport(db, id, { now, by: 'host', breakdowns: cold }));
const withAttribute = await ms(() => campaignReport(db, id, { now, by: 'host' }));
const sample = await campaignReport(db, id, { now, by: 'host' });
await db.destroy();

const rows = [
  ['Baseline: count the campaign’s messages', baseline],
  ['Ledger outcomes (delivery, hold-backs)', ledger],
  ['Breakdown by locale (sent messages joined to contacts)', breakdown],
  ['Whole report, breakdowns computed (cold)', reportCold],
  ['Whole report, breakdowns kept (as served between recomputations)', report],
  ['Whole report with ?by=host, cold', withAttributeCold],
  ['Whole report with ?by=host, kept', withAttribute],
] as const;
console.log(`\n## Campaign report at ${fmt(RECIPIENTS)} recipients (${new Date().toISOString().slice(0, 10)})\n`);
console.log(`Machine: ${machine()}; PostgreSQL; median of ${ROUNDS} rounds after a warm-up.\n`);
console.log('| Step | Median | × baseline |\n|---|---:|---:|');
for (const [label, m] of rows) console.log(`| ${label} | ${m.toFixed(0)} ms | ${(m / baseline).toFixed(1)} |`);
console.log(`\nSent ${fmt(sample.delivery.sent)}, unique human opens ${fmt(sample.funnel.opened.human)}, ${sample.series.points.length} series points.`);
