// Streaming CSV import of the customer file. A bad row is reported, never fatal; good rows are kept.
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { TooLargeError, type FieldProblem } from '../errors.js';
import type { Address } from './contact-fields.js';
import { prepareContact, saveContacts, type SaveOutcome, type ContactInput, type PreparedContact, type SubscriptionInput } from './contact-records.js';
import { loadCatalogue } from './contacts.service.js';
import type { CsvEncoding } from './csv-encoding.js';
import { openCsv } from './csv-reader.js';
import { checkMapping, resolveColumns, type ColumnMapping, type ColumnRole } from './import-columns.js';

const BATCH = 500;

export interface ImportReport {
  created: number;
  updated: number;
  rejected: Array<{ line: number; errors: FieldProblem[] }>;
  /** Columns that map to no field and no declared attribute: reported, not silently dropped. */
  ignored_columns: string[];
  columns: Array<{ header: string; target: string | null }>;
  encoding: CsvEncoding;
}

export async function importContactsCsv(db: Database, body: ReadableStream<Uint8Array>, now: () => Date, mapping: ColumnMapping = {}): Promise<ImportReport> {
  const catalogue = await loadCatalogue(db);
  const mapped = checkMapping(mapping, catalogue.attributes);
  const file = await openCsv(body);
  const report: ImportReport = { created: 0, updated: 0, rejected: [], ignored_columns: [], columns: [], encoding: file.encoding };
  if (!file.header) {
    await file.rows.return(undefined);
    const stopped = file.stopped();
    if (stopped) report.rejected.push(stopped);
    report.encoding = file.encoding;
    return report;
  }
  let columns: ReturnType<typeof resolveColumns>;
  try {
    columns = resolveColumns(file.header, catalogue.attributes, mapped);
  } catch (err) {
    await file.rows.return(undefined);
    throw err;
  }
  const { roles } = columns;
  report.columns = columns.report;
  report.ignored_columns = columns.ignored;
  if (!roles.some((r) => r.kind === 'field' && ['email', 'phone', 'external_id'].includes(r.name))) {
    await file.rows.return(undefined);
    report.rejected.push({ line: 1, errors: [{ field: 'header', message: 'no email, phone or external_id column: nothing identifies a contact' }] });
    return report;
  }

  let batch: Array<{ line: number; prepared: PreparedContact }> = [];
  const flush = async () => {
    if (!batch.length) return;
    const current = batch;
    batch = [];
    let outcomes: SaveOutcome[];
    try {
      outcomes = await inTransaction(db, (trx) => saveContacts(trx, current.map((b) => b.prepared), 'import', now()));
    } catch {
      // One row broke the batch's statement: save row by row so only that row is lost.
      outcomes = [];
      for (const row of current) {
        try {
          outcomes.push(...(await inTransaction(db, (trx) => saveContacts(trx, [row.prepared], 'import', now()))));
        } catch (err) {
          outcomes.push({ problems: [{ field: 'row', message: `could not be saved: ${(err as Error).message}` }] });
        }
      }
    }
    outcomes.forEach((o, i) => {
      if ('problems' in o) report.rejected.push({ line: current[i].line, errors: o.problems });
      else if (o.created) report.created++;
      else report.updated++;
    });
  };

  try {
    for await (const row of file.rows) {
      const { input, problems } = rowToInput(row.cells, roles);
      const prepared = prepareContact(input, catalogue, { creating: true });
      const errors = [...row.problems, ...problems, ...prepared.problems];
      if (!prepared.prepared || errors.length) report.rejected.push({ line: row.line, errors });
      else batch.push({ line: row.line, prepared: prepared.prepared });
      if (batch.length >= BATCH) await flush();
    }
  } catch (err) {
    if (!(err instanceof TooLargeError)) throw err;
    // The rows before a line that is too long are kept; the answer says so, as it cannot be a report.
    await flush();
    const kept = `the rows before it were imported: ${report.created} created, ${report.updated} updated, ${report.rejected.length} rejected`;
    throw new TooLargeError(`${err.message}; ${kept}`, err.details as FieldProblem[]);
  }
  await flush();
  const stopped = file.stopped();
  if (stopped) report.rejected.push(stopped);
  report.rejected.sort((a, b) => a.line - b.line);
  report.encoding = file.encoding;
  return report;
}

function rowToInput(record: string[], roles: ColumnRole[]): { input: ContactInput; problems: FieldProblem[] } {
  const input: ContactInput & Record<string, unknown> = {};
  const address: Address = {};
  const attributes: Record<string, unknown> = {};
  const subscriptions: SubscriptionInput[] = [];
  const problems: FieldProblem[] = [];
  if (record.length > roles.length) problems.push({ field: 'row', message: `has ${record.length} cells but the header has ${roles.length} columns` });
  roles.forEach((role, i) => {
    const cell = record[i] ?? '';
    if (role.kind === 'field' && cell !== '') input[role.name] = cell; // empty cells leave the field unchanged
    else if (role.kind === 'address' && cell) address[role.name] = cell;
    else if (role.kind === 'attribute' && cell !== '') attributes[role.name] = cell;
    else if (role.kind === 'topics') {
      for (const topic of cell.split(/[;|]/).map((t) => t.trim()).filter(Boolean)) subscriptions.push({ channel: role.channel, topic });
    }
  });
  if (Object.keys(address).length) input.address = address;
  if (Object.keys(attributes).length) input.attributes = attributes;
  if (subscriptions.length) input.subscriptions = subscriptions;
  return { input, problems };
}
