// Invalid rules get a 422 naming the JSON path of the faulty node; values are always parameters.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, type Dataset } from './dataset.js';

let d: Dataset;
beforeAll(async () => {
  d = await buildDataset({ engagement: false });
});
afterAll(() => d.t.close());

const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field);

describe('422 with JSON paths', () => {
  it('an unknown attribute or field', async () => {
    const problems = await d.problems({ all: [{ field: 'email', op: 'exists' }, { field: 'attributes.nope', op: 'eq', value: 1 }] });
    expect(problems).toEqual([{ field: 'rule.all[1].field', message: expect.stringContaining('"nope" is not declared') }]);
    expect(fields(await d.problems({ field: 'password', op: 'exists' }))).toEqual(['rule.field']);
    expect(fields(await d.problems({ field: 'address.planet', op: 'exists' }))).toEqual(['rule.field']);
    expect(fields(await d.problems({ any: [{ not: { field: 'attributes.nope', op: 'exists' } }] }))).toEqual(['rule.any[0].not.field']);
  });

  it('an operator that does not apply to the type (gt on a text attribute)', async () => {
    const problems = await d.problems({ field: 'attributes.ambassador', op: 'gt', value: 'M' });
    expect(problems).toEqual([{ field: 'rule.op', message: expect.stringContaining('gt does not apply to a text field') }]);
    expect(fields(await d.problems({ field: 'attributes.host', op: 'lt', value: true }))).toEqual(['rule.op']);
    expect(fields(await d.problems({ field: 'attributes.tier', op: 'contains', value: 'go' }))).toEqual(['rule.op']);
    expect(fields(await d.problems({ field: 'attributes.annual_revenue', op: 'anniversary_within_next_days', value: 3 }))).toEqual(['rule.op']);
    expect(fields(await d.problems({ field: 'email', op: 'like', value: 'a' }))).toEqual(['rule.op']);
    expect(fields(await d.problems({ event: 'purchase', where: [{ property: 'category', op: 'gt', value: 'a' }] }))).toEqual(['rule.where[0].op']);
  });

  it('a value of the wrong type', async () => {
    expect(await d.problems({ field: 'attributes.annual_revenue', op: 'gt', value: '800' })).toEqual([{ field: 'rule.value', message: 'must be a number' }]);
    expect(fields(await d.problems({ field: 'attributes.host', op: 'eq', value: 'yes' }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'attributes.tier', op: 'eq', value: 'platinum' }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'attributes.birthday', op: 'lt', value: 'soon' }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'created_at', op: 'gt', value: '2026-13-45T99:00:00Z' }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'email', op: 'eq', value: 3 }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'attributes.annual_revenue', op: 'between', value: [1, 'x'] }))).toEqual(['rule.value[1]']);
    expect(fields(await d.problems({ field: 'attributes.annual_revenue', op: 'in', value: [1, 2, '3'] }))).toEqual(['rule.value[2]']);
    // A value of the wrong shape is reported at the value too.
    expect(fields(await d.problems({ field: 'attributes.annual_revenue', op: 'between', value: [1] }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'attributes.tier', op: 'in', value: [] }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'email', op: 'contains', value: '' }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'created_at', op: 'within_last_days', value: -1 }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ field: 'attributes.birthday', op: 'anniversary_within_next_days', value: 400 }))).toEqual(['rule.value']);
    expect(fields(await d.problems({ event: 'purchase', count: { op: 'gte', value: '2' } }))).toEqual(['rule.count.value']);
    expect(fields(await d.problems({ event: 'purchase', sum: { op: 'about', value: 2 } }))).toEqual(['rule.sum.op']);
  });

  it('a malformed window: within_days 0, -1, 1.5', async () => {
    for (const bad of [0, -1, 1.5, '30']) {
      expect(fields(await d.problems({ event: 'purchase', within_days: bad }))).toEqual(['rule.within_days']);
      expect(fields(await d.problems({ all: [{ engagement: 'opened', within_days: bad }] }))).toEqual(['rule.all[0].within_days']);
      expect(fields(await d.problems({ top_percent: { percent: 20, by: { event: 'purchase', sum: 'value', within_days: bad } } }))).toEqual(['rule.top_percent.by.within_days']);
    }
    expect(fields(await d.problems({ engagement: 'opened', last_n_campaigns: 0 }))).toEqual(['rule.last_n_campaigns']);
  });

  it('an unknown topic', async () => {
    const problems = await d.problems({ subscribed: { channel: 'email', topic: 'nope' } });
    expect(problems).toEqual([{ field: 'rule.subscribed.topic', message: 'topic "nope" does not exist' }]);
    expect(fields(await d.problems({ subscribed: { channel: 'fax' } }))).toEqual(['rule.subscribed.channel']);
  });

  it('an unknown key, at the top of the rule and of the body', async () => {
    expect(fields(await d.problems({ field: 'email', op: 'exists', extra: 1 }))).toEqual(['rule.extra']);
    expect(fields(await d.problems({ everyone: true }))).toEqual(['rule']);
    const body = await d.t.json('POST', '/v1/segments/preview', { rule: { field: 'email', op: 'exists' }, extra: 1 });
    expect(body.status).toBe(422);
    expect(fields(body.body.error.details)).toEqual(['extra']);
  });

  it('an empty all list', async () => {
    expect(fields(await d.problems({ all: [] }))).toEqual(['rule.all']);
    expect(fields(await d.problems({ not: { any: [] } }))).toEqual(['rule.not.any']);
  });

  it('an unknown segment reference', async () => {
    expect(await d.problems({ segment: 999999 })).toEqual([{ field: 'rule.segment', message: 'segment 999999 does not exist' }]);
    expect(fields(await d.problems({ all: [{ field: 'email', op: 'exists' }, { segment: 999999 }] }))).toEqual(['rule.all[1].segment']);
  });

  it('an rfm range [5, 1]', async () => {
    expect(fields(await d.problems({ rfm: { recency: [5, 1] } }))).toEqual(['rule.rfm.recency']);
    expect(fields(await d.problems({ rfm: { monetary: [0, 5] } }))).toEqual(['rule.rfm.monetary']);
    expect(fields(await d.problems({ rfm: {} }))).toEqual(['rule.rfm']);
    expect(fields(await d.problems({ top_percent: { percent: 20, by: { field: 'attributes.ambassador' } } }))).toEqual(['rule.top_percent.by.field']);
    expect(fields(await d.problems({ top_percent: { percent: 0, by: { field: 'attributes.annual_revenue' } } }))).toEqual(['rule.top_percent.percent']);
  });

  it('every problem of a rule at once, and the same paths on create and patch', async () => {
    const rule = { all: [{ field: 'attributes.nope', op: 'eq', value: 1 }, { field: 'attributes.ambassador', op: 'gt', value: 'M' }] };
    expect(fields(await d.problems(rule))).toEqual(['rule.all[0].field', 'rule.all[1].op']);
    const created = await d.t.json('POST', '/v1/segments', { name: 'bad', rule });
    expect(created.status).toBe(422);
    expect(fields(created.body.error.details)).toEqual(['rule.all[0].field', 'rule.all[1].op']);
    const ok = await d.t.json('POST', '/v1/segments', { name: 'good', rule: { field: 'email', op: 'exists' } });
    const patched = await d.t.json('PATCH', `/v1/segments/${ok.body.id}`, { rule });
    expect(patched.status).toBe(422);
    expect(fields(patched.body.error.details)).toEqual(['rule.all[0].field', 'rule.all[1].op']);
    expect((await d.t.json('GET', '/v1/segments')).body.data.map((s: { name: string }) => s.name)).toEqual(['good']);
  });
});

describe('values are parameters', () => {
  const evil = "'; drop table contacts; --";

  it('SQL-looking text in values matches nobody and drops nothing', async () => {
    expect(await d.members({ field: 'attributes.ambassador', op: 'eq', value: evil })).toEqual([]);
    expect(await d.members({ field: 'email', op: 'contains', value: evil })).toEqual([]);
    expect(await d.members({ field: 'address.city', op: 'in', value: [evil, "Paris') or true --"] })).toEqual([]);
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'eq', value: evil }] })).toEqual([]);
    // Negations of such values keep everybody: the text was compared, not run.
    expect(await d.members({ field: 'attributes.ambassador', op: 'neq', value: evil })).toHaveLength(12);
    const count = await sql<{ n: number }>`select count(*)::int as n from contacts`.execute(d.t.deps.db);
    expect(count.rows[0].n).toBe(12);
  });

  it('names are checked, never interpolated', async () => {
    expect(fields(await d.problems({ field: "attributes.x'); drop table contacts; --", op: 'exists' }))).toEqual(['rule.field']);
    expect(fields(await d.problems({ event: "purchase'; drop table events; --" }))).toEqual(['rule.event']);
    expect(fields(await d.problems({ event: 'purchase', where: [{ property: "a' or 1=1 --", op: 'exists' }] }))).toEqual(['rule.where[0].property']);
    expect(fields(await d.problems({ event: 'purchase', sum: { property: 'value); drop table events; --', op: 'gt', value: 1 } }))).toEqual(['rule.sum.property']);
    expect(fields(await d.problems({ subscribed: { channel: 'email', topic: "news' or '1'='1" } }))).toEqual(['rule.subscribed.topic']);
    const count = await sql<{ n: number }>`select count(*)::int as n from events`.execute(d.t.deps.db);
    expect(count.rows[0].n).toBe(16);
  });
});

describe('a declaration changed after values were written', () => {
  it('converts the stored values, or is refused when some do not convert: rules on the attribute keep running', async () => {
    const redeclare = async (name: string, type: string, status: number) =>
      expect((await d.t.json('PUT', `/v1/attributes/${name}`, { type })).status, `${name} as ${type}`).toBe(status);
    // ambassador holds text ("Maryse", "50%_off"…), none of it a number; host holds booleans, none a date; birthday
    // holds dates, none a boolean: each change is refused and the rules read the values as before.
    await redeclare('ambassador', 'number', 409);
    await redeclare('host', 'date', 409);
    await redeclare('birthday', 'boolean', 409);
    expect(await d.members({ field: 'attributes.host', op: 'eq', value: true })).toEqual(['A', 'B', 'F', 'J']);
    // annual_revenue holds numbers: as text they compare as text, and convert back.
    await redeclare('annual_revenue', 'text', 200);
    expect(await d.members({ field: 'attributes.annual_revenue', op: 'eq', value: '950' })).toEqual(['D', 'F']);
    await redeclare('annual_revenue', 'number', 200);
    expect(await d.members({ field: 'attributes.annual_revenue', op: 'eq', value: 950 })).toEqual(['D', 'F']);
  });
});
