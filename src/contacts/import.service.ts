// Streaming CSV import of the customer file. A bad row is reported, never fatal; good rows are kept.
import { CHANNEL_NAMES } from '../channels/index.js';
import { parse } from 'csv-parse';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import type { FieldProblem } from '../errors.js';
import type { Address } from './contact-fields.js';
import { prepareContact, saveContacts, type SaveOutcome, type ContactInput, type PreparedContact, type SubscriptionInput } from './contact-records.js';
import { loadCatalogue } from './contacts.service.js';
import { decodeUtf8, LineCounter, NotUtf8Error } from './csv-lines.js';

const BATCH = 500;

/** Common French and English header names for our fields, after normaliseHeader. */
const ALIASES: Record<string, string> = {
  e_mail: 'email', mail: 'email', courriel: 'email', adresse_email: 'email', adresse_mail: 'email',
  telephone: 'phone', tel: 'phone', mobile: 'phone', portable: 'phone', phone_number: 'phone',
  prenom: 'first_name', firstname: 'first_name', nom: 'last_name', lastname: 'last_name', nom_de_famille: 'last_name',
  numero_client: 'external_id', client_number: 'external_id', customer_id: 'external_id', client_id: 'external_id', id_client: 'external_id',
  langue: 'locale', language: 'locale', fuseau_horaire: 'timezone', time_zone: 'timezone',
  adresse: 'address_line1', address: 'address_line1', line1: 'address_line1', address1: 'address_line1',
  line2: 'address_line2', address2: 'address_line2', complement_adresse: 'address_line2',
  code_postal: 'postal_code', cp: 'postal_code', zip: 'postal_code', postcode: 'postal_code',
  ville: 'city', province: 'region', state: 'region', pays: 'country',
};

const FIELD_COLUMNS = new Set(['email', 'phone', 'external_id', 'first_name', 'last_name', 'locale', 'timezone']);
const ADDRESS_COLUMNS = new Set(['address_line1', 'address_line2', 'postal_code', 'city', 'region', 'country']);
/** A column per channel for the topics a row subscribes to: email_topics, sms_topics, postal_topics… */
const TOPIC_COLUMNS: Record<string, string> = Object.fromEntries(CHANNEL_NAMES.map((channel) => [`${channel}_topics`, channel]));

export function normaliseHeader(raw: string): string {
  const s = raw.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return ALIASES[s] ?? s;
}

type ColumnRole =
  | { kind: 'field'; name: string }
  | { kind: 'address'; name: keyof Address }
  | { kind: 'topics'; channel: string }
  | { kind: 'attribute'; name: string }
  | { kind: 'unknown'; header: string };

export interface ImportReport {
  created: number;
  updated: number;
  rejected: Array<{ line: number; errors: FieldProblem[] }>;
  /** Columns that map to no field and no declared attribute: reported, not silently dropped. */
  ignored_columns: string[];
}

function detectDelimiter(headerLine: string): string {
  const counts = [';', ',', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/** Reads text until the end of the first line, so the separator can be chosen before parsing. */
async function splitFirstLine(chunks: AsyncIterator<string>) {
  let head = '';
  while (!/\r?\n/.test(head)) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  return head;
}

/** Resolves once the parser takes more input, or is gone (so a stopped import never waits forever). */
function drained(stream: { once(event: string, f: () => void): unknown; off(event: string, f: () => void): unknown }) {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

function syntaxMessage(err: { code?: string; message: string }): string {
  const what =
    err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted cell is never closed'
    : err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
      ? 'a closing quote is followed by other characters instead of a separator'
    : err.message.replace(/ at line \d+.*$/s, '');
  return `${what}: this row and the rest of the file were not imported`;
}

export async function importContactsCsv(db: Database, body: ReadableStream<Uint8Array>, now: () => Date): Promise<ImportReport> {
  const catalogue = await loadCatalogue(db);
  // A Latin-1 file is refused where it stops being UTF-8, not imported as mojibake. The BOM is dropped.
  const reader = decodeUtf8(body);
  const report: ImportReport = { created: 0, updated: 0, rejected: [], ignored_columns: [] };
  const lines = new LineCounter();
  const encoder = new TextEncoder();
  let notUtf8: NotUtf8Error | undefined;
  let head: string;
  try {
    head = await splitFirstLine(reader);
  } catch (err) {
    if (!(err instanceof NotUtf8Error)) throw err;
    report.rejected.push({ line: 1, errors: [{ field: 'encoding', message: notUtf8Message(err) }] });
    return report;
  }
  if (!head.trim()) return report;

  // A CSV syntax error (an unclosed quote…) stops the import after the rows before it; the parser is told to skip
  // rather than fail, so that rows it has already parsed are not lost with the stream.
  let syntaxError: { bytes: number; records: number; code?: string; message: string } | undefined;
  const parser = parse({
    delimiter: detectDelimiter(head.split(/\r?\n/)[0]),
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const e = err as unknown as { bytes: number; records: number; code?: string; message: string };
      syntaxError ??= { bytes: e.bytes, records: e.records, code: e.code, message: e.message };
    },
    trim: true,
  });
  const write = async (text: string) => {
    const bytes = encoder.encode(text);
    lines.feed(bytes);
    if (!parser.write(bytes)) await drained(parser);
  };
  const pump = (async () => {
    try {
      await write(head);
      for (let next = await reader.next(); !next.done && !parser.destroyed; next = await reader.next()) await write(next.value);
    } catch (err) {
      if (!(err instanceof NotUtf8Error)) {
        parser.destroy(err as Error);
        return;
      }
      notUtf8 = err;
    }
    if (!parser.destroyed) parser.end();
  })();

  let roles: ColumnRole[] | undefined;
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

  type Parsed = { record: string[]; info: { bytes: number; records: number } };
  for await (const { record, info } of parser as AsyncIterable<Parsed>) {
    // Past a syntax error the parser cannot be trusted to find rows again: stop there.
    if (syntaxError && info.records > syntaxError.records) break;
    if (!roles) {
      roles = record.map((h) => columnRole(h, catalogue.attributes));
      report.ignored_columns = roles.flatMap((r) => (r.kind === 'unknown' ? [r.header] : []));
      const missing = ['email', 'phone', 'external_id'].some((f) => roles!.some((r) => r.kind === 'field' && r.name === f));
      if (!missing) {
        report.rejected.push({ line: 1, errors: [{ field: 'header', message: 'no email, phone or external_id column: nothing identifies a contact' }] });
        parser.destroy();
        await pump;
        return report;
      }
      continue;
    }
    // The text stopped at a byte that is not UTF-8: the row it was cut in is reported with that byte, not imported.
    if (notUtf8 && info.bytes >= lines.fed && !lines.endsLine(info.bytes)) break;
    const line = lines.recordStart(info.bytes, record);
    const { input, problems } = rowToInput(record, roles);
    const prepared = prepareContact(input, catalogue, { creating: true });
    const errors = [...problems, ...prepared.problems];
    if (!prepared.prepared || errors.length) report.rejected.push({ line, errors });
    else batch.push({ line, prepared: prepared.prepared });
    if (batch.length >= BATCH) await flush();
  }
  if (!parser.destroyed) parser.destroy();
  await pump;
  await flush();
  if (notUtf8) {
    report.rejected.push({ line: roles ? lines.lineAt(lines.fed) : 1, errors: [{ field: 'encoding', message: notUtf8Message(notUtf8) }] });
  } else if (syntaxError) {
    report.rejected.push({ line: lines.lineAt(syntaxError.bytes), errors: [{ field: 'row', message: syntaxMessage(syntaxError) }] });
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

function notUtf8Message(err: NotUtf8Error): string {
  return `the file is not UTF-8 text (${err.message}; Latin-1 or Windows-1252?): save it as "CSV UTF-8" and import it again. ` +
    'Nothing from this line on was imported';
}

function columnRole(header: string, attributes: Map<string, unknown>): ColumnRole {
  const name = normaliseHeader(header);
  if (FIELD_COLUMNS.has(name)) return { kind: 'field', name };
  if (ADDRESS_COLUMNS.has(name)) return { kind: 'address', name: (name.startsWith('address_') ? name.slice(8) : name) as keyof Address };
  if (TOPIC_COLUMNS[name]) return { kind: 'topics', channel: TOPIC_COLUMNS[name] };
  const attr = name.startsWith('attributes_') ? name.slice(11) : name;
  if (attributes.has(attr)) return { kind: 'attribute', name: attr };
  return { kind: 'unknown', header };
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
