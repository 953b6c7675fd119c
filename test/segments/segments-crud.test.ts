// Segment CRUD, reachability previews, static lists and freezing a segment into one,
// on the hand-made dataset of dataset.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../support/fixtures.js';
import { buildDataset, type Dataset } from './dataset.js';

let d: Dataset;
let templateId: number;
beforeAll(async () => {
  d = await buildDataset({ engagement: false });
  templateId = await createTemplate(d.t, 'email');
});
afterAll(() => d.t.close());

async function segment(name: string, rule: unknown): Promise<number> {
  const res = await d.t.json('POST', '/v1/segments', { name, rule });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function launch(audience: unknown) {
  const created = await d.t.json('POST', '/v1/campaigns', { name: 'Campaign', channel: 'email', template_id: templateId, topic: 'news', audience });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as number;
  const launched = await d.t.json('POST', `/v1/campaigns/${id}/launch`);
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  await d.t.deps.background.idle();
  return id;
}

async function recipients(campaignId: number) {
  const rows = await d.t.deps.db.selectFrom('messages').select('contact_id').where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => d.letter.get(Number(r.contact_id))!).sort();
}

describe('freezing a segment into a list', () => {
  it('copies the current members, which then stay put', async () => {
    // starts_with "mar": A B G I J.
    const maryse = await segment('Maryse', { field: 'attributes.ambassador', op: 'starts_with', value: 'mar' });
    const frozen = await d.t.json('POST', `/v1/segments/${maryse}/freeze`, { name: 'Maryse, frozen' });
    expect(frozen.status).toBe(201);
    expect(frozen.body).toMatchObject({ name: 'Maryse, frozen', members: 5 });
    expect(await d.listMembers(frozen.body.list_id)).toEqual(['A', 'B', 'G', 'I', 'J']);
    // Without a body the list is named after the segment and today's date.
    const unnamed = await d.t.json('POST', `/v1/segments/${maryse}/freeze`);
    expect(unnamed.status).toBe(201);
    expect(unnamed.body.name).toBe('Maryse (2026-12-28)');
    // A later change of the segment leaves the list alone.
    await d.t.json('PATCH', `/v1/segments/${maryse}`, { rule: { field: 'attributes.ambassador', op: 'eq', value: 'Jean' } });
    expect(await d.listMembers(frozen.body.list_id)).toEqual(['A', 'B', 'G', 'I', 'J']);
    expect((await d.t.json('GET', `/v1/lists/${frozen.body.list_id}`)).body.members).toBe(5);
    // The frozen list is a campaign audience like any other.
    const id = await launch({ include: [{ list_id: frozen.body.list_id }] });
    expect(await recipients(id)).toEqual(['A', 'B', 'G', 'I', 'J']);
  });

  it('freezes rules whose exact answer needs more than one sample (event + engagement)', async () => {
    const never = await segment('Never bought', { event: 'purchase', count: { op: 'eq', value: 0 } });
    const frozen = await d.t.json('POST', `/v1/segments/${never}/freeze`);
    expect(frozen.body.members).toBe(3);
    expect(await d.listMembers(frozen.body.list_id)).toEqual(['G', 'I', 'L']);
  });
});

describe('segment CRUD', () => {
  it('list pagination, GET, PATCH name, DELETE (409 while referred to)', async () => {
    const existing = (await d.t.json('GET', '/v1/segments?limit=500')).body.data.length as number;
    const a = await segment('CRUD a', { field: 'locale', op: 'eq', value: 'fr' });
    const b = await segment('CRUD b', { segment: a });
    const c = await segment('CRUD c', { not: { segment: a } });

    const all = (await d.t.json('GET', '/v1/segments?limit=500')).body;
    expect(all.data.length).toBe(existing + 3);
    expect(all.next_cursor).toBeNull();
    // Walk the pages two at a time: every segment once, in id order.
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: Array<{ id: number }>; next_cursor: string | null } } =
        await d.t.json('GET', `/v1/segments?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((s) => s.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((s: { id: number }) => s.id));
    expect(seen.slice(-3)).toEqual([a, b, c]);

    const got = await d.t.json('GET', `/v1/segments/${b}`);
    expect(got.body).toMatchObject({ id: b, name: 'CRUD b', rule: { segment: a } });
    expect((await d.t.json('GET', '/v1/segments/999999')).status).toBe(404);

    const renamed = await d.t.json('PATCH', `/v1/segments/${b}`, { name: 'CRUD b renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'CRUD b renamed', rule: { segment: a } });
    expect((await d.t.json('PATCH', '/v1/segments/999999', { name: 'x' })).status).toBe(404);

    // a is used by b and c.
    const refused = await d.t.json('DELETE', `/v1/segments/${a}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`${b}, ${c}`);
    expect((await d.t.json('DELETE', `/v1/segments/${b}`)).status).toBe(204);
    expect((await d.t.json('DELETE', `/v1/segments/${a}`)).status).toBe(409);
    // c no longer refers to a once its rule changes.
    expect((await d.t.json('PATCH', `/v1/segments/${c}`, { rule: { field: 'locale', op: 'eq', value: 'en' } })).status).toBe(200);
    expect((await d.t.json('DELETE', `/v1/segments/${a}`)).status).toBe(204);
    expect((await d.t.json('GET', `/v1/segments/${a}`)).status).toBe(404);
    expect((await d.t.json('DELETE', `/v1/segments/${a}`)).status).toBe(404);
  });

  it('GET /v1/segments/{id}/preview: count, sample and reachability per channel', async () => {
    // locale starting with fr: A C D F G I J L.
    const id = await segment('French', { field: 'locale', op: 'starts_with', value: 'fr' });
    const preview = await d.t.json('GET', `/v1/segments/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(8);
    expect(preview.body.sample.map((c: { external_id: string }) => c.external_id)).toEqual(['A', 'C', 'D', 'F', 'G', 'I', 'J', 'L']);
    expect(preview.body.reachability).toEqual({
      // Emails: all but C and L. Phones: A C G I. Postal needs line1, postcode and city: A G L (D has a city only).
      // Subscribed: email news A F J, email promo A D; sms news A, sms promo C; postal news G.
      // Nobody has been sent anything yet, and Monday 13:00 in Paris is inside the SMS window.
      email: { with_address: 6, suppressed: 0, subscribed: { news: 3, promo: 2 }, capped: {}, deferred_by_quiet_hours: 0 },
      sms: { with_address: 4, suppressed: 0, subscribed: { news: 1, promo: 1 }, capped: {}, deferred_by_quiet_hours: 0 },
      postal: { with_address: 3, subscribed: { news: 1 }, capped: {}, deferred_by_quiet_hours: 0 },
      // Webhook: every contact is reachable (the endpoint is the campaign's); nobody subscribed to it.
      webhook: { with_address: 8, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
      // Calls reach the same phones; Monday 13:00 in Paris is the calls' lunch break, so every call would wait.
      call: { with_address: 4, suppressed: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 4 },
    });
  });

  it('reachability of everyone, and of nobody', async () => {
    const everyone = await d.t.json('POST', '/v1/segments/preview', { rule: { field: 'created_at', op: 'exists' } });
    expect(everyone.body.count).toBe(12);
    expect(everyone.body.reachability).toEqual({
      // E's email news subscription is "unsubscribed", so email news counts A B F J.
      email: { with_address: 10, suppressed: 0, subscribed: { news: 4, promo: 2 }, capped: {}, deferred_by_quiet_hours: 0 },
      sms: { with_address: 6, suppressed: 0, subscribed: { news: 2, promo: 1 }, capped: {}, deferred_by_quiet_hours: 0 },
      postal: { with_address: 5, subscribed: { news: 1 }, capped: {}, deferred_by_quiet_hours: 0 },
      webhook: { with_address: 12, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
      call: { with_address: 6, suppressed: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 6 },
    });
    // A suppressed address is counted as such (and stays suppressed for later tests: it is removed below).
    const added = await d.t.json('POST', '/v1/suppressions', { channel: 'email', address: 'A@example.fr', reason: 'manual' });
    const again = await d.t.json('POST', '/v1/segments/preview', { rule: { field: 'created_at', op: 'exists' } });
    expect(again.body.reachability.email).toEqual({ with_address: 10, suppressed: 1, subscribed: { news: 4, promo: 2 }, capped: {}, deferred_by_quiet_hours: 0 });
    expect((await d.t.call('DELETE', `/v1/suppressions/${added.body.id}`)).status).toBe(204);
    const nobody = await d.t.json('POST', '/v1/segments/preview', { rule: { field: 'email', op: 'eq', value: 'nobody@example.fr' } });
    expect(nobody.body).toEqual({
      count: 0, sample: [],
      reachability: {
        email: { with_address: 0, suppressed: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
        sms: { with_address: 0, suppressed: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
        postal: { with_address: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
        webhook: { with_address: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
        call: { with_address: 0, suppressed: 0, subscribed: {}, capped: {}, deferred_by_quiet_hours: 0 },
      },
    });
  });
});
