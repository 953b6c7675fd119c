// POST /v1/events: one event or a batch, naming the contact by id, external_id or email; replays are no-ops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact } from '../support/fixtures.js';

let t: TestApp;
let marie: number;
let paul: number;

beforeAll(async () => {
  t = await createTestApp();
  marie = (await t.json('POST', '/v1/contacts', { external_id: 'C-MARIE', email: 'marie@example.fr' })).body.id;
  paul = (await t.json('POST', '/v1/contacts', { external_id: 'C-PAUL', email: 'paul@example.fr' })).body.id;
  expect(marie).toBeGreaterThan(0);
  expect(paul).toBeGreaterThan(0);
});
afterAll(() => t.close());

async function eventsOf(contactId: number) {
  return t.deps.db
    .selectFrom('events')
    .select(['contact_id', 'type', 'occurred_at', 'value', 'properties', 'idempotency_key'])
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
}

describe('POST /v1/events', () => {
  // The first two tests read every event of their contact: each has a contact of its own, so no other test's
  // events are counted, whatever the order.
  it('records one event by contact_id, with its value, properties and time', async () => {
    const { id: anne } = await createContact(t, { external_id: 'C-ANNE', email: 'anne@example.fr' });
    const res = await t.json('POST', '/v1/events', {
      contact_id: anne, type: 'purchase', value: 89.9, occurred_at: '2026-03-14T10:30:00+01:00',
      properties: { order: 'A-17', items: [{ sku: 'TEA', qty: 2 }], gift: false },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, attributed: 0, rejected: [] });
    const rows = await eventsOf(anne);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contact_id: anne, type: 'purchase', properties: { order: 'A-17', items: [{ sku: 'TEA', qty: 2 }], gift: false }, idempotency_key: null });
    expect(Number(rows[0].value)).toBe(89.9);
    expect(new Date(rows[0].occurred_at as unknown as string).toISOString()).toBe('2026-03-14T09:30:00.000Z');
  });

  it('defaults the time to now, the value to null and the properties to {}', async () => {
    const { id: luc } = await createContact(t, { external_id: 'C-LUC', email: 'luc@example.fr' });
    const before = Date.now();
    const res = await t.json('POST', '/v1/events', { external_id: 'C-LUC', type: 'page.view' });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, attributed: 0, rejected: [] });
    const rows = await eventsOf(luc);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ type: 'page.view', value: null, properties: {}, idempotency_key: null });
    const at = new Date(row.occurred_at as unknown as string).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 5_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('records a batch naming contacts by id, external_id and email (any case); an unknown one is rejected by index', async () => {
    const res = await t.json('POST', '/v1/events', {
      events: [
        { contact_id: paul, type: 'batch.a', value: 1 },
        { external_id: 'C-MARIE', type: 'batch.b', value: 2.5 },
        { email: '  PAUL@Example.FR ', type: 'batch.c', value: -3 },
        { external_id: 'C-NOBODY', type: 'batch.d' },
        { contact_id: 987654, type: 'batch.e' },
        { email: 'nobody@example.fr', type: 'batch.f' },
        { type: 'batch.g' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      accepted: 3,
      duplicates: 0, attributed: 0,
      rejected: [
        { index: 3, errors: [{ field: 'external_id', message: 'no such contact' }] },
        { index: 4, errors: [{ field: 'contact_id', message: 'no such contact' }] },
        { index: 5, errors: [{ field: 'email', message: 'no such contact' }] },
        { index: 6, errors: [{ field: 'contact_id', message: 'give contact_id, external_id or email' }] },
      ],
    });
    const paulRows = (await eventsOf(paul)).filter((e) => e.type.startsWith('batch.'));
    expect(paulRows.map((e) => [e.type, Number(e.value)])).toEqual([['batch.a', 1], ['batch.c', -3]]);
    const marieRows = (await eventsOf(marie)).filter((e) => e.type.startsWith('batch.'));
    expect(marieRows.map((e) => [e.type, Number(e.value)])).toEqual([['batch.b', 2.5]]);
    const strays = await t.deps.db.selectFrom('events').select('type').where('type', 'in', ['batch.d', 'batch.e', 'batch.f', 'batch.g']).execute();
    expect(strays).toEqual([]);
  });

  it('a single event for an unknown contact is rejected at index 0 and stores nothing', async () => {
    const res = await t.json('POST', '/v1/events', { email: 'ghost@example.fr', type: 'ghost' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ accepted: 0, duplicates: 0, attributed: 0, rejected: [{ index: 0, errors: [{ field: 'email', message: 'no such contact' }] }] });
    expect(await t.deps.db.selectFrom('events').select('id').where('type', '=', 'ghost').execute()).toEqual([]);
  });

  it('counts a replayed idempotency_key as a duplicate and stores the event once', async () => {
    const event = { contact_id: marie, type: 'purchase', value: 42, idempotency_key: 'order-1001' };
    expect((await t.json('POST', '/v1/events', event)).body).toEqual({ accepted: 1, duplicates: 0, attributed: 0, rejected: [] });
    expect((await t.json('POST', '/v1/events', event)).body).toEqual({ accepted: 0, duplicates: 1, attributed: 0, rejected: [] });
    // A replay changing the payload is still the same delivery: the first one stands.
    expect((await t.json('POST', '/v1/events', { ...event, value: 99 })).body).toEqual({ accepted: 0, duplicates: 1, attributed: 0, rejected: [] });
    const batch = await t.json('POST', '/v1/events', {
      events: [event, { ...event, idempotency_key: 'order-1002', value: 7 }, { ...event, idempotency_key: 'order-1002', value: 8 }],
    });
    expect(batch.body).toEqual({ accepted: 1, duplicates: 2, attributed: 0, rejected: [] });
    const rows = await t.deps.db
      .selectFrom('events').select(['idempotency_key', 'value']).where('idempotency_key', 'in', ['order-1001', 'order-1002']).orderBy('id').execute();
    expect(rows.map((r) => [r.idempotency_key, Number(r.value)])).toEqual([['order-1001', 42], ['order-1002', 7]]);
  });

  it('refuses malformed events with 422 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ contact_id: marie, type: 'Purchase' }, 'type'],
      [{ contact_id: marie, type: '' }, 'type'],
      [{ contact_id: marie, type: 'x', value: 'lots' }, 'value'],
      [{ contact_id: marie, type: 'x', occurred_at: 'yesterday' }, 'occurred_at'],
      [{ contact_id: marie, type: 'x', properties: [1, 2] }, 'properties'],
      [{ contact_id: -1, type: 'x' }, 'contact_id'],
      [{ contact_id: 1.5, type: 'x' }, 'contact_id'],
      [{ contact_id: String(marie), type: 'x' }, 'contact_id'],
    ];
    for (const [body, field] of cases) {
      const res = await t.json('POST', '/v1/events', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.details.map((d: any) => d.field), JSON.stringify(body)).toContain(field);
    }
    const empty = await t.json('POST', '/v1/events', { events: [] });
    expect(empty.status).toBe(422);
    const tooMany = await t.json('POST', '/v1/events', { events: Array.from({ length: 1001 }, () => ({ contact_id: marie, type: 'x' })) });
    expect(tooMany.status).toBe(422);
    expect(await t.deps.db.selectFrom('events').select('id').where('type', '=', 'x').execute()).toEqual([]);
  });

  it('accepts a full batch of 1,000', async () => {
    const res = await t.json('POST', '/v1/events', {
      events: Array.from({ length: 1000 }, (_, i) => ({ contact_id: i % 2 ? marie : paul, type: 'bulk', value: i, idempotency_key: `bulk-${i}` })),
    });
    expect(res.body).toEqual({ accepted: 1000, duplicates: 0, attributed: 0, rejected: [] });
    const sum = await t.deps.db
      .selectFrom('events').select((eb) => eb.fn.sum<number>('value').as('total')).where('type', '=', 'bulk').executeTakeFirstOrThrow();
    expect(Number(sum.total)).toBe(499500);
  });

  it('events go with their contact when it is deleted', async () => {
    const temp = (await t.json('POST', '/v1/contacts', { email: 'temp@example.fr' })).body.id;
    await t.json('POST', '/v1/events', { contact_id: temp, type: 'temp' });
    expect(await eventsOf(temp)).toHaveLength(1);
    expect((await t.call('DELETE', `/v1/contacts/${temp}`)).status).toBe(204);
    expect(await eventsOf(temp)).toHaveLength(0);
  });
});
