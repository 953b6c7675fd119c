// `npm run db:types [-- --verify]`: regenerates src/db/schema.ts from a freshly migrated PostgreSQL
// database (DATABASE_URL), so table types never drift from migrations/.
import { execFileSync } from 'node:child_process';
import { createPostgresDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrations.js';
import { migrationsFolder } from './node-runtime.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:types needs DATABASE_URL (a PostgreSQL database it may reset)');
  process.exit(2);
}
const base = new URL(url);
const scratch = `schema_codegen_${process.pid}`;
const admin = createPostgresDatabase(url, { max: 1 });
const { sql } = await import('kysely');
await sql.raw(`create database ${scratch}`).execute(admin);
try {
  const target = new URL(base);
  target.pathname = `/${scratch}`;
  const db = createPostgresDatabase(target.toString(), { max: 1 });
  await migrateToLatest(db, migrationsFolder());
  await db.destroy();
  const args = [
    'kysely-codegen',
    '--dialect', 'postgres',
    '--url', target.toString(),
    '--out-file', 'src/db/schema.ts',
    '--type-mapping', JSON.stringify({ int8: 'number', numeric: 'number' }),
    '--exclude-pattern', 'kysely_migration*',
    ...process.argv.slice(2),
  ];
  execFileSync('npx', args, { stdio: 'inherit' });
} finally {
  await sql.raw(`drop database if exists ${scratch} with (force)`).execute(admin);
  await admin.destroy();
}
