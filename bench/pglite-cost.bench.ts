// `npx tsx bench/pglite-cost.bench.ts`: how many planner cost units PGlite runs through per millisecond, on
// segment previews over generated data. PGlite cannot interrupt a statement, so under a statement timeout it
// refuses statements whose estimated cost exceeds timeout × PGLITE_COST_PER_MS (src/db/pglite-cost-guard.ts);
// this measures the ratio that constant has to stay below.
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PGliteDialect, sql, type LogEvent } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { migrationsFolder } from '../src/entry/node-runtime.js';
import { previewRule } from '../src/segments/index.js';
import { PGLITE_COST_PER_MS, PGLITE_PLANNER_COSTS } from '../src/db/pglite-cost-guard.js';
import { fmt, machine } from './stats.js';

const CONTACTS = Number(process.env.CONTACTS ?? 100_000);
const EVENTS = Number(process.env.EVENTS ?? 300_000);
const NOW = new Date('2026-11-23T12:00:00Z');

const captured: Array<{ sql: string; parameters: readonly unknown[] }> = [];
let capturing = false;
const pglite = new PGlite();
const db = new Kysely<DB>({
  dialect: new PGliteDialect({ pglite }),
  log: (e: LogEvent) => {
    if (capturing && e.level === 'query') captured.push({ sql: e.query.sql, parameters: e.query.parameters });
  },
});
await pglite.exec(PGLITE_PLANNER_COSTS);
await migrateToLatest(db, migrationsFolder());
console.error(`Generating ${fmt(CONTACTS)} contacts and ${fmt(EVENTS)} events…`);
await sql`insert into attributes (name, type) values ('host','boolean'), ('ambassador','text'), ('annual_revenue','number'), ('birthday','date')`.execute(db);
await sql`insert into topics (key, name) values ('newsletter', 'Newsletter')`.execute(db);
await sql`insert into contacts (external_id, email, phone, first_name, locale, attributes, created_at)
  select 'C' || g, 'c' || g || '@example.fr', '+3361' || lpad(g::text, 7, '0'), 'Prénom' || g, case when g % 4 = 0 then 'en' else 'fr' end,
    jsonb_build_object('host', g % 3 = 0, 'ambassador', (array['Maryse','Sandrine','Claire'])[1 + g % 3],
      'annual_revenue', round((random() * 3000)::numeric, 2), 'birthday', (date '1950-01-01' + (g * 7919 % 20000))::text),
    ${NOW}::timestamptz - make_interval(days => g % 1500)
  from generate_series(1, ${CONTACTS}) g`.execute(db);
await sql`insert into subscriptions (contact_id, channel, topic_id, status)
  select id, 'email', (select id from topics limit 1), 'subscribed' from contacts`.execute(db);
await sql`insert into events (contact_id, type, occurred_at, value, properties)
  select 1 + (floor(power(random(), 2) * ${CONTACTS}))::bigint, case when g % 10 < 3 then 'purchase' else 'page_view' end,
    ${NOW}::timestamptz - make_interval(secs => floor(random() * 3 * 365 * 86400)), case when g % 10 < 3 then round((10 + random() * 290)::numeric, 2) end,
    '{}'::jsonb
  from generate_series(1, ${EVENTS}) g`.execute(db);
await sql`insert into contact_stats (contact_id, first_purchase_at, last_purchase_at, purchase_count, purchase_total)
  select contact_id, min(occurred_at), max(occurred_at), count(*), sum(value) from events where type = 'purchase' group by contact_id`.execute(db);
await sql`vacuum analyze`.execute(db);

const many = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));
const RULES: Array<[string, unknown]> = [
  ['everyone with an email', { field: 'email', op: 'exists' }],
  ['hosts followed by Maryse over 800 €', { all: [{ field: 'attributes.host', op: 'eq', value: true }, { field: 'attributes.ambassador', op: 'eq', value: 'Maryse' }, { field: 'attributes.annual_revenue', op: 'gt', value: 800 }] }],
  ['purchase sum within 90 days > 200 €', { event: 'purchase', within_days: 90, sum: { property: 'value', op: 'gt', value: 200 } }],
  ['top 20% by purchases over 365 days', { top_percent: { percent: 20, by: { event: 'purchase', sum: 'value', within_days: 365 } } }],
  ['lifecycle: lapsed', { lifecycle: 'lapsed' }],
  ['never ordered', { event: 'purchase', count: { op: 'eq', value: 0 } }],
  ['50 × contains over email', { any: many(50, (i) => ({ field: 'email', op: 'contains', value: `zz${i}` })) }],
  ['9 × in of 1000 over first_name', { any: many(9, (i) => ({ field: 'first_name', op: 'in', value: many(1000, (j) => `x${i}-${j}`) })) }],
  ['100 × page views within 30 days', { any: many(100, (i) => ({ event: 'page_view', within_days: 1 + i, count: { op: 'gte', value: 2 } })) }],
];

const rows: Array<{ label: string; cost: number; ms: number }> = [];
// The preview's statements are captured, then each is run on its own (the preview runs them concurrently, and
// PGlite queues them, so their logged durations include the wait).
for (const [label, rule] of RULES) {
  captured.length = 0;
  capturing = true;
  await previewRule(db, rule, NOW);
  capturing = false;
  for (const q of captured.filter((c) => /^\s*(select|with|insert)/i.test(c.sql))) {
    const query = CompiledQuery.raw(q.sql, [...q.parameters]);
    const start = performance.now();
    await db.executeQuery(query);
    const ms = performance.now() - start;
    if (ms < 5) continue;
    const plan = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]));
    const raw = Object.values(plan.rows[0])[0];
    const cost = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan['Total Cost'] as number;
    rows.push({ label, cost, ms });
  }
}
await db.destroy();

console.log(`Machine: ${machine()}`);
console.log(`${fmt(CONTACTS)} contacts, ${fmt(EVENTS)} events; the statements of one segment preview that take over 5 ms, each run alone`);
console.log('');
console.log('| rule | estimated cost | ms | cost per ms |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.label} | ${fmt(r.cost)} | ${r.ms.toFixed(0)} | ${(r.cost / r.ms).toFixed(1)} |`);
const slowest = Math.min(...rows.map((r) => r.cost / r.ms));
console.log('');
console.log(`Lowest cost per ms: ${slowest.toFixed(1)}; PGLITE_COST_PER_MS is ${PGLITE_COST_PER_MS} (it must stay at or below the lowest, or slow statements get through).`);
