import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { GuardedPGliteDialect, PGLITE_PLANNER_COSTS } from './pglite-cost-guard.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

// int8 ids and counts fit comfortably in a JS number; numeric amounts are read as numbers too.
const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (value: string) => Number(value);

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** PostgreSQL over a real connection (Node, or a Worker through Hyperdrive). */
export function createPostgresDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types: pgTypes });
  // An idle connection killed by the server (restart, failover) must not crash the process;
  // the pool drops it and opens a new one on the next query.
  pool.on('error', (err) => console.warn(`PostgreSQL connection lost: ${err.message}`));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The embedded default: PGlite persisted under `dataDir` (or in memory when `dataDir` is undefined). Under a
 * statement timeout it refuses statements estimated too slow (pglite-cost-guard.ts): it cannot stop them midway.
 */
export async function createEmbeddedDatabase(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(dataDir, { parsers: { [INT8]: toNumber, [NUMERIC]: toNumber } });
  await pglite.waitReady;
  await pglite.exec(PGLITE_PLANNER_COSTS);
  return new Kysely<DB>({ dialect: new GuardedPGliteDialect({ pglite }) });
}
