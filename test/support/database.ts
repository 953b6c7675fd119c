// Each test file gets its own database: a fresh PostgreSQL database when DATABASE_URL is set, else in-memory PGlite.
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
  if (!url) {
    const db = await createEmbeddedDatabase(undefined);
    await migrateToLatest(db, migrationsFolder());
    return { db, close: () => db.destroy() };
  }
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
