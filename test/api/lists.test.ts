// Static lists: create, add by id and by CSV, and use as a campaign audience.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await createTestApp();
  for (const [ext, email] of [['A', 'a@example.fr'], ['B', 'b@example.fr'], ['C', 'c@example.fr']]) {
    ids[ext] = (await t.json('POST', '/v1/contacts', { external_id: ext, email })).body.id;
  }
});
afterAll(() => t.close());

describe('lists', () => {
  it('adds members by id, reporting unknown ids, and counts them', async () => {
    const list = await t.json('POST', '/v1/lists', { name: 'VIP' });
    expect(list.status).toBe(201);
    const added = await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: [ids.A, ids.B, 999999] });
    expect(added.body).toEqual({ added: 2, unknown: [999999] });
    const again = await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: [ids.A] });
    expect(again.body).toEqual({ added: 0, unknown: [] });
    expect((await t.json('GET', `/v1/lists/${list.body.id}`)).body.members).toBe(2);
  });

  it('adds members from a CSV by email, with unknown rows reported by line', async () => {
    const list = await t.json('POST', '/v1/lists', { name: 'Salon' });
    const csv = '\uFEFFE-mail;Nom\nA@example.fr;A\nnobody@example.fr;X\nc@example.fr;C\n';
    const res = await t.call('POST', `/v1/lists/${list.body.id}/members/import`, csv, { headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      added: 2, already_members: 0,
      rejected: [{ line: 3, errors: [{ field: 'email', message: 'no contact with email nobody@example.fr' }] }],
    });
    const members = await t.deps.db.selectFrom('list_members').select('contact_id').where('list_id', '=', list.body.id).orderBy('contact_id').execute();
    expect(members.map((m) => Number(m.contact_id))).toEqual([ids.A, ids.C]);
  });

  it('refuses a CSV without an identifying column, and a non-CSV body', async () => {
    const list = await t.json('POST', '/v1/lists', { name: 'X' });
    const bad = await t.call('POST', `/v1/lists/${list.body.id}/members/import`, 'name\nA\n', { headers: { 'content-type': 'text/csv' } });
    expect(bad.status).toBe(422);
    const wrongType = await t.call('POST', `/v1/lists/${list.body.id}/members/import`, '{}', { headers: { 'content-type': 'application/json' } });
    expect(wrongType.status).toBe(415);
    const missing = await t.call('POST', '/v1/lists/999999/members/import', 'email\na@example.fr\n', { headers: { 'content-type': 'text/csv' } });
    expect(missing.status).toBe(404);
  });
});
