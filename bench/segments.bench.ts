// `npm run bench:segments`: segment counts at 1,000,000 contacts and 10,000,000 events on PostgreSQL,
// and snapshotting a 1M audience into a campaign. Baseline, same run: a bare count(*) over contacts.
import { sql } from 'kysely';
import { createPostgresDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { migrationsFolder } from '../src/entry/node-runtime.js';
import { compileSegment as compile, previewRule } from '../src/segments/index.js';
import { insertSnapshot, recipientsSql } from '../src/delivery/index.js';
import { declareAttribute } from '../src/contacts/index.js';
import { fmt, machine, median } from './stats.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const CONTACTS = Number(process.env.CONTACTS ?? 1_000_000);
const EVENTS = Number(process.env.EVENTS ?? 10_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const NAME = 'bench_segments';
const NOW = new Date('2026-11-23T12:00:00Z');

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await fn();
  console.error(`  ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return out;
}

async function generate(db: Database) {
  console.error(`Generating ${fmt(CONTACTS)} contacts and ${fmt(EVENTS)} events…`);
  await sql`insert into attributes (name, type) values ('host','boolean'), ('ambassador','text'), ('annual_revenue','number'),
    ('parties','number'), ('birthday','date')`.execute(db);
  await sql`insert into topics (key, name) values ('newsletter', 'Newsletter')`.execute(db);
  await timed('contacts', () => sql`
    insert into contacts (external_id, email, phone, first_name, locale, attributes, created_at)
    select 'C' || g, 'c' || g || '@example.fr', '+3361' || lpad(g::text, 7, '0'), 'Prénom' || g,
      case when g % 4 = 0 then 'en' else 'fr' end,
      jsonb_build_object('host', g % 3 = 0, 'ambassador', (array['Maryse','Sandrine','Claire','Valérie','Nadia'])[1 + g % 5],
        'annual_revenue', round((random() * 3000)::numeric, 2), 'parties', g % 9,
        'birthday', (date '1950-01-01' + (g::bigint * 7919 % 20000)::int)::text),
      ${NOW}::timestamptz - make_interval(days => g % 1500)
    from generate_series(1, ${CONTACTS}) g`.execute(db));
  await timed('subscriptions', () => sql`
    insert into subscriptions (contact_id, channel, topic_id, status)
    select id, 'email', (select id from topics where key = 'newsletter'), case when id % 10 = 0 then 'unsubscribed' else 'subscribed' end
    from contacts`.execute(db));
  // Events: purchases (30%) and page views, spread over three years, skewed so some customers buy a lot.
  await timed('events', () => sql`
    insert into events (contact_id, type, occurred_at, value, properties)
    select 1 + (floor(power(random(), 2) * ${CONTACTS}))::bigint,
      case when g % 10 < 3 then 'purchase' else 'page_view' end,
      ${NOW}::timestamptz - make_interval(secs => floor(random() * 3 * 365 * 86400)),
      case when g % 10 < 3 then round((10 + random() * 290)::numeric, 2) end,
      case when g % 10 < 3 then jsonb_build_object('channel', case when g % 2 = 0 then 'party' else 'online' end) else '{}'::jsonb end
    from generate_series(1, ${EVENTS}) g`.execute(db));
  await timed('contact_stats', () => sql`
    insert into contact_stats (contact_id, first_purchase_at, last_purchase_at, purchase_count, purchase_total)
    select contact_id, min(occurred_at), max(occurred_at), count(*), sum(value) from events where type = 'purchase' group by contact_id`.execute(db));
  // Three past newsletters sent to everyone; about a quarter of recipients opened each.
  await timed('3 campaigns × 1M messages', async () => {
    const template = await sql<{ id: number }>`insert into templates (name, channel, subject, text) values ('t', 'email', 's', 'x') returning id`.execute(db);
    for (let i = 3; i >= 1; i--) {
      const c = await sql<{ id: number }>`insert into campaigns (name, channel, template_id, topic_id, audience, status, launched_at)
        values (${`Lettre ${i}`}, 'email', ${template.rows[0].id}, (select id from topics limit 1), '{"all":true}', 'sent', ${NOW}::timestamptz - make_interval(days => ${i * 7}))
        returning id`.execute(db);
      await sql`insert into messages (campaign_id, contact_id, channel, status, address, public_id, sent_at)
        select ${c.rows[0].id}, id, 'email', 'sent', email, md5(${i}::text || id::text), ${NOW}::timestamptz - make_interval(days => ${i * 7})
        from contacts`.execute(db);
      // What people did with them is kept beside the ledger (message_engagement), as the tracking ingestion keeps it.
      await sql`insert into message_engagement (message_id, campaign_id, contact_id, first_open_human_at, opens_human)
        select id, campaign_id, contact_id, sent_at + interval '3 hours', 1 from messages
        where campaign_id = ${c.rows[0].id} and random() < 0.25`.execute(db);
    }
  });
  await timed('vacuum analyze', () => sql`vacuum analyze`.execute(db));
  await sql`insert into workspace_settings (key, value) values ('bench_generated', ${JSON.stringify({ CONTACTS, EVENTS })}::jsonb)`.execute(db);
}

const RULES: Array<[string, unknown]> = [
  ['nested attributes: hosts followed by Maryse with > 800 € or ≥ 3 parties', {
    all: [{ field: 'attributes.host', op: 'eq', value: true }, { field: 'attributes.ambassador', op: 'eq', value: 'Maryse' },
      { any: [{ field: 'attributes.annual_revenue', op: 'gt', value: 800 }, { field: 'attributes.parties', op: 'gte', value: 3 }] }],
  }],
  ['purchase sum within 90 days > 200 €', { event: 'purchase', within_days: 90, sum: { property: 'value', op: 'gt', value: 200 } }],
  ['top 20% by annual revenue (attribute)', { top_percent: { percent: 20, by: { field: 'attributes.annual_revenue' } } }],
  ['top 20% by purchases over 365 days (events)', { top_percent: { percent: 20, by: { event: 'purchase', sum: 'value', within_days: 365 } } }],
  ['RFM recency 4–5, frequency 3–5, monetary 4–5', { rfm: { recency: [4, 5], frequency: [3, 5], monetary: [4, 5] } }],
  ['not opened the last 3 campaigns', { engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } }],
  ['bought in 90 days but opened none of the last 3', { all: [{ event: 'purchase', within_days: 90 }, { engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } }] }],
  ['lifecycle: lapsed', { lifecycle: 'lapsed' }],
  ['signed up but never ordered', { event: 'purchase', count: { op: 'eq', value: 0 } }],
  ['birthday in the next 7 days', { field: 'attributes.birthday', op: 'anniversary_within_next_days', value: 7 }],
];

async function countMs(db: Database, predicate: ReturnType<typeof sql>) {
  const times: number[] = [];
  let n = 0;
  await sql`select count(*) from contacts c where ${predicate}`.execute(db); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const r = await sql<{ n: number }>`select count(*) as n from contacts c where ${predicate}`.execute(db);
    times.push(performance.now() - start);
    n = Number(r.rows[0].n);
  }
  return { ms: median(times), n };
}

const admin = createPostgresDatabase(url, { max: 1 });
const exists = await sql<{ n: number }>`select count(*) as n from pg_database where datname = ${NAME}`.execute(admin);
const target = new URL(url);
target.pathname = `/${NAME}`;
let reuse = false;
if (Number(exists.rows[0].n) > 0 && process.env.REGENERATE !== 'true') {
  // Reuse a complete earlier generation of the same size: generating takes minutes.
  const probe = createPostgresDatabase(target.toString(), { max: 1 });
  const marker = await sql<{ value: unknown }>`select value from workspace_settings where key = 'bench_generated'`.execute(probe).catch(() => ({ rows: [] }));
  const generated = marker.rows[0]?.value as { CONTACTS?: number; EVENTS?: number } | undefined;
  reuse = generated?.CONTACTS === CONTACTS && generated?.EVENTS === EVENTS;
  await probe.destroy();
}
if (!reuse) {
  await sql.raw(`drop database if exists ${NAME} with (force)`).execute(admin);
  await sql.raw(`create database ${NAME}`).execute(admin);
}
await admin.destroy();
const db = createPostgresDatabase(target.toString(), { max: 2 });
// Migrations that arrived since the data was generated apply to the reused database too.
await migrateToLatest(db, migrationsFolder());
if (!reuse) await generate(db);
else console.error(`Reusing database ${NAME} (REGENERATE=true to rebuild)`);

// Declaring number and date attributes builds their expression index, as the API does.
for (const name of ['annual_revenue', 'parties']) await declareAttribute(db, { name, type: 'number' }, { actor: 'bench', at: NOW });
await declareAttribute(db, { name: 'birthday', type: 'date' }, { actor: 'bench', at: NOW });
await sql`vacuum analyze`.execute(db);

const baseline = await countMs(db, sql`true`);
const results: Array<{ label: string; ms: number; n: number }> = [];
const plans: string[] = [];
for (const [label, rule] of RULES) {
  const predicate = await compile(db, rule, NOW);
  const r = await countMs(db, predicate);
  results.push({ label, ...r });
  const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off, timing off, summary on) select count(*) from contacts c where ${predicate}`.execute(db);
  plans.push(`${label}\n${plan.rows.map((p) => p['QUERY PLAN']).join('\n')}`);
  console.error(`  ${label}: ${r.ms.toFixed(0)} ms, ${fmt(r.n)} contacts`);
}

// A whole segment preview (count, sample, reachability, and what caps and quiet hours would hold back on email and
// SMS), with last week's newsletter counted against the caps of a million contacts.
const counted = await sql<{ n: number }>`select count(*) as n from pressure_ledger`.execute(db);
if (Number(counted.rows[0].n) === 0) {
  await sql`insert into pressure_ledger (message_id, contact_id, channel, counted_at)
    select m.id, m.contact_id, 'email', m.sent_at from messages m join campaigns k on k.id = m.campaign_id where k.name = 'Lettre 1'`.execute(db);
  await sql`vacuum analyze pressure_ledger`.execute(db);
}
const previews: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const start = performance.now();
  await previewRule(db, { lifecycle: 'lapsed' }, NOW);
  previews.push(performance.now() - start);
}
console.error(`  segment preview (lapsed): ${median(previews).toFixed(0)} ms`);

// Snapshot a 1M audience (everyone subscribed to the newsletter) into a campaign's ledger, in one transaction.
// Baseline, same run: the same rows inserted into a copy of the ledger that has no index at all.
const template = await sql<{ id: number }>`select id from templates limit 1`.execute(db);
const snapshots: number[] = [];
const bare: number[] = [];
let snapshotRows = 0;
for (let i = 0; i < ROUNDS; i++) {
  const c = await sql<{ id: number }>`insert into campaigns (name, channel, template_id, topic_id, audience)
    values ('snapshot', 'email', ${template.rows[0].id}, (select id from topics limit 1), '{"all":true}') returning id`.execute(db);
  const campaign = { id: Number(c.rows[0].id), channel: 'email' as const, topic_id: 1, kind: 'marketing' as const };
  let start = performance.now();
  const target = { channel: campaign.channel, topicId: campaign.topic_id, kind: campaign.kind };
  snapshotRows = await db.transaction().execute((trx) => insertSnapshot(trx, campaign, recipientsSql(target, sql`true`, NOW), NOW));
  snapshots.push(performance.now() - start);
  await sql`delete from messages where campaign_id = ${campaign.id}`.execute(db);
  await sql`delete from campaigns where id = ${campaign.id}`.execute(db);
  await sql`vacuum messages`.execute(db);

  await sql`drop table if exists bare_ledger`.execute(db);
  await sql`create table bare_ledger (like messages including defaults including identity)`.execute(db);
  start = performance.now();
  await sql`insert into bare_ledger (campaign_id, contact_id, channel, status, skip_reason, created_at, updated_at)
    select ${campaign.id}, c.id, 'email', case when s.status = 'subscribed' then 'pending' else 'skipped' end,
      case when s.status = 'subscribed' then null else coalesce(s.status, 'not_subscribed') end, ${NOW}, ${NOW}
    from contacts c left join subscriptions s on s.contact_id = c.id and s.channel = 'email' and s.topic_id = 1`.execute(db);
  bare.push(performance.now() - start);
  await sql`drop table bare_ledger`.execute(db);
  console.error(`  snapshot round ${i + 1}: ${(snapshots[i] / 1000).toFixed(1)} s (bare insert ${(bare[i] / 1000).toFixed(1)} s)`);
}
await db.destroy();

console.log(`Machine: ${machine()}`);
console.log(`Date: ${new Date().toISOString().slice(0, 10)}; ${fmt(CONTACTS)} contacts, ${fmt(EVENTS)} events (30% purchases), 3 × ${fmt(CONTACTS)} messages; medians of ${ROUNDS} counts after a warm-up`);
console.log('');
console.log('| rule | median | contacts matched | vs bare count(*) |');
console.log('| --- | --- | --- | --- |');
console.log(`| bare count(*) over contacts (baseline) | ${baseline.ms.toFixed(0)} ms | ${fmt(baseline.n)} | 1× |`);
for (const r of results) console.log(`| ${r.label} | ${r.ms.toFixed(0)} ms | ${fmt(r.n)} | ${(r.ms / baseline.ms).toFixed(1)}× |`);
console.log(`| whole segment preview of "lapsed" (count, sample, reachability, caps and quiet hours on email and SMS) | ${median(previews).toFixed(0)} ms | | |`);
console.log('');
console.log('| launch snapshot | median | rows | vs baseline |');
console.log('| --- | --- | --- | --- |');
console.log(`| same rows into an unindexed copy of the ledger (baseline) | ${(median(bare) / 1000).toFixed(1)} s | ${fmt(snapshotRows)} | 1× |`);
console.log(`| snapshot of the audience into the ledger (insertSnapshot) | ${(median(snapshots) / 1000).toFixed(1)} s | ${fmt(snapshotRows)} | ${(median(snapshots) / median(bare)).toFixed(1)}× |`);
console.log('');
console.log('Query plans (EXPLAIN ANALYZE):');
console.log('```');
console.log(plans.join('\n\n'));
console.log('```');
