// POST /v1/lists/{id}/members/import streams its file like the contact import: any size up to IMPORT_MAX_BYTES, read
// no further than that, Windows-1252 decoded, and lines counted as they are in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/segments/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ IMPORT_MAX_BYTES: '2000000' });
});
afterAll(() => t.close());

const newList = async (name: string) => expectStatus(await t.api(listRoutes.createListRoute, { json: { name } }), 201).id;

async function importCsv(list: number, body: BodyInit) {
  const res = await t.app.request(`/v1/lists/${list}/members/import`, {
    method: 'POST', headers: { authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' }, body, duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: await res.json() };
}

const members = async (list: number) =>
  Number((await t.deps.db.selectFrom('list_members').select((eb) => eb.fn.countAll<number>().as('n')).where('list_id', '=', list).executeTakeFirstOrThrow()).n);

describe('list imports', () => {
  it('reads a file of more rows than a statement takes parameters (65,535)', async () => {
    const people = await Promise.all(Array.from({ length: 7 }, (_, i) => createContact(t, { email: `many${i}@list.test` })));
    const list = await newList('Big');
    // 70,000 rows naming 7 contacts (as a file of purchases would), and one unknown at the end.
    const rows = Array.from({ length: 70000 }, (_, i) => `MANY${i % 7}@list.test`);
    const csv = ['email', ...rows, 'nobody@list.test'].join('\n') + '\n';
    const res = await importCsv(list, csv);
    expect(res).toEqual({
      status: 200,
      body: { added: 7, already_members: 0, rejected: [{ line: 70002, errors: [{ field: 'email', message: 'no contact with email nobody@list.test' }] }] },
    });
    expect(await members(list)).toBe(7);
    expect(people).toHaveLength(7);
  });

  it('reads a larger file no further than IMPORT_MAX_BYTES, naming the setting', async () => {
    const list = await newList('Too big');
    let pulled = 0;
    const line = new TextEncoder().encode('nobody@list.test\n'.repeat(1000));
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled === 0) controller.enqueue(new TextEncoder().encode('email\n'));
          if (pulled >= 5_000_000) return controller.close();
          pulled += line.length;
          controller.enqueue(line);
        },
      },
      { highWaterMark: 0 },
    );
    const res = await importCsv(list, body);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe(
      'The body is larger than 2000000 bytes, the limit for this request (IMPORT_MAX_BYTES); the rows before it were read: 0 contacts added',
    );
    expect(pulled).toBeLessThanOrEqual(2_000_000 + 2 * line.length);
  });

  it('reads a Windows-1252 file, and reports rows at their line in the file', async () => {
    const helene = await createContact(t, { external_id: 'Hélène-1', email: 'helene@list.test' });
    const francois = await createContact(t, { external_id: 'François-2', email: 'francois@list.test' });
    const list = await newList('Accents');
    const text = 'Numéro client;Commentaire\r\nHélène-1;"deux\r\nlignes"\r\nInconnu-3;x\r\nFrançois-2;y\r\n';
    const res = await importCsv(list, Uint8Array.from([...text].map((ch) => ch.charCodeAt(0))));
    expect(res).toEqual({
      status: 200,
      body: { added: 2, already_members: 0, rejected: [{ line: 4, errors: [{ field: 'external_id', message: 'no contact with external_id Inconnu-3' }] }] },
    });
    const ids = await t.deps.db.selectFrom('list_members').select('contact_id').where('list_id', '=', list).orderBy('contact_id').execute();
    expect(ids.map((r) => Number(r.contact_id))).toEqual([helene.id, francois.id]);
  });
});
