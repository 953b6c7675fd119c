// Adding contacts to a static list from a CSV: a column email, external_id or id names each contact.
import { parse } from 'csv-parse/sync';
import { findContactIdsByRef, normaliseHeader } from '../contacts/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { addMembers, findList } from './lists.repository.js';

const MAX_ROWS = 200_000;

export async function addMembersFromCsv(db: Database, listId: number, text: string, at: Date) {
  if (!(await findList(db, listId))) throw new NotFoundError('List', listId);
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, to: MAX_ROWS + 1 });
  } catch (err) {
    throw new InvalidInputError('The CSV cannot be read', [{ field: 'body', message: (err as Error).message }]);
  }
  const header = (rows.shift() ?? []).map(normaliseHeader);
  const column = ['external_id', 'email', 'id'].map((k) => ({ key: k, index: header.indexOf(k) })).find((c) => c.index >= 0);
  if (!column) throw new InvalidInputError('The CSV needs a column naming contacts', [{ field: 'header', message: 'add an email, external_id or id column' }]);
  const values = rows.map((r) => r[column.index] ?? '');
  const refs = {
    ids: column.key === 'id' ? values.filter((v) => /^\d{1,15}$/.test(v)).map(Number) : [],
    externalIds: column.key === 'external_id' ? values.filter(Boolean) : [],
    emails: column.key === 'email' ? values.filter(Boolean).map((v) => v.toLowerCase()) : [],
  };
  const found = await findContactIdsByRef(db, refs);
  const byKey = new Map<string, number>();
  for (const c of found) {
    byKey.set(`id:${c.id}`, Number(c.id));
    if (c.external_id) byKey.set(`external_id:${c.external_id}`, Number(c.id));
    if (c.email) byKey.set(`email:${c.email}`, Number(c.id));
  }
  const ids: number[] = [];
  const rejected: Array<{ line: number; errors: FieldProblem[] }> = [];
  values.forEach((v, i) => {
    const key = `${column.key}:${column.key === 'email' ? v.toLowerCase() : v}`;
    const id = byKey.get(key);
    // Line numbers count the header as line 1 (rows with embedded newlines shift this; lists rarely have them).
    if (id === undefined) rejected.push({ line: i + 2, errors: [{ field: column.key, message: v ? `no contact with ${column.key} ${v}` : 'empty' }] });
    else ids.push(id);
  });
  const { added } = await addMembers(db, listId, [...new Set(ids)], at);
  return { added, already_members: new Set(ids).size - added, rejected };
}
