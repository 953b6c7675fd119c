// POST /v1/contacts/import: the CSV files customers really send, and their line numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.json('PUT', '/v1/attributes/revenue', { type: 'number' })).status).toBe(201);
  expect((await t.json('PUT', '/v1/attributes/vip', { type: 'boolean' })).status).toBe(201);
  expect((await t.json('POST', '/v1/topics', { key: 'newsletter', name: 'Newsletter' })).status).toBe(201);
  expect((await t.json('POST', '/v1/topics', { key: 'promotions', name: 'Promotions' })).status).toBe(201);
});
afterAll(() => t.close());

/** The report's counts in `body`; where its columns went and the encoding it read, beside it. */
async function importCsv(body: string | Uint8Array, contentType = 'text/csv; charset=utf-8') {
  const res = await t.app.request('/v1/contacts/import', {
    method: 'POST',
    headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': contentType },
    body: body as BodyInit,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.status !== 200) return { status: res.status, body: json, columns: undefined, encoding: undefined };
  const { columns, encoding, ...report } = json;
  return { status: res.status, body: report, columns, encoding };
}

async function contactByEmail(email: string) {
  const res = await t.json('GET', `/v1/contacts?email=${encodeURIComponent(email)}`);
  expect(res.body.data.length, email).toBeLessThanOrEqual(1);
  if (!res.body.data[0]) return undefined;
  return (await t.json('GET', `/v1/contacts/${res.body.data[0].id}`)).body;
}

const lines = (...rows: string[]) => rows.join('\n');
const crlf = (...rows: string[]) => rows.join('\r\n');

describe('separators, encodings, decimals', () => {
  it('reads a comma-separated file', async () => {
    const res = await importCsv(lines('email,first_name,revenue', 'comma1@imp.test,Anne,12.5', 'comma2@imp.test,Bob,"1,254.50"'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 2, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('comma1@imp.test')).toMatchObject({ first_name: 'Anne', attributes: { revenue: 12.5 } });
    expect(await contactByEmail('comma2@imp.test')).toMatchObject({ first_name: 'Bob', attributes: { revenue: 1254.5 } });
  });

  it('reads a semicolon-separated file with French decimal commas', async () => {
    const res = await importCsv(crlf('email;prénom;revenue;vip', 'semi1@imp.test;Sophie;1 254,50;oui', 'semi2@imp.test;Sam;3,75;non', ''));
    expect(res.body).toEqual({ created: 2, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('semi1@imp.test')).toMatchObject({ first_name: 'Sophie', attributes: { revenue: 1254.5, vip: true } });
    expect(await contactByEmail('semi2@imp.test')).toMatchObject({ first_name: 'Sam', attributes: { revenue: 3.75, vip: false } });
  });

  it('reads UTF-8 with and without a BOM alike (the BOM is not part of the first header)', async () => {
    const withBom = await importCsv('\uFEFF' + crlf('email;prénom;nom', 'bom@imp.test;Zoé;Lefèvre'));
    expect(withBom.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('bom@imp.test')).toMatchObject({ first_name: 'Zoé', last_name: 'Lefèvre' });
    // The BOM as raw bytes, exactly as Excel writes it.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(crlf('email;prénom', 'bombytes@imp.test;Hélène'))]);
    const raw = await importCsv(bytes);
    expect(raw.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('bombytes@imp.test')).toMatchObject({ first_name: 'Hélène' });
    const without = await importCsv(crlf('email;prénom;nom', 'nobom@imp.test;Zoé;Lefèvre'));
    expect(without.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('nobom@imp.test')).toMatchObject({ first_name: 'Zoé', last_name: 'Lefèvre' });
  });

  it('reads a Latin-1 file (é as the single byte 0xE9) as Windows-1252, accents intact, and says so', async () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('email;pr'), 0xe9, ...new TextEncoder().encode('nom\r\nlatin@imp.test;Zo'), 0xe9, 0x0d, 0x0a,
    ]);
    const res = await importCsv(latin1);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    expect(res.encoding).toBe('windows-1252');
    expect(res.columns).toEqual([{ header: 'email', target: 'email' }, { header: 'prénom', target: 'first_name' }]);
    expect(await contactByEmail('latin@imp.test')).toMatchObject({ first_name: 'Zoé' });
  });

  // UTF-8 is told from the first 64 KiB: these files start with more than that of UTF-8 text, accents included.
  const utf8Start = (prefix: string, separator: string, rows: number) =>
    new TextEncoder().encode([`email${separator}prénom`, ...Array.from({ length: rows }, (_, i) => `${prefix}${i}@imp.test${separator}Hélène`)].join('\r\n') + '\r\n');

  it('refuses bytes that are not UTF-8 in a file that starts as UTF-8, at their line, keeping the rows before', async () => {
    const start = utf8Start('utf8late', ';', 2500); // lines 1-2501
    expect(start.length).toBeGreaterThan(64 * 1024);
    const bytes = new Uint8Array([
      ...start, ...new TextEncoder().encode('latinlate9@imp.test;Zo'), 0xe9, 0x0d, 0x0a, // line 2502
      ...new TextEncoder().encode('latinlate10@imp.test;After\r\n'), // line 2503
    ]);
    const res = await importCsv(bytes);
    expect(res.status).toBe(200);
    expect(res.encoding).toBe('utf-8');
    expect(res.body.created).toBe(2500);
    expect(res.body.rejected.map((r: any) => [r.line, r.errors[0].field])).toEqual([[2502, 'encoding']]);
    expect(res.body.rejected[0].errors[0].message).toContain('byte 0xE9 is not UTF-8');
    expect(res.body.rejected[0].errors[0].message).toContain('CSV UTF-8');
    expect(await contactByEmail('utf8late2499@imp.test')).toMatchObject({ first_name: 'Hélène' });
    expect(await contactByEmail('latinlate9@imp.test')).toBeUndefined();
    expect(await contactByEmail('latinlate10@imp.test')).toBeUndefined();
  });

  it('refuses a byte that is not UTF-8 at the start of a line, keeping the complete row before it', async () => {
    const bytes = new Uint8Array([...utf8Start('linestart', ',', 2500), 0xc9, ...new TextEncoder().encode('ric@imp.test,Eric\n')]);
    const res = await importCsv(bytes);
    expect(res.body.created).toBe(2500);
    expect(res.body.rejected.map((r: any) => [r.line, r.errors[0].field])).toEqual([[2502, 'encoding']]);
    expect(res.body.rejected[0].errors[0].message).toContain('byte 0xC9 is not UTF-8');
  });

  it('reads a file that is ASCII for its first 64 KiB and Windows-1252 after, accents intact', async () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `ascii${i}@imp.test;Anne`); // lines 2-3001
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(crlf('email;prénom'.replace('é', 'e'), ...ascii, 'ascii-late@imp.test;Zo')), 0xe9, 0x0d, 0x0a,
      ...new TextEncoder().encode('ascii-after@imp.test;L'), 0xe9, 0x61, 0x0d, 0x0a,
    ]);
    expect(bytes.indexOf(0xe9)).toBeGreaterThan(64 * 1024);
    const res = await importCsv(bytes);
    expect(res.body).toEqual({ created: 3002, updated: 0, rejected: [], ignored_columns: [] });
    expect(res.encoding).toBe('windows-1252');
    expect(await contactByEmail('ascii-late@imp.test')).toMatchObject({ first_name: 'Zoé' });
    expect(await contactByEmail('ascii-after@imp.test')).toMatchObject({ first_name: 'Léa' });
  });

  it('reads a streamed upload cut into tiny chunks (inside characters and line breaks) exactly like a whole one', async () => {
    const csv = crlf(
      'email;prénom;ville;revenue', // 1
      'chunk1@imp.test;Zoé;"Saint-Étienne', // 2
      '€ zone";1 254,50', // 3
      'bad-chunk;X;;', // 4
      'chunk2@imp.test;Ærøskøbing 🚲;Paris;2', // 5
      '',
    );
    const bytes = new TextEncoder().encode('\uFEFF' + csv);
    let offset = 0;
    let size = 1;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + size));
        offset += size;
        size = (size % 5) + 1;
      },
    });
    const res = await t.app.request('/v1/contacts/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const report = await res.json();
    expect(report).toEqual({
      created: 2, updated: 0, ignored_columns: [], encoding: 'utf-8',
      rejected: [{ line: 4, errors: [{ field: 'email', message: '"bad-chunk" is not a valid email address' }] }],
      columns: [
        { header: 'email', target: 'email' }, { header: 'prénom', target: 'first_name' },
        { header: 'ville', target: 'address.city' }, { header: 'revenue', target: 'attributes.revenue' },
      ],
    });
    expect(await contactByEmail('chunk1@imp.test')).toMatchObject({
      first_name: 'Zoé', address: { city: 'Saint-Étienne\r\n€ zone' }, attributes: { revenue: 1254.5 },
    });
    expect(await contactByEmail('chunk2@imp.test')).toMatchObject({ first_name: 'Ærøskøbing 🚲' });
  });
});

describe('quoting and line numbers', () => {
  it('keeps separators, quotes and newlines inside quoted cells, and counts physical lines after them', async () => {
    const csv = lines(
      'email,first_name,last_name,address_line1,city', // 1
      'q1@imp.test,"Dupont, Marie","O""Brien","12 rue de la Paix', // 2
      'Bâtiment B",Paris', // 3
      'q2@imp.test,Jean,Martin,,Lyon', // 4
      'bad-email-1,X,Y,,Z', // 5
      '', // 6 (blank)
      'q3@imp.test,"Multi', // 7
      '', // 8
      'line",Name,,Nice', // 9
      'bad-email-2,X,Y,,Z', // 10
    );
    const res = await importCsv(csv);
    expect(res.body.created).toBe(3);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([5, 10]);
    expect(res.body.rejected[0].errors).toEqual([{ field: 'email', message: '"bad-email-1" is not a valid email address' }]);
    expect(await contactByEmail('q1@imp.test')).toMatchObject({
      first_name: 'Dupont, Marie', last_name: 'O"Brien', address: { line1: '12 rue de la Paix\nBâtiment B', city: 'Paris' },
    });
    expect(await contactByEmail('q3@imp.test')).toMatchObject({ first_name: 'Multi\n\nline', last_name: 'Name' });
  });

  it('counts lines the same in a Windows (CRLF) file with multi-line cells', async () => {
    const csv = crlf(
      'email;prénom;adresse;ville', // 1
      'w1@imp.test;"Anne";"1 rue A', // 2
      'Appt 3', // 3
      'Escalier B";Paris', // 4
      'bad-w-1;X;;Y', // 5
      'w2@imp.test;"Line1', // 6
      'Line2";;Lyon', // 7
      'bad-w-2;X;;Y', // 8
      '',
    );
    const res = await importCsv(csv);
    expect(res.body.created).toBe(2);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([5, 8]);
    expect(await contactByEmail('w1@imp.test')).toMatchObject({ address: { line1: '1 rue A\r\nAppt 3\r\nEscalier B', city: 'Paris' } });
  });

  it('reports a rejected multi-line row at the line where it starts', async () => {
    const csv = lines(
      'email,first_name', // 1
      'ml-ok@imp.test,A', // 2
      'not-an-email,"two', // 3
      'lines"', // 4
      'ml-bad,B', // 5
    );
    const res = await importCsv(csv);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([3, 5]);
  });

  it('stops at an unclosed quote with a report at its line; rows before it are kept', async () => {
    const res = await importCsv(lines('email,first_name', 'uq1@imp.test,A', 'uq2@imp.test,"never closed', 'uq3@imp.test,C'));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      { line: 3, errors: [{ field: 'row', message: 'a quoted cell is never closed: this row and the rest of the file were not imported' }] },
    ]);
    expect(await contactByEmail('uq1@imp.test')).toMatchObject({ first_name: 'A' });
    expect(await contactByEmail('uq2@imp.test')).toBeUndefined();
    expect(await contactByEmail('uq3@imp.test')).toBeUndefined();
  });

  it('stops at a stray closing quote with a report at its line, after a multi-line cell', async () => {
    const res = await importCsv(crlf('email;prénom', 'sq0@imp.test;"Two', 'lines"', 'sq1@imp.test;"A"x', 'sq2@imp.test;B'));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      {
        line: 4,
        errors: [{ field: 'row', message: 'a closing quote is followed by other characters instead of a separator: this row and the rest of the file were not imported' }],
      },
    ]);
    expect(await contactByEmail('sq0@imp.test')).toMatchObject({ first_name: 'Two\r\nlines' });
  });

  it('keeps every row parsed before a syntax error, however many', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `many${i}@imp.test,R`);
    const res = await importCsv(lines('email,first_name', ...rows, 'broken@imp.test,"open'));
    expect(res.body.created).toBe(300);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([302]);
  });

  it('rejects a row with a NUL character by its line, keeping the others', async () => {
    const res = await importCsv(lines('email,first_name', 'nul1@imp.test,A', 'nul2@imp.test,B\u0000C', 'nul3@imp.test,D'));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([3]);
    expect(await contactByEmail('nul2@imp.test')).toBeUndefined();
    expect(await contactByEmail('nul3@imp.test')).toMatchObject({ first_name: 'D' });
  });

  it('takes a quote inside an unquoted cell as it is', async () => {
    const res = await importCsv(lines('email,first_name,last_name', 'inch@imp.test,Jo "JJ",12" screen'));
    expect(res.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('inch@imp.test')).toMatchObject({ first_name: 'Jo "JJ"', last_name: '12" screen' });
  });
});

describe('columns and topics', () => {
  it('reports an undeclared column in ignored_columns and imports the rest', async () => {
    const res = await importCsv(lines('email,Shoe Size,first_name,revenue', 'ign@imp.test,42,Ida,7'));
    expect(res.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: ['Shoe Size'] });
    const c = await contactByEmail('ign@imp.test');
    expect(c).toMatchObject({ first_name: 'Ida', attributes: { revenue: 7 } });
    expect(c.attributes).toEqual({ revenue: 7 });
  });

  it('subscribes from email_topics (; inside quotes in a comma file, | in a semicolon file) with source import', async () => {
    const comma = await importCsv(lines('email,phone,email_topics,sms_topics', 'top1@imp.test,0612345671,"newsletter;promotions",promotions'));
    expect(comma.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });
    const semi = await importCsv(lines('email;email_topics', 'top2@imp.test;newsletter | promotions'));
    expect(semi.body).toEqual({ created: 1, updated: 0, rejected: [], ignored_columns: [] });

    const one = await contactByEmail('top1@imp.test');
    expect(one.subscriptions.map((s: any) => `${s.topic}/${s.channel}/${s.status}`)).toEqual([
      'newsletter/email/subscribed', 'promotions/email/subscribed', 'promotions/sms/subscribed',
    ]);
    const two = await contactByEmail('top2@imp.test');
    expect(two.subscriptions.map((s: any) => `${s.topic}/${s.channel}/${s.status}`)).toEqual([
      'newsletter/email/subscribed', 'promotions/email/subscribed',
    ]);
    const records = await t.deps.db
      .selectFrom('consent_records')
      .select(['contact_id', 'channel', 'status', 'source'])
      .where('contact_id', 'in', [one.id, two.id])
      .execute();
    expect(records).toHaveLength(5);
    for (const r of records) expect(r).toMatchObject({ status: 'subscribed', source: 'import' });
  });

  it('rejects a row with an unknown topic, naming subscriptions.N.topic', async () => {
    const res = await importCsv(lines('email,email_topics', 'unk@imp.test,"newsletter;nope"', 'unk2@imp.test,newsletter'));
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      { line: 2, errors: [{ field: 'subscriptions.1.topic', message: 'topic "nope" does not exist (POST /v1/topics)' }] },
    ]);
    expect(await contactByEmail('unk@imp.test')).toBeUndefined();
  });

  it('rejects a row with more cells than the header', async () => {
    const res = await importCsv(lines('email,first_name', 'wide@imp.test,A,B', 'narrow@imp.test'));
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([{ line: 2, errors: [{ field: 'row', message: 'has 3 cells but the header has 2 columns' }] }]);
    expect(await contactByEmail('wide@imp.test')).toBeUndefined();
    expect(await contactByEmail('narrow@imp.test')).toBeDefined();
  });

  it('rejects a file with no identifying column at line 1', async () => {
    const res = await importCsv(lines('first_name,last_name', 'No,Key'));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(0);
    expect(res.body.updated).toBe(0);
    expect(res.body.rejected).toEqual([
      { line: 1, errors: [{ field: 'header', message: 'no email, phone or external_id column: nothing identifies a contact' }] },
    ]);
  });

  it('answers a large file with no identifying column at once (the reader is not left waiting)', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `Prénom${i},Nom${i},Ville numéro ${i}`);
    const started = Date.now();
    const res = await importCsv(lines('first_name,last_name,city', ...rows));
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([1]);
    expect(res.body.created).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('merges a row repeating an earlier row’s email: one contact, later values win', async () => {
    const res = await importCsv(lines('email,first_name,revenue', 'rep@imp.test,First,1', 'other@imp.test,Other,5', 'REP@imp.test,Second,2'));
    expect(res.body.rejected).toEqual([]);
    expect(res.body.created).toBe(2);
    expect(res.body.updated).toBe(1);
    const found = await t.json('GET', '/v1/contacts?q=rep%40imp.test');
    expect(found.body.data).toHaveLength(1);
    expect(found.body.data[0]).toMatchObject({ email: 'rep@imp.test', first_name: 'Second', attributes: { revenue: 2 } });
  });

  it('merges a row repeating an existing contact’s key: later values win', async () => {
    await importCsv(lines('external_id,email,first_name', 'REP-X,repx@imp.test,Before'));
    const res = await importCsv(lines('external_id,first_name', 'REP-X,One', 'REP-X,Two'));
    expect(res.body).toEqual({ created: 0, updated: 2, rejected: [], ignored_columns: [] });
    expect(await contactByEmail('repx@imp.test')).toMatchObject({ external_id: 'REP-X', first_name: 'Two' });
  });
});

describe('requests', () => {
  it('refuses a JSON body with 415', async () => {
    const res = await importCsv('{"email":"x@imp.test"}', 'application/json');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    const form = await importCsv('email\nx@imp.test', 'multipart/form-data; boundary=x');
    expect(form.status).toBe(415);
    const xml = await importCsv('email\nx@imp.test', 'application/xml');
    expect(xml.status).toBe(415);
  });

  it('answers an empty body, or a header alone, with zeros', async () => {
    const empty = await importCsv('');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ created: 0, updated: 0, rejected: [], ignored_columns: [] });
    const blank = await importCsv('\r\n\r\n');
    expect(blank.status).toBe(200);
    expect(blank.body).toEqual({ created: 0, updated: 0, rejected: [], ignored_columns: [] });
    const header = await importCsv('email;prénom\r\n');
    expect(header.status).toBe(200);
    expect(header.body).toEqual({ created: 0, updated: 0, rejected: [], ignored_columns: [] });
  });

  it('a marketer may import, an analyst may not', async () => {
    const body = lines('email', 'roles@imp.test');
    const marketer = await t.app.request('/v1/contacts/import', {
      method: 'POST', headers: { authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' }, body,
    });
    expect(marketer.status).toBe(200);
    const analyst = await t.app.request('/v1/contacts/import', {
      method: 'POST', headers: { authorization: `Bearer ${t.keys.analyst}`, 'content-type': 'text/csv' }, body,
    });
    expect(analyst.status).toBe(403);
  });

  it('imports 2,000 rows exactly once: a second import updates them all', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `BULK-${i};bulk${i}@imp.test;Bulk;${i},5;${i % 2 ? 'oui' : 'non'}`);
    const csv = crlf('numero_client;email;prénom;revenue;vip', ...rows, '');
    const first = await importCsv(csv);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 2000, updated: 0, rejected: [], ignored_columns: [] });
    const second = await importCsv(csv);
    expect(second.body).toEqual({ created: 0, updated: 2000, rejected: [], ignored_columns: [] });
    const count = await t.deps.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('external_id', 'like', 'BULK-%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2000);
    expect(await contactByEmail('bulk1999@imp.test')).toMatchObject({ external_id: 'BULK-1999', attributes: { revenue: 1999.5, vip: true } });
    expect(await contactByEmail('bulk1000@imp.test')).toMatchObject({ external_id: 'BULK-1000', attributes: { revenue: 1000.5, vip: false } });
  });

  it('reports exact line numbers past the first batch', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => (i === 599 || i === 1100 ? `bad${i};X` : `late${i}@imp.test;Y`));
    const res = await importCsv(crlf('email;prénom', ...rows));
    expect(res.body.created).toBe(1198);
    // Row i is on line i + 2.
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([601, 1102]);
  });
});
