// `npm run bench:import`: rows per second for a 100,000-row CSV import into PostgreSQL (DATABASE_URL),
// against a baseline measured in the same run: the same rows as plain multi-row INSERTs, no validation.
import { sql } from 'kysely';
import { createPostgresDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { migrationsFolder } from '../src/entry/node-runtime.js';
import { importContactsCsv } from '../src/contacts/import.service.js';
import { fmt, machine, median } from './stats.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.ROWS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const header = 'numero_client;email;prénom;nom;telephone;ville;code_postal;host;annual_revenue;parties;birthday;email_topics;sms_topics';
function csvRows(n: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const rev = `${Math.floor(i * 7.3) % 5000},${String(i % 100).padStart(2, '0')}`;
    rows.push(
      `C${i};client${i}@example.fr;Prénom${i};Nom${i};+3361${String(i).padStart(7, '0')};Lyon;69002;${i % 3 ? 'non' : 'oui'};"${rev}";${i % 9};19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9};newsletter|promotions;${i % 2 ? 'promotions' : ''}`,
    );
  }
  return rows;
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function freshDatabase(name: string) {
  const admin = createPostgresDatabase(url, { max: 1 });
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
  await sql.raw(`create database ${name}`).execute(admin);
  await admin.destroy();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = createPostgresDatabase(target.toString());
  await migrateToLatest(db, migrationsFolder());
  for (const [n, type] of [['host', 'boolean'], ['annual_revenue', 'number'], ['parties', 'number'], ['birthday', 'date']]) {
    await db.insertInto('attributes').values({ name: n, type }).execute();
  }
  await db.insertInto('topics').values([{ key: 'newsletter', name: 'N' }, { key: 'promotions', name: 'P' }]).execute();
  return db;
}

const rows = csvRows(ROWS);
const csv = [header, ...rows].join('\n');
const importRates: number[] = [];
const reimportRates: number[] = [];
const baselineRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const db = await freshDatabase('bench_import');
  let start = performance.now();
  const report = await importContactsCsv(db, streamOf(csv), () => new Date());
  importRates.push((ROWS * 1000) / (performance.now() - start));
  if (report.created !== ROWS) throw new Error(`expected ${ROWS} created, got ${JSON.stringify({ ...report, rejected: report.rejected.slice(0, 3) })}`);
  start = performance.now();
  const again = await importContactsCsv(db, streamOf(csv), () => new Date());
  reimportRates.push((ROWS * 1000) / (performance.now() - start));
  if (again.updated !== ROWS) throw new Error(`expected ${ROWS} updated, got ${again.updated}`);
  await db.destroy();

  // Baseline: the same contacts, already typed, as 500-row INSERTs without validation or consent.
  const base = await freshDatabase('bench_import');
  start = performance.now();
  for (let i = 0; i < ROWS; i += 500) {
    const chunk = [];
    for (let j = i; j < Math.min(ROWS, i + 500); j++) {
      chunk.push({
        external_id: `C${j}`, email: `client${j}@example.fr`, first_name: `Prénom${j}`, last_name: `Nom${j}`, phone: `+3361${String(j).padStart(7, '0')}`,
        address: JSON.stringify({ city: 'Lyon', postal_code: '69002' }),
        attributes: JSON.stringify({ host: j % 3 === 0, annual_revenue: j, parties: j % 9, birthday: '1970-01-01' }),
      });
    }
    await base.insertInto('contacts').values(chunk).execute();
  }
  baselineRates.push((ROWS * 1000) / (performance.now() - start));
  await base.destroy();
}
const admin = createPostgresDatabase(url, { max: 1 });
await sql.raw('drop database if exists bench_import with (force)').execute(admin);
await admin.destroy();

const imp = median(importRates), re = median(reimportRates), base = median(baselineRates);
console.log(`Machine: ${machine()}`);
console.log(`Date: ${new Date().toISOString().slice(0, 10)}; ${fmt(ROWS)} rows, ${rows.length ? header.split(';').length : 0} columns incl. 4 typed attributes and 2 consent columns; medians of ${ROUNDS} rounds`);
console.log('');
console.log('| measure | median rows/s | vs plain INSERT |');
console.log('| --- | --- | --- |');
console.log(`| plain multi-row INSERT of pre-typed rows (baseline) | ${fmt(base)} | 1× |`);
console.log(`| CSV import, all new (parse, validate, insert, consent records) | ${fmt(imp)} | ${(imp / base).toFixed(2)}× |`);
console.log(`| CSV re-import, all existing (upsert) | ${fmt(re)} | ${(re / base).toFixed(2)}× |`);
