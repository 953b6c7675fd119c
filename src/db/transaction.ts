// The unit of work services use: they never open transactions on kysely themselves.
import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

/** A database handle or an open transaction: repositories take either. */
export type Executor = Database | Transaction<DB>;
export type Trx = Transaction<DB>;

/**
 * Runs `work` in one transaction. Inside one already (a service called from another's transaction), it joins it
 * rather than nesting, which kysely refuses.
 */
export async function inTransaction<T>(db: Executor, work: (trx: Trx) => Promise<T>, options: { isolation?: 'repeatable read' | 'serializable' } = {}): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  let builder = db.transaction();
  if (options.isolation) builder = builder.setIsolationLevel(options.isolation);
  return builder.execute(work);
}

/** One round trip: is the database there? */
export async function ping(db: Executor): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
