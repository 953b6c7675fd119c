// Work that may be slow (segment previews and freezes, campaign previews and launches) runs under a statement
// timeout, so one heavy rule cannot hold a connection, or on PGlite the whole process, for as long as it likes.
import { sql } from 'kysely';
import { QueryTimeoutError } from '../errors.js';
import { inTransaction, type Executor, type Trx } from './transaction.js';

/** PostgreSQL's query_canceled: what a statement past statement_timeout fails with (and PGlite's cost guard too). */
export const QUERY_CANCELED = '57014';

export function isQueryCanceled(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === QUERY_CANCELED;
}

/**
 * Runs `work` in a transaction whose every statement may take at most `ms` (`set local statement_timeout`, so the
 * connection goes back to the pool with its own setting). Inside a caller's transaction it joins it and restores
 * the caller's timeout afterwards. A statement past the limit becomes a QueryTimeoutError naming the limit.
 */
export async function withStatementTimeout<T>(db: Executor, ms: number, work: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, async (trx) => {
      const outer = db.isTransaction ? await currentTimeout(trx) : undefined;
      await setTimeoutTo(trx, `${Math.max(1, Math.round(ms))}ms`);
      let result: T;
      try {
        result = await work(trx);
      } catch (err) {
        await drain(trx);
        throw err;
      }
      if (outer !== undefined) await setTimeoutTo(trx, outer);
      return result;
    });
  } catch (err) {
    if (isQueryCanceled(err)) throw new QueryTimeoutError(ms);
    throw err;
  }
}

/**
 * Waits for the statements of `work` still queued on the transaction (a Promise.all whose first member failed):
 * let through after the rollback, they would run outside the transaction and its time limit. In the aborted
 * transaction they fail at once; one more statement queued behind them tells when they are done.
 */
async function drain(trx: Trx) {
  await sql`select 1`.execute(trx).catch(() => undefined);
}

async function currentTimeout(trx: Trx): Promise<string> {
  const r = await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(trx);
  return r.rows[0].t;
}

async function setTimeoutTo(trx: Trx, value: string) {
  // set_config, not SET: SET takes no bind parameters. `true`: local to the transaction.
  await sql`select set_config('statement_timeout', ${value}, true)`.execute(trx);
}
