// PGlite runs each statement to its end on the JavaScript thread. It cannot honour statement_timeout (wasm has no
// timer interrupt), and while a transaction runs no other request is served, /health included. So when a
// transaction has set a statement timeout, each statement is first planned (EXPLAIN, no execution) and refused
// before it starts if the planner's cost estimates of the transaction's statements so far say they would take
// longer than the timeout together, with PostgreSQL's own error for a timeout (57014). Estimates are estimates:
// this bounds the work, it is no stopwatch.
import { CompiledQuery, PGliteDialect, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import { QUERY_CANCELED } from './statement-timeout.js';

/**
 * Planner cost units PGlite gets through in a millisecond, on the slow side (a 2-core machine, segment
 * queries over 100,000 contacts and 300,000 events: see bench/pglite-cost.bench.ts). Lower refuses sooner.
 */
export const PGLITE_COST_PER_MS = 20;

/**
 * The planner prices case-insensitive LIKE (a segment's contains and starts_with) like `=`; in wasm it lowercases
 * both sides on every call, about ten times dearer. Run once per database opened, before the guard reads estimates.
 */
export const PGLITE_PLANNER_COSTS = 'alter function texticlike(text, text) cost 10';

// Statements that can run long; anything else (BEGIN, SET, DDL) is not planned first.
const PLANNABLE = /^\s*(select|insert|update|delete|with)\b/i;
const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** statement_timeout as current_setting shows it ("0", "250ms", "5s", "2min") in milliseconds; 0 when off. */
export function timeoutMs(setting: string): number {
  const m = /^(\d+)\s*(ms|s|min|h|d)?$/.exec(setting.trim());
  return m ? Number(m[1]) * UNITS[m[2] ?? 'ms'] : 0;
}

export class StatementCostExceeded extends Error {
  readonly code = QUERY_CANCELED;
  constructor(readonly cost: number, readonly limitMs: number) {
    super(`canceling statement: the transaction's estimated cost ${Math.round(cost)} exceeds what ${limitMs} ms allows on the embedded database`);
  }
}

class GuardedConnection implements DatabaseConnection {
  inTransaction = false;
  /** Estimated cost of the statements the current transaction has run under a timeout. */
  spent = 0;
  /** A statement of the transaction was refused: like PostgreSQL's aborted transaction, every later one is too. */
  refused?: StatementCostExceeded;
  constructor(readonly inner: DatabaseConnection, private readonly costPerMs: number) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // set_config(…, true) lasts one transaction: outside one there is nothing to check.
    if (this.inTransaction && PLANNABLE.test(query.sql)) await this.refuseIfCostly(query);
    return this.inner.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  private async refuseIfCostly(query: CompiledQuery) {
    if (this.refused) throw this.refused;
    const setting = await this.inner.executeQuery<{ t: string }>(CompiledQuery.raw(`select current_setting('statement_timeout') as t`));
    const limitMs = timeoutMs(String(setting.rows[0]?.t ?? '0'));
    if (!limitMs) return;
    // A statement that cannot be planned fails here with the error it would fail with anyway.
    const plan = await this.inner.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
    const raw = Object.values(plan.rows[0] ?? {})[0];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: { 'Total Cost': number } }>;
    const cost = parsed[0]?.Plan?.['Total Cost'] ?? 0;
    if (this.spent + cost > limitMs * this.costPerMs) throw (this.refused = new StatementCostExceeded(this.spent + cost, limitMs));
    this.spent += cost;
  }
}

class GuardedDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, GuardedConnection>();
  constructor(private readonly inner: Driver, private readonly costPerMs: number) {}

  private wrap(c: DatabaseConnection) {
    let g = this.wrapped.get(c);
    if (!g) this.wrapped.set(c, (g = new GuardedConnection(c, this.costPerMs)));
    return g;
  }

  init() {
    return this.inner.init();
  }
  async acquireConnection() {
    return this.wrap(await this.inner.acquireConnection());
  }
  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
    const g = c as GuardedConnection;
    await this.inner.beginTransaction(g.inner, settings);
    g.inTransaction = true;
    g.spent = 0;
    g.refused = undefined;
  }
  async commitTransaction(c: DatabaseConnection) {
    const g = c as GuardedConnection;
    g.inTransaction = false;
    await this.inner.commitTransaction(g.inner);
  }
  async rollbackTransaction(c: DatabaseConnection) {
    const g = c as GuardedConnection;
    g.inTransaction = false;
    await this.inner.rollbackTransaction(g.inner);
  }
  async savepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    await this.inner.savepoint!((c as GuardedConnection).inner, name, compile);
  }
  async rollbackToSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    await this.inner.rollbackToSavepoint!((c as GuardedConnection).inner, name, compile);
  }
  async releaseSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    await this.inner.releaseSavepoint!((c as GuardedConnection).inner, name, compile);
  }
  releaseConnection(c: DatabaseConnection) {
    return this.inner.releaseConnection((c as GuardedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/** kysely's PGlite dialect with the cost guard in front of its connection. */
export class GuardedPGliteDialect extends PGliteDialect {
  constructor(config: ConstructorParameters<typeof PGliteDialect>[0], private readonly costPerMs = PGLITE_COST_PER_MS) {
    super(config);
  }
  override createDriver(): Driver {
    return new GuardedDriver(super.createDriver(), this.costPerMs);
  }
}
