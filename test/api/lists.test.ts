// Static lists: create, add by id and by CSV, and use as a campaign audience.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/segments/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact } from '../support/fixtures.js';

let t: TestApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await createTestApp();
  for (const [ext, email] of [['A', 'a@example.fr'], ['B', 'b@example.fr'], ['C', 'c@example.fr']]) {
    ids[ext] = (await createContact(t, { external_id: ext, email })).id;
  }
});
afterAll(() => t.close());

const newList = async (name: string) => expectStatus(await t.api(listRoutes.createListRoute, { json: { name } }), 201).id;
const importCsv = (id: number, body: string, headers?: Record<string, string>) => t.api(listRoutes.addMembersCsvRoute, { param: { id }, body, headers });

describe('lists', () => {
  it('adds members by id, reporting unknown ids, and counts them', async () => {
    const list = await newList('VIP');
    const added = await t.api(listRoutes.addMembersRoute, { param: { id: list }, json: { contact_ids: [ids.A, ids.B, 999999] } });
    expect(added).toEqual({ status: 200, body: { added: 2, unknown: [999999] } });
    const again = await t.api(listRoutes.addMembersRoute, { param: { id: list }, json: { contact_ids: [ids.A] } });
    expect(again).toEqual({ status: 200, body: { added: 0, unknown: [] } });
    expect(expectStatus(await t.api(listRoutes.getListRoute, { param: { id: list } }), 200).members).toBe(2);
  });

  it('adds members from a CSV by email, with unknown rows reported by line', async () => {
    const list = await newList('Salon');
    const res = await importCsv(list, '\uFEFFE-mail;Nom\nA@example.fr;A\nnobody@example.fr;X\nc@example.fr;C\n');
    expect(res).toEqual({
      status: 200,
      body: { added: 2, already_members: 0, rejected: [{ line: 3, errors: [{ field: 'email', message: 'no contact with email nobody@example.fr' }] }] },
    });
    const members = await t.deps.db.selectFrom('list_members').select('contact_id').where('list_id', '=', list).orderBy('contact_id').execute();
    expect(members.map((m) => Number(m.contact_id))).toEqual([ids.A, ids.C]);
  });

  it('refuses a CSV without an identifying column, and a non-CSV body', async () => {
    const list = await newList('X');
    expect((await importCsv(list, 'name\nA\n')).status).toBe(422);
    expect((await importCsv(list, '{}', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await importCsv(999999, 'email\na@example.fr\n')).status).toBe(404);
  });
});
