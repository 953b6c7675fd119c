// Values checked against the field's type on save, on preview and on use: each of these answered 500 before,
// and a saved `created_at gt "2024"` made its campaign's preview and launch answer 500 too.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { NUL_MESSAGE, SURROGATE_MESSAGE } from '../../src/http/storable.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic } from '../support/fixtures.js';

let t: TestApp;
let templateId: number;
let ids: number[];
beforeAll(async () => {
  t = await createTestApp();
  await createTopic(t, 'news');
  templateId = await createTemplate(t, 'email');
  expect((await t.json('PUT', '/v1/attributes/annual_revenue', { type: 'number' })).status).toBeLessThan(300);
  ids = [];
  for (const [email, revenue] of [['a@example.fr', 1200], ['b@example.fr', 800]] as const) {
    ids.push((await createContact(t, { email, attributes: { annual_revenue: revenue } })).id);
  }
  await t.json('POST', '/v1/events', { contact_id: ids[0], type: 'purchase', value: 10, occurred_at: '2026-01-10T10:00:00Z' });
});
afterAll(() => t.close());

async function problems(rule: unknown) {
  const saved = await t.json('POST', '/v1/segments', { name: 'x', rule });
  const previewed = await t.json('POST', '/v1/segments/preview', { rule });
  expect([saved.status, previewed.status], JSON.stringify([saved.body, previewed.body])).toEqual([422, 422]);
  expect(saved.body.error.details).toEqual(previewed.body.error.details);
  return saved.body.error.details as Array<{ field: string; message: string }>;
}
const count = async (rule: unknown) => {
  const res = await t.json('POST', '/v1/segments/preview', { rule });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.count as number;
};

const TIMESTAMP = 'must be a date such as 2026-05-17 or a date-time such as 2026-05-17T09:30:00Z, in the years 1000 to 9999';

describe('the values the review sent', () => {
  it('created_at gt "2024"', async () => {
    expect(await problems({ field: 'created_at', op: 'gt', value: '2024' })).toEqual([{ field: 'rule.value', message: TIMESTAMP }]);
    expect(await problems({ all: [{ field: 'email', op: 'exists' }, { field: 'updated_at', op: 'between', value: ['2024-01-01', 'March 2024'] }] }))
      .toEqual([{ field: 'rule.all[1].value[1]', message: TIMESTAMP }]);
  });

  it('id eq 1.5 and id eq 1e30', async () => {
    expect(await problems({ field: 'id', op: 'eq', value: 1.5 })).toEqual([{ field: 'rule.value', message: 'must be a whole number' }]);
    expect(await problems({ field: 'id', op: 'in', value: [1, 1e30] }))
      .toEqual([{ field: 'rule.value[1]', message: 'must be a whole number between -9007199254740991 and 9007199254740991' }]);
  });

  it('an event count of 1.5, or beyond an integer column', async () => {
    expect(await problems({ event: 'purchase', count: { op: 'gte', value: 1.5 } })).toEqual([{ field: 'rule.count.value', message: 'must be a whole number' }]);
    expect(await problems({ event: 'purchase', within_days: 30, count: { op: 'lt', value: 3e9 } }))
      .toEqual([{ field: 'rule.count.value', message: 'must be a whole number between 0 and 2147483647' }]);
    expect(await problems({ engagement: 'opened', count: { op: 'eq', value: 0.5 } })).toEqual([{ field: 'rule.count.value', message: 'must be a whole number' }]);
  });

  it('out-of-range instants', async () => {
    for (const value of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '2026-02-30T10:00:00Z']) {
      expect(await problems({ field: 'created_at', op: 'lt', value })).toEqual([{ field: 'rule.value', message: TIMESTAMP }]);
    }
  });

  it('NUL characters, lone surrogates and nested objects', async () => {
    expect(await problems({ field: 'email', op: 'eq', value: 'a\u0000b' })).toEqual([{ field: 'rule.value', message: NUL_MESSAGE }]);
    expect(await problems({ field: 'email', op: 'contains', value: '\ud800' })).toEqual([{ field: 'rule.value', message: SURROGATE_MESSAGE }]);
    expect(await problems({ event: 'purchase', where: [{ property: 'category', op: 'eq', value: { nested: true } }] }))
      .toEqual([{ field: 'rule.where[0].value', message: 'must be a value, or a list of values' }]);
  });
});

describe('values in range still work', () => {
  it('dates, date-times, ids, counts and large numbers', async () => {
    expect(await count({ field: 'created_at', op: 'gt', value: '2024-01-01' })).toBe(2);
    expect(await count({ field: 'created_at', op: 'lt', value: '9999-12-31T23:59:59Z' })).toBe(2);
    expect(await count({ field: 'id', op: 'eq', value: ids[1] })).toBe(1);
    expect(await count({ field: 'id', op: 'lt', value: Number.MAX_SAFE_INTEGER })).toBe(2);
    expect(await count({ event: 'purchase', count: { op: 'eq', value: 1 } })).toBe(1);
    expect(await count({ event: 'purchase', within_days: 36500, count: { op: 'lt', value: 2_147_483_647 } })).toBe(2);
    expect(await count({ event: 'purchase', sum: { op: 'gt', value: 9.5 } })).toBe(1);
    expect(await count({ field: 'attributes.annual_revenue', op: 'lt', value: Number.MAX_VALUE })).toBe(2);
    expect(await count({ field: 'attributes.annual_revenue', op: 'gt', value: 999.99 })).toBe(1);
  });
});

describe('a rule saved before these checks', () => {
  it('makes its campaign preview and launch answer 422, not 500', async () => {
    // Written straight into the table, as the old code let it be saved.
    const row = await sql<{ id: number }>`insert into segments (name, rule, created_at, updated_at)
      values ('since 2024', ${JSON.stringify({ field: 'created_at', op: 'gt', value: '2024' })}::jsonb, now(), now()) returning id`.execute(t.deps.db);
    const segment = Number(row.rows[0].id);
    const details = [{ field: 'audience', message: `segment ${segment}, rule.value: ${TIMESTAMP}` }];

    expect((await t.json('GET', `/v1/segments/${segment}/preview`)).body.error.details).toEqual([{ field: 'rule.value', message: TIMESTAMP }]);
    // A campaign on it can no longer be created…
    const created = await t.json('POST', '/v1/campaigns', { name: 'c', channel: 'email', template_id: templateId, topic: 'news', audience: { segment_id: segment } });
    expect(created.status).toBe(422);
    expect(created.body.error.details).toEqual(details);
    // …and one created before (here: audience changed in the table) answers 422 on preview and launch.
    const campaign = await createCampaign(t, { template_id: templateId, topic: 'news' });
    await sql`update campaigns set audience = ${JSON.stringify({ segment_id: segment })}::jsonb where id = ${campaign}`.execute(t.deps.db);
    const previewed = await t.api(campaignRoutes.previewCampaignRoute, { param: { id: campaign } });
    expect(previewed.status).toBe(422);
    expect(previewed.body).toMatchObject({ error: { code: 'invalid_input', details } });
    const launched = await t.api(campaignRoutes.launchCampaignRoute, { param: { id: campaign } });
    expect(launched.status).toBe(422);
    expect(launched.body).toMatchObject({ error: { code: 'invalid_input', details } });
    expect(expectStatus(await t.api(campaignRoutes.getCampaignRoute, { param: { id: campaign } }), 200).status).toBe('draft');
  });
});
