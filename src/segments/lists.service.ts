// Adding contacts to a static list from a CSV: a column email, external_id or id names each contact. The file is
// streamed through the contact import's reader (encodings, line and cell limits) and added in batches, so only
// IMPORT_MAX_BYTES bounds it.
import { findContactIdsByRef, normaliseHeader, openCsv } from '../contacts/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { InvalidInputError, NotFoundError, TooLargeError, type FieldProblem } from '../errors.js';
import { addMembers, findList } from './lists.repository.js';

const BATCH = 5000;

export async function addMembersFromCsv(db: Database, listId: number, body: ReadableStream<Uint8Array>, at: Date) {
  if (!(await findList(db, listId))) throw new NotFoundError('List', listId);
  const file = await openCsv(body);
  const header = (file.header ?? []).map(normaliseHeader);
  const column = ['external_id', 'email', 'id'].map((key) => ({ key, index: header.indexOf(key) })).find((c) => c.index >= 0);
  if (!column) {
    await file.rows.return(undefined);
    throw new InvalidInputError('The CSV needs a column naming contacts', [{ field: 'header', message: 'add an email, external_id or id column' }]);
  }
  const members = new Set<number>();
  let added = 0;
  const rejected: Array<{ line: number; errors: FieldProblem[] }> = [];
  let batch: Array<{ line: number; value: string }> = [];
  const keyOf = (value: string) => `${column.key}:${column.key === 'email' ? value.toLowerCase() : value}`;

  const flush = async () => {
    const values = batch.map((b) => b.value);
    const found = await findContactIdsByRef(db, {
      ids: column.key === 'id' ? values.filter((v) => /^\d{1,15}$/.test(v)).map(Number) : [],
      externalIds: column.key === 'external_id' ? values.filter(Boolean) : [],
      emails: column.key === 'email' ? values.filter(Boolean).map((v) => v.toLowerCase()) : [],
    });
    const byKey = new Map<string, number>();
    for (const c of found) {
      byKey.set(`id:${c.id}`, Number(c.id));
      if (c.external_id) byKey.set(`external_id:${c.external_id}`, Number(c.id));
      if (c.email) byKey.set(`email:${c.email}`, Number(c.id));
    }
    const fresh = new Set<number>();
    for (const { line, value } of batch) {
      const id = byKey.get(keyOf(value));
      if (id === undefined) rejected.push({ line, errors: [{ field: column.key, message: value ? `no contact with ${column.key} ${value}` : 'empty' }] });
      else if (!members.has(id)) fresh.add(id);
    }
    batch = [];
    for (const id of fresh) members.add(id);
    added += (await addMembers(db, listId, [...fresh], at)).added;
  };

  try {
    for await (const row of file.rows) {
      if (row.problems.length) rejected.push({ line: row.line, errors: row.problems });
      else batch.push({ line: row.line, value: row.cells[column.index] ?? '' });
      if (batch.length >= BATCH) await flush();
    }
  } catch (err) {
    if (!(err instanceof TooLargeError)) throw err;
    await flush();
    throw new TooLargeError(`${err.message}; the rows before it were read: ${added} contacts added`, err.details as FieldProblem[]);
  }
  await flush();
  const stopped = file.stopped();
  if (stopped) rejected.push(stopped);
  rejected.sort((a, b) => a.line - b.line);
  return { added, already_members: members.size - added, rejected };
}
