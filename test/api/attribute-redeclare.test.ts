// Changing an attribute's type converts the values contacts hold, or is refused with the values that cannot be: a
// text "2024-13-45" redeclared as a date used to be accepted, then broke every rule that read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const declare = (name: string, json: { type: 'text' | 'number' | 'boolean' | 'date' | 'enum'; values?: string[] }) =>
  t.api(contactRoutes.putAttributeRoute, { param: { name }, json });
const attributesOf = async (id: number) => expectStatus(await t.api(contactRoutes.getContactRoute, { param: { id } }), 200).attributes;
const declared = async (name: string) => expectStatus(await t.api(contactRoutes.listAttributesRoute), 200).data.find((a) => a.name === name);

describe('redeclaring an attribute with another type', () => {
  it('is refused with 409, the count of bad values and examples, when some cannot be converted; nothing changes', async () => {
    expectStatus(await declare('since', { type: 'text' }), 201);
    const good = await createContact(t, { email: 'good@redeclare.test', attributes: { since: '17/05/1990' } });
    const bad = await createContact(t, { email: 'bad@redeclare.test', attributes: { since: '2024-13-45' } });
    const worse = await createContact(t, { email: 'worse@redeclare.test', attributes: { since: 'hier' } });
    await createContact(t, { email: 'none@redeclare.test' });

    const res = await declare('since', { type: 'date' });
    expect(res).toEqual({
      status: 409,
      body: {
        error: {
          code: 'conflict',
          message: '2 contacts hold values of "since" that cannot be read as a date: nothing was changed',
          details: [{
            field: 'type', message: '2 stored values cannot be converted; correct them first', bad_values: 2,
            examples: [
              { contact_id: bad.id, value: '2024-13-45', problem: '"2024-13-45" is not a date (YYYY-MM-DD or DD/MM/YYYY)' },
              { contact_id: worse.id, value: 'hier', problem: '"hier" is not a date (YYYY-MM-DD or DD/MM/YYYY)' },
            ],
          }],
        },
      },
    });
    expect(await declared('since')).toEqual({ name: 'since', type: 'text', values: null, aliases: [] });
    expect(await attributesOf(good.id)).toEqual({ since: '17/05/1990' });

    // Once the values are corrected, the same change converts them.
    expectStatus(await t.api(contactRoutes.patchContactRoute, { param: { id: bad.id }, json: { attributes: { since: '2024-12-25' } } }), 200);
    expectStatus(await t.api(contactRoutes.patchContactRoute, { param: { id: worse.id }, json: { attributes: { since: null } } }), 200);
    expect(await declare('since', { type: 'date' })).toEqual({
      status: 200, body: { name: 'since', type: 'date', values: null, aliases: [], converted: 1 },
    });
    expect(await attributesOf(good.id)).toEqual({ since: '1990-05-17' });
    expect(await attributesOf(bad.id)).toEqual({ since: '2024-12-25' });
    expect(await attributesOf(worse.id)).toEqual({ since: null });
  });

  it('converts text to numbers as the import reads them, and numbers back to text', async () => {
    expectStatus(await declare('spend', { type: 'text' }), 201);
    const a = await createContact(t, { email: 'a@spend.test', attributes: { spend: '1 254,50' } });
    const b = await createContact(t, { email: 'b@spend.test', attributes: { spend: '12' } });
    expect((await declare('spend', { type: 'number' })).body).toMatchObject({ type: 'number', converted: 2 });
    expect(await attributesOf(a.id)).toEqual({ spend: 1254.5 });
    expect(await attributesOf(b.id)).toEqual({ spend: 12 });
    expect((await declare('spend', { type: 'text' })).body).toMatchObject({ type: 'text', converted: 2 });
    expect(await attributesOf(a.id)).toEqual({ spend: '1254.5' });
  });

  it('checks an enum’s values when they change, and spells stored values as declared', async () => {
    expectStatus(await declare('tier', { type: 'enum', values: ['Gold', 'Silver', 'Bronze'] }), 201);
    const gold = await createContact(t, { email: 'gold@tier.test', attributes: { tier: 'Gold' } });
    const bronze = await createContact(t, { email: 'bronze@tier.test', attributes: { tier: 'Bronze' } });
    const dropped = await declare('tier', { type: 'enum', values: ['Gold', 'Silver'] });
    expect(dropped.status).toBe(409);
    expect(dropped.status === 409 && dropped.body.error.details).toEqual([
      expect.objectContaining({ bad_values: 1, examples: [{ contact_id: bronze.id, value: 'Bronze', problem: '"Bronze" is not one of Gold, Silver' }] }),
    ]);
    expect((await declare('tier', { type: 'enum', values: ['GOLD', 'SILVER', 'BRONZE'] })).body).toMatchObject({ converted: 2 });
    expect(await attributesOf(gold.id)).toEqual({ tier: 'GOLD' });
  });

  it('leaves values alone when the declaration does not change', async () => {
    expectStatus(await declare('free', { type: 'text' }), 201);
    await createContact(t, { email: 'free@same.test', attributes: { free: 'anything' } });
    expect(await declare('free', { type: 'text' })).toEqual({ status: 200, body: { name: 'free', type: 'text', values: null, aliases: [], converted: 0 } });
  });
});
