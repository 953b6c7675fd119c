// Each test file gets its own database: a fresh PostgreSQL database when DATABASE_URL is set, else PGlite.
// Starting PGlite with an empty data directory runs initdb, which costs several seconds per file; so the migrated
// data directory is built once (per migrations and PGlite version) and each database starts from a copy of it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createEmbeddedDatabase, createPostgresDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { migrationsFolder } from '../../src/entry/node-runtime.js';

export const usingPostgres = !!process.env.DATABASE_URL;

export interface TestDatabase {
  db: Database;
  url?: string;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) return createPgliteDatabase();
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = createPostgresDatabase(url, { max: 1 });
  await sql.raw(`create database ${name}`).execute(admin);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = createPostgresDatabase(target.toString(), { max: 10 });
  await migrateToLatest(db, migrationsFolder());
  return {
    db,
    url: target.toString(),
    async close() {
      await db.destroy();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
      await admin.destroy();
    },
  };
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'relais-test-db-'));
  await cp(await migratedPgliteTemplate(), dir, { recursive: true });
  // The same constructor the app uses, so the test database reads values exactly as the app's does.
  const db = await createEmbeddedDatabase(dir);
  return {
    db,
    async close() {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PGlite data directory with every migration applied, shared by all test files and runs. Its name carries a hash
 * of the migrations and the PGlite version, so a new or changed migration gets a new one. Built in a directory of
 * its own and renamed into place: a test file never sees half of one, and when two workers build at once, the
 * first rename wins and the other's copy is thrown away.
 */
async function migratedPgliteTemplate(): Promise<string> {
  const folder = migrationsFolder();
  const hash = createHash('sha256');
  hash.update(JSON.parse(await readFile(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')).version);
  for (const file of (await readdir(folder)).sort()) hash.update(file).update(await readFile(join(folder, file)));
  const template = join(tmpdir(), `relais-test-pglite-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(template)) return template;
  const building = await mkdtemp(join(tmpdir(), 'relais-test-pglite-building-'));
  const db = await createEmbeddedDatabase(building);
  await migrateToLatest(db, folder);
  await db.destroy();
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  return template;
}
