// Segments as campaign audiences: evaluated once, at launch, as a snapshot; include/exclude of segments and lists.
// Exact recipients on the hand-made dataset of dataset.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTemplate } from '../support/fixtures.js';
import { buildDataset, type Dataset } from './dataset.js';

let d: Dataset;
let templateId: number;
beforeAll(async () => {
  d = await buildDataset({ engagement: false });
  templateId = await createTemplate(d.t, 'email');
});
// A launch that never returns would hold the database's only PGlite connection: the tests after it then fail at
// once, and closing does not wait for it.
let stuck = false;
beforeEach(() => {
  if (stuck) throw new Error('an earlier launch never returned');
});
afterAll(() => (stuck ? Promise.race([d.t.close(), new Promise((r) => setTimeout(r, 1000))]) : d.t.close()));

async function withinSeconds<T>(seconds: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stuck = true;
      reject(new Error(`${what} did not return within ${seconds} s`));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function segment(name: string, rule: unknown): Promise<number> {
  const res = await d.t.json('POST', '/v1/segments', { name, rule });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function launch(audience: unknown) {
  const created = await d.t.json('POST', '/v1/campaigns', { name: 'Campaign', channel: 'email', template_id: templateId, topic: 'news', audience });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as number;
  const launched = await withinSeconds(15, d.t.json('POST', `/v1/campaigns/${id}/launch`), 'the launch');
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  await d.t.deps.background.idle();
  return id;
}

async function recipients(campaignId: number) {
  const rows = await d.t.deps.db.selectFrom('messages').select('contact_id').where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => d.letter.get(Number(r.contact_id))!).sort();
}

async function newList(letters: string[]) {
  const list = await d.t.json('POST', '/v1/lists', { name: `list ${letters.join('')}` });
  const added = await d.t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: letters.map((l) => d.id[l as 'A']) });
  expect(added.body.added).toBe(letters.length);
  return list.body.id as number;
}

describe('campaign audiences', () => {
  it('{segment_id} snapshots exactly the members at launch; later edits do not change the running campaign', async () => {
    // gold: A, E, J. On email/news: A and J are subscribed, E unsubscribed.
    const gold = await segment('Gold', { field: 'attributes.tier', op: 'eq', value: 'gold' });
    const id = await launch({ segment_id: gold });
    const before = (await d.t.json('GET', `/v1/campaigns/${id}`)).body.counts;
    expect(before).toMatchObject({ audience: 3, targeted: 2, skipped: { unsubscribed: 1 } });
    expect(await recipients(id)).toEqual(['A', 'E', 'J']);

    // The segment now means silver (B, F, H), and K became gold: the campaign keeps A, E, J.
    expect((await d.t.json('PATCH', `/v1/segments/${gold}`, { rule: { field: 'attributes.tier', op: 'eq', value: 'silver' } })).status).toBe(200);
    expect((await d.t.json('PATCH', `/v1/contacts/${d.id.K}`, { attributes: { tier: 'gold' } })).status).toBe(200);
    expect(await d.members({ segment: gold })).toEqual(['B', 'F', 'H']);
    // Launching again is refused or a no-op; either way the ledger is unchanged.
    await d.t.json('POST', `/v1/campaigns/${id}/launch`);
    await d.t.deps.background.idle();
    expect(await recipients(id)).toEqual(['A', 'E', 'J']);
    expect((await d.t.json('GET', `/v1/campaigns/${id}`)).body.counts.audience).toBe(3);
    await d.t.json('PATCH', `/v1/contacts/${d.id.K}`, { attributes: { tier: 'bronze' } });
  });

  it('{include: [segment, list], exclude: [segment]} gives the exact set', async () => {
    // gold A E J ∪ list {C, F, K} = A C E F J K; minus hosts A B F J → C, E, K.
    const gold = await segment('Gold again', { field: 'attributes.tier', op: 'eq', value: 'gold' });
    const hosts = await segment('Hosts', { field: 'attributes.host', op: 'eq', value: true });
    const list = await newList(['C', 'F', 'K']);
    const id = await launch({ include: [{ segment_id: gold }, { list_id: list }], exclude: [{ segment_id: hosts }] });
    expect(await recipients(id)).toEqual(['C', 'E', 'K']);
    // C has no email, E unsubscribed, K never subscribed to news.
    expect((await d.t.json('GET', `/v1/campaigns/${id}`)).body.counts).toMatchObject({
      audience: 3, targeted: 0, skipped: { no_address: 1, unsubscribed: 1, not_subscribed: 1 },
    });
  });

  it('excluding a list, and excluding a segment whose condition is unknown for some contacts', async () => {
    // Revenue > 500: A B D F K. Excluding "revenue < 900" (B K; E and L have no revenue and are not excluded).
    const rich = await segment('Rich', { field: 'attributes.annual_revenue', op: 'gt', value: 500 });
    const low = await segment('Below 900', { field: 'attributes.annual_revenue', op: 'lt', value: 900 });
    const list = await newList(['D']);
    const id = await launch({ include: [{ segment_id: rich }], exclude: [{ segment_id: low }, { list_id: list }] });
    expect(await recipients(id)).toEqual(['A', 'F']);
    // Everyone with an email but neither of the two lists' contacts.
    const other = await newList(['A', 'B']);
    const id2 = await launch({ include: [{ segment_id: await segment('Has email', { field: 'email', op: 'exists' }) }], exclude: [{ list_id: other }, { list_id: list }] });
    expect(await recipients(id2)).toEqual(['E', 'F', 'G', 'H', 'I', 'J', 'K']);
  });

  it('an audience segment that refers to other segments', async () => {
    const hosts = await segment('Hosts (ref)', { field: 'attributes.host', op: 'eq', value: true });
    const frHosts = await segment('French hosts', { all: [{ segment: hosts }, { field: 'locale', op: 'eq', value: 'fr' }] });
    // Hosts A B F J; locale fr excludes B (en).
    const id = await launch({ segment_id: frHosts });
    expect(await recipients(id)).toEqual(['A', 'F', 'J']);
  });
});
