// A rule is limited once the segments it refers to are written out (conditions, listed values, depth of references),
// when it is saved and again whenever it is used: a segment it refers to may have grown since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { segmentRoutes } from '../../src/segments/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

let t: TestApp;
let templateId: number;
beforeAll(async () => {
  t = await createTestApp();
  await createTopic(t, 'news');
  templateId = await createTemplate(t, 'email');
  for (const email of ['a@example.fr', 'b@example.fr', 'c@example.fr']) {
    await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news', status: 'subscribed' }] });
  }
});
afterAll(() => t.close());

const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
const refs = (id: number, n: number) => ({ any: many(n, () => ({ segment: id })) });
const big = { any: many(499, (i) => ({ field: 'email', op: 'eq', value: `x${i}@example.fr` })) };
const small = { field: 'email', op: 'exists' };

async function save(name: string, rule: unknown) {
  return expectStatus(await t.api(segmentRoutes.createSegmentRoute, { json: { name, rule: rule as Record<string, unknown> } }), 201).id;
}
const create = (rule: unknown) => t.json('POST', '/v1/segments', { name: 'x', rule });
const preview = (rule: unknown) => t.json('POST', '/v1/segments/preview', { rule });

describe('the reference bomb of the review', () => {
  it('499 conditions referenced 100 times is refused when saved, naming the limit', async () => {
    const a = await save('A', big);
    // B written out: 1 + 100 × (1 + 500) = 50,101 conditions; 100 × 499 = 49,900 values.
    const b = await create(refs(a, 100));
    expect(b.status).toBe(422);
    expect(b.body.error.details).toEqual([
      { field: 'rule', message: 'the rule has 50,101 conditions (counting the segments it refers to), over the limit of 2,000' },
      { field: 'rule', message: 'the rule lists 49,900 values (counting the segments it refers to), over the limit of 10,000' },
    ]);
    // The same rule, unsaved: the same answer from the preview.
    const c = await preview(refs(a, 100));
    expect(c.status).toBe(422);
    expect(c.body.error.details).toEqual(b.body.error.details);
    expect((await t.json('GET', '/health')).status).toBe(200);
  });

  it('a patch that would make the rule too big is refused and leaves the segment as it was', async () => {
    const a = await save('A2', big);
    const b = await save('B2', { segment: a });
    const patched = await t.json('PATCH', `/v1/segments/${b}`, { rule: refs(a, 5) });
    expect(patched.status).toBe(422);
    expect(patched.body.error.details[0].message).toBe('the rule has 2,506 conditions (counting the segments it refers to), over the limit of 2,000');
    expect((await t.json('GET', `/v1/segments/${b}`)).body.rule).toEqual({ segment: a });
  });

  it('listed values count: eleven lists of 1,000', async () => {
    const res = await preview({ any: many(11, (i) => ({ field: 'email', op: 'in', value: many(1000, (j) => `${i}-${j}@example.fr`) })) });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'rule', message: 'the rule lists 11,000 values (counting the segments it refers to), over the limit of 10,000' }]);
    // Ten of them are within the limit.
    const ok = await preview({ any: many(10, (i) => ({ field: 'email', op: 'in', value: many(1000, (j) => `${i}-${j}@example.fr`) })) });
    expect(ok.status).toBe(200);
    expect(ok.body.count).toBe(0);
  });
});

describe('references nest at most 5 deep', () => {
  it('a sixth level is refused on save and on preview', async () => {
    let id = await save('L0', small);
    for (let level = 1; level <= 5; level++) id = await save(`L${level}`, { segment: id });
    // L5 reaches L0 through five references: fine, and it finds the three contacts.
    expect(expectStatus(await t.api(segmentRoutes.previewSegmentRoute, { param: { id } }), 200).count).toBe(3);
    const sixth = await create({ segment: id });
    expect(sixth.status).toBe(422);
    expect(sixth.body.error.details).toEqual([{ field: 'rule', message: 'segment references nest more than 5 deep, over the limit of 5' }]);
    expect((await preview({ not: { segment: id } })).status).toBe(422);
  });
});

describe('a referenced segment that grows later', () => {
  // A is small; B refers to A 20 times (1 + 20 × 2 = 41 conditions), C to B 20 times (1 + 20 × 42 = 841).
  // Then A becomes 500 conditions and 499 values (fine on its own): B is now 1 + 20 × 501 = 10,021 conditions and
  // 9,980 values, C 1 + 20 × 10,022 = 200,441 conditions and 199,600 values, over both limits.
  let a: number, b: number, c: number, campaign: number;
  beforeAll(async () => {
    a = await save('A', small);
    b = await save('B', refs(a, 20));
    c = await save('C', refs(b, 20));
    campaign = await createCampaign(t, { template_id: templateId, topic: 'news', audience: { segment_id: c } });
    expectStatus(await t.api(segmentRoutes.patchSegmentRoute, { param: { id: a }, json: { rule: big } }), 200);
  });

  const tooBig = 'the rule has 200,441 conditions (counting the segments it refers to), over the limit of 2,000';
  const tooMany = 'the rule lists 199,600 values (counting the segments it refers to), over the limit of 10,000';
  const overLimits = [{ field: 'rule', message: tooBig }, { field: 'rule', message: tooMany }];

  it('previews and freezes of C answer 422 naming the limit', async () => {
    const byId = await t.api(segmentRoutes.previewSegmentRoute, { param: { id: c } });
    expect(byId.status).toBe(422);
    expect(byId.body).toMatchObject({ error: { code: 'invalid_input', details: overLimits } });
    expect((await preview({ segment: c })).body.error.details[0].message).toBe(
      'the rule has 200,442 conditions (counting the segments it refers to), over the limit of 2,000');
    const frozen = await t.json('POST', `/v1/segments/${c}/freeze`);
    expect(frozen.status).toBe(422);
    expect(frozen.body.error.details).toEqual(overLimits);
    expect((await t.json('GET', '/v1/lists')).body.data).toEqual([]);
  });

  it('the campaign on C: preview and launch answer 422, and the campaign stays a draft with nobody in its ledger', async () => {
    const details = [{ field: 'audience', message: `segment ${c}, rule: ${tooBig}` }, { field: 'audience', message: `segment ${c}, rule: ${tooMany}` }];
    const previewed = await t.api(campaignRoutes.previewCampaignRoute, { param: { id: campaign } });
    expect(previewed.status).toBe(422);
    expect(previewed.body).toMatchObject({ error: { details } });
    const launched = await t.api(campaignRoutes.launchCampaignRoute, { param: { id: campaign } });
    expect(launched.status).toBe(422);
    expect(launched.body).toMatchObject({ error: { details } });
    expect(expectStatus(await t.api(campaignRoutes.getCampaignRoute, { param: { id: campaign } }), 200)).toMatchObject({ status: 'draft', counts: { audience: 0 } });
  });

  it('a new campaign on C is refused when it is created', async () => {
    const res = await t.json('POST', '/v1/campaigns', { name: 'C', channel: 'email', template_id: templateId, topic: 'news', audience: { include: [{ segment_id: c }] } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { field: 'audience', message: `segment ${c}, rule: ${tooBig}` }, { field: 'audience', message: `segment ${c}, rule: ${tooMany}` },
    ]);
  });

  it('the segments of one audience share the limit', async () => {
    // B2 alone is 1 + 3 × (1 + 500) = 1,504 conditions: fine; two of them in one audience are 3,008.
    const b2 = await save('B2', refs(a, 3));
    const b3 = await save('B3', refs(a, 3));
    const res = await t.json('POST', '/v1/campaigns', {
      name: 'two', channel: 'email', template_id: templateId, topic: 'news', audience: { include: [{ segment_id: b2 }], exclude: [{ segment_id: b3 }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { field: 'audience', message: `segment ${b3}, rule: the rule has 3,008 conditions (counting the segments it refers to), over the limit of 2,000` },
    ]);
  });

  it('once A is small again, the same campaign launches', async () => {
    expectStatus(await t.api(segmentRoutes.patchSegmentRoute, { param: { id: a }, json: { rule: small } }), 200);
    expect((await launch(t, campaign)).counts).toMatchObject({ audience: 3, targeted: 3 });
  });
});
