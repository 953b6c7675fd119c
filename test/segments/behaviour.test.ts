// Event, engagement, consent, lifecycle, top-percent, RFM and reference rules, with the exact members expected
// on the hand-made dataset (see dataset.ts for the purchases, campaigns and subscriptions the comments refer to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, type Dataset } from './dataset.js';

let d: Dataset;
beforeAll(async () => {
  d = await buildDataset();
});
afterAll(() => d.t.close());

describe('event rules', () => {
  it('at least once, by default', async () => {
    expect(await d.members({ event: 'purchase' })).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'J', 'K']);
    expect(await d.members({ event: 'page_view' })).toEqual(['G']);
    expect(await d.members({ event: 'refund' })).toEqual([]);
  });

  it('within_days', async () => {
    // Last 30 days: A (10d), B (5d), F (20d), J (15d). K's latest is 35 days ago.
    expect(await d.members({ event: 'purchase', within_days: 30 })).toEqual(['A', 'B', 'F', 'J']);
    // Last 90 days adds C (60d) and K (35d).
    expect(await d.members({ event: 'purchase', within_days: 90 })).toEqual(['A', 'B', 'C', 'F', 'J', 'K']);
  });

  it('where on a string property', async () => {
    // category = "shoes" exactly: A, E, F, J. C wrote "Shoes" and "SHOES".
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'eq', value: 'shoes' }] })).toEqual(['A', 'E', 'F', 'J']);
    // contains ignores case, so C is in.
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'contains', value: 'shoe' }] })).toEqual(['A', 'C', 'E', 'F', 'J']);
    // Shoes in the last 30 days: A (10d), F (20d), J (15d); B bought bags.
    expect(await d.members({ event: 'purchase', within_days: 30, where: [{ property: 'category', op: 'eq', value: 'shoes' }] })).toEqual(['A', 'F', 'J']);
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'in', value: ['bags'] }] })).toEqual(['A', 'B', 'D', 'H', 'K']);
  });

  it('where on a number property', async () => {
    // items ≥ 2: A (2), B (3), C (5). D's items is the string "2": not a number, so no match.
    expect(await d.members({ event: 'purchase', where: [{ property: 'items', op: 'gte', value: 2 }] })).toEqual(['A', 'B', 'C']);
    expect(await d.members({ event: 'purchase', where: [{ property: 'items', op: 'eq', value: 1 }] })).toEqual(['A', 'C', 'J']);
    // The event's own value: one purchase above 200 — B (300), D (500), H (1000).
    expect(await d.members({ event: 'purchase', where: [{ property: 'value', op: 'gt', value: 200 }] })).toEqual(['B', 'D', 'H']);
    // Two conditions on the same event: a shoe purchase with items ≥ 2 is only A's (C's SHOES is not "shoes").
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'eq', value: 'shoes' }, { property: 'items', op: 'gte', value: 2 }] })).toEqual(['A']);
  });

  it('count gte 2, eq 0 (never), lt 2 (includes contacts with no events), neq 1', async () => {
    // Purchase counts: A 2, B 1, C 2, D 1, E 2, F 3, H 1, J 1, K 2; G, I, L none.
    expect(await d.members({ event: 'purchase', count: { op: 'gte', value: 2 } })).toEqual(['A', 'C', 'E', 'F', 'K']);
    expect(await d.members({ event: 'purchase', count: { op: 'eq', value: 0 } })).toEqual(['G', 'I', 'L']);
    expect(await d.members({ event: 'purchase', count: { op: 'lt', value: 2 } })).toEqual(['B', 'D', 'G', 'H', 'I', 'J', 'L']);
    expect(await d.members({ event: 'purchase', count: { op: 'neq', value: 1 } })).toEqual(['A', 'C', 'E', 'F', 'G', 'I', 'K', 'L']);
    // Within 90 days the counts are A 1, B 1, C 1, F 3, J 1, K 1.
    expect(await d.members({ event: 'purchase', within_days: 90, count: { op: 'gte', value: 2 } })).toEqual(['F']);
    // No purchase in the last 30 days (never included).
    expect(await d.members({ event: 'purchase', within_days: 30, count: { op: 'eq', value: 0 } })).toEqual(['C', 'D', 'E', 'G', 'H', 'I', 'K', 'L']);
    // "signed up but never ordered"
    expect(await d.members({ all: [{ field: 'created_at', op: 'exists' }, { event: 'purchase', count: { op: 'eq', value: 0 } }] })).toEqual(['G', 'I', 'L']);
  });

  it('"ever" and "never" counts on any event, and all-time purchase counts and totals (read from contact_stats)', async () => {
    // page_view: only G. "Ever" written three ways, "never" two ways.
    for (const count of [{ op: 'gte', value: 1 }, { op: 'gt', value: 0 }, { op: 'neq', value: 0 }]) {
      expect(await d.members({ event: 'page_view', count })).toEqual(['G']);
    }
    for (const count of [{ op: 'eq', value: 0 }, { op: 'lt', value: 1 }]) {
      expect(await d.members({ event: 'page_view', count })).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'I', 'J', 'K', 'L']);
    }
    // Purchase counts A 2, B 1, C 2, D 1, E 2, F 3, H 1, J 1, K 2. "At most one" includes those who never bought.
    expect(await d.members({ event: 'purchase', count: { op: 'lte', value: 1 } })).toEqual(['B', 'D', 'G', 'H', 'I', 'J', 'L']);
    expect(await d.members({ event: 'purchase', count: { op: 'eq', value: 3 } })).toEqual(['F']);
    expect(await d.members({ event: 'purchase', count: { op: 'gt', value: 0 } })).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'J', 'K']);
    // All-time totals: A 150, B 300, C 50, D 500, E 120, F 30, H 1000, J 60, K 300; G I L 0.
    expect(await d.members({ event: 'purchase', sum: { op: 'lte', value: 60 } })).toEqual(['C', 'F', 'G', 'I', 'J', 'L']);
    expect(await d.members({ event: 'purchase', sum: { op: 'eq', value: 300 } })).toEqual(['B', 'K']);
    // The same questions with a where clause go to the events themselves: bags only (A 50, B 300, D 500, H 1000, K 300).
    expect(await d.members({ event: 'purchase', where: [{ property: 'category', op: 'eq', value: 'bags' }], sum: { op: 'gte', value: 300 } })).toEqual(['B', 'D', 'H', 'K']);
    expect(await d.members({ not: { event: 'purchase', count: { op: 'gte', value: 2 } } })).toEqual(['B', 'D', 'G', 'H', 'I', 'J', 'L']);
  });

  it('sum gt with within_days 90', async () => {
    // Sums over 90 days: A 100, B 300, C 30, F 30, J 60, K 100 (H, D, E bought earlier).
    expect(await d.members({ event: 'purchase', within_days: 90, sum: { property: 'value', op: 'gt', value: 50 } })).toEqual(['A', 'B', 'J', 'K']);
    expect(await d.members({ event: 'purchase', within_days: 90, sum: { op: 'gt', value: 100 } })).toEqual(['B']);
    // ≤ 30 is satisfied by a sum of 0, so those without a purchase in 90 days are in: D E G H I L, plus C and F (30).
    expect(await d.members({ event: 'purchase', within_days: 90, sum: { property: 'value', op: 'lte', value: 30 } })).toEqual(['C', 'D', 'E', 'F', 'G', 'H', 'I', 'L']);
    // Summing a property: items A 2+1, B 3, C 1+5, J 1 (D's "2" is text and is not added).
    expect(await d.members({ event: 'purchase', sum: { property: 'items', op: 'gte', value: 3 } })).toEqual(['A', 'B', 'C']);
    // count and sum together: count ≥ 2 (A C E F K) and all-time sum > 100 (A 150, B, D, E 120, H, K 300).
    expect(await d.members({ event: 'purchase', count: { op: 'gte', value: 2 }, sum: { op: 'gt', value: 100 } })).toEqual(['A', 'E', 'K']);
  });
});

describe('engagement rules', () => {
  it('received, by campaign and within days; failed and skipped messages are not received', async () => {
    // C2 went to A, B, C; D's message failed.
    expect(await d.members({ engagement: 'received', campaign_id: d.campaign.C2 })).toEqual(['A', 'B', 'C']);
    // Sent in the last 15 days: C4 (10d) to A, B, C, E; F's C4 message was skipped.
    expect(await d.members({ engagement: 'received', within_days: 15 })).toEqual(['A', 'B', 'C', 'E']);
    expect(await d.members({ engagement: 'received', count: { op: 'eq', value: 0 } })).toEqual(['D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members({ engagement: 'received', count: { op: 'gte', value: 4 } })).toEqual(['A', 'B', 'C']);
  });

  it('opened', async () => {
    // Opens: A (C1 39d, C2 29d), B (C3 19d), C (C1 39d), E (C4 9d).
    expect(await d.members({ engagement: 'opened' })).toEqual(['A', 'B', 'C', 'E']);
    expect(await d.members({ engagement: 'opened', campaign_id: d.campaign.C1 })).toEqual(['A', 'C']);
    expect(await d.members({ engagement: 'opened', within_days: 15 })).toEqual(['E']);
    expect(await d.members({ engagement: 'opened', within_days: 30 })).toEqual(['A', 'B', 'E']);
    expect(await d.members({ engagement: 'opened', count: { op: 'gte', value: 2 } })).toEqual(['A']);
  });

  it('clicked', async () => {
    // Clicks: B (C3 19d), C (C1 39d).
    expect(await d.members({ engagement: 'clicked' })).toEqual(['B', 'C']);
    expect(await d.members({ engagement: 'clicked', within_days: 30 })).toEqual(['B']);
    expect(await d.members({ engagement: 'clicked', campaign_id: d.campaign.C1 })).toEqual(['C']);
    expect(await d.members({ engagement: 'replied' })).toEqual([]);
    expect(await d.members({ engagement: 'converted', count: { op: 'eq', value: 0 } })).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
  });

  it('last_n_campaigns, and "opened none of the last 3"', async () => {
    // The last 3 launched are C2, C3, C4. Opened one of them: A (C2), B (C3), E (C4). C opened only C1.
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3 })).toEqual(['A', 'B', 'E']);
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } })).toEqual(['C', 'D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    // C's C4 message was opened only by a machine (Apple's proxy): a person's open by default, with include_machine too.
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3, include_machine: true })).toEqual(['A', 'B', 'C', 'E']);
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3, include_machine: true, count: { op: 'eq', value: 0 } }))
      .toEqual(['D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members({ engagement: 'received', last_n_campaigns: 1 })).toEqual(['A', 'B', 'C', 'E']);
    // Bought in the last 90 days (A B C F J K) but opened none of the last 3 (not A B E).
    expect(await d.members({
      all: [{ event: 'purchase', within_days: 90 }, { engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } }],
    })).toEqual(['C', 'F', 'J', 'K']);
  });

  it('"ever" and "never" engagement counts agree with the default', async () => {
    // Clicked anything: B (C3), C (C1).
    expect(await d.members({ engagement: 'clicked' })).toEqual(['B', 'C']);
    expect(await d.members({ engagement: 'clicked', count: { op: 'gte', value: 1 } })).toEqual(['B', 'C']);
    expect(await d.members({ engagement: 'clicked', count: { op: 'lt', value: 1 } })).toEqual(['A', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    // Opened exactly once: B (C3), C (C1), E (C4); A opened twice.
    expect(await d.members({ engagement: 'opened', count: { op: 'eq', value: 1 } })).toEqual(['B', 'C', 'E']);
  });

  it('messages of a deleted contact (contact_id set to null) do not empty the "none" rules', async () => {
    const m = await d.t.json('POST', '/v1/contacts', { external_id: 'M', email: 'm@example.fr' });
    expect(m.status).toBe(201);
    await d.t.deps.db.insertInto('messages').values({
      campaign_id: d.campaign.C4, contact_id: m.body.id, channel: 'email', status: 'sent', public_id: 'C4-M',
      address: 'm@example.fr', sent_at: new Date('2026-12-18T12:00:00Z'),
    }).returning('id').executeTakeFirstOrThrow().then((row) => d.t.deps.db.insertInto('message_engagement').values({
      message_id: row.id, campaign_id: d.campaign.C4, contact_id: m.body.id, first_open_human_at: new Date('2026-12-19T12:00:00Z'),
    }).execute());
    expect((await d.t.json('DELETE', `/v1/contacts/${m.body.id}`)).status).toBe(204);
    // The ledger keeps the message with no contact; the answers are those of the 12 contacts, as before.
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } })).toEqual(['C', 'D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members({ engagement: 'received', count: { op: 'lt', value: 1 } })).toEqual(['D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members({ engagement: 'opened', last_n_campaigns: 3 })).toEqual(['A', 'B', 'E']);
    expect(await d.members({ not: { engagement: 'opened', last_n_campaigns: 3 } })).toEqual(['C', 'D', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
  });
});

describe('consent rules', () => {
  it('subscribed with and without a topic', async () => {
    // E unsubscribed from email news: not subscribed on email at all.
    expect(await d.members({ subscribed: { channel: 'email' } })).toEqual(['A', 'B', 'D', 'F', 'J']);
    expect(await d.members({ subscribed: { channel: 'email', topic: 'news' } })).toEqual(['A', 'B', 'F', 'J']);
    expect(await d.members({ subscribed: { channel: 'email', topic: 'promo' } })).toEqual(['A', 'D']);
    expect(await d.members({ subscribed: { channel: 'sms' } })).toEqual(['A', 'C', 'E']);
    expect(await d.members({ subscribed: { channel: 'sms', topic: 'promo' } })).toEqual(['C']);
    expect(await d.members({ subscribed: { channel: 'postal', topic: 'news' } })).toEqual(['G']);
    expect(await d.members({ not: { subscribed: { channel: 'email', topic: 'news' } } })).toEqual(['C', 'D', 'E', 'G', 'H', 'I', 'K', 'L']);
  });
});

describe('lifecycle rules', () => {
  it('default thresholds: new 30, slowing 180, lapsed 365 days', async () => {
    expect((await d.t.json('GET', '/v1/settings/lifecycle')).body).toEqual({ new_days: 30, slowing_days: 180, lapsed_days: 365 });
    // First purchases: A 200d, B 5d, C 100d, D 250d, E 500d, F 80d, H 1000d, J 15d, K 170d.
    // Last purchases:  A 10d,  B 5d, C 60d,  D 250d, E 400d, F 20d, H 1000d, J 15d, K 35d.
    expect(await d.members({ lifecycle: 'prospect' })).toEqual(['G', 'I', 'L']);
    expect(await d.members({ lifecycle: 'new' })).toEqual(['B', 'J']);
    expect(await d.members({ lifecycle: 'active' })).toEqual(['A', 'C', 'F', 'K']);
    expect(await d.members({ lifecycle: 'slowing' })).toEqual(['D']);
    expect(await d.members({ lifecycle: 'lapsed' })).toEqual(['E', 'H']);
  });

  it('after PUT /v1/settings/lifecycle', async () => {
    const bad = await d.t.json('PUT', '/v1/settings/lifecycle', { new_days: 60, slowing_days: 30, lapsed_days: 300 });
    expect(bad.status).toBe(422);
    const put = await d.t.json('PUT', '/v1/settings/lifecycle', { new_days: 7, slowing_days: 30, lapsed_days: 300 });
    expect(put.status).toBe(200);
    expect((await d.t.json('GET', '/v1/settings/lifecycle')).body).toEqual({ new_days: 7, slowing_days: 30, lapsed_days: 300 });
    try {
      expect(await d.members({ lifecycle: 'prospect' })).toEqual(['G', 'I', 'L']);
      // Only B's first purchase (5d) is within 7 days; J (15d) is now active.
      expect(await d.members({ lifecycle: 'new' })).toEqual(['B']);
      // Last purchase within 30 days: A (10d), F (20d), J (15d).
      expect(await d.members({ lifecycle: 'active' })).toEqual(['A', 'F', 'J']);
      // 30 to 300 days: C (60d), D (250d), K (35d).
      expect(await d.members({ lifecycle: 'slowing' })).toEqual(['C', 'D', 'K']);
      expect(await d.members({ lifecycle: 'lapsed' })).toEqual(['E', 'H']);
    } finally {
      await d.t.json('PUT', '/v1/settings/lifecycle', { new_days: 30, slowing_days: 180, lapsed_days: 365 });
    }
  });
});

describe('top_percent rules', () => {
  it('by a number field: 20% of the 10 contacts with a revenue is exactly 2, ties broken by id', async () => {
    // Revenues, highest first: A 1200, D 950, F 950, B 800, K 700, C 500, G 300, H 100, I 50, J 0 (E, L have none).
    // 20% of 10 = 2: A, then D and F tie at 950 and D has the lower id.
    expect(await d.members({ top_percent: { percent: 20, by: { field: 'attributes.annual_revenue' } } })).toEqual(['A', 'D']);
    expect(await d.members({ top_percent: { percent: 30, by: { field: 'attributes.annual_revenue' } } })).toEqual(['A', 'D', 'F']);
    // 5% of 10 = 0.5, rounded up to 1.
    expect(await d.members({ top_percent: { percent: 5, by: { field: 'attributes.annual_revenue' } } })).toEqual(['A']);
    expect(await d.members({ top_percent: { percent: 100, by: { field: 'attributes.annual_revenue' } } })).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'H', 'I', 'J', 'K']);
  });

  it('by an event sum within days', async () => {
    // Sums over 90 days: B 300, A 100, K 100, J 60, C 30, F 30 — six buyers. 20% of 6 = 1.2 → 2: B, then A (tie with K, lower id).
    expect(await d.members({ top_percent: { percent: 20, by: { event: 'purchase', sum: 'value', within_days: 90 } } })).toEqual(['A', 'B']);
    // 50% of 6 = 3: B, A, K.
    expect(await d.members({ top_percent: { percent: 50, by: { event: 'purchase', sum: 'value', within_days: 90 } } })).toEqual(['A', 'B', 'K']);
    // All time: H 1000, D 500, B 300, K 300, … nine buyers; 20% of 9 = 1.8 → 2: H, D.
    expect(await d.members({ top_percent: { percent: 20, by: { event: 'purchase', sum: 'value' } } })).toEqual(['D', 'H']);
  });
});

describe('rfm rules', () => {
  /*
   * Hand computation over the 9 buyers (contact_stats). percentile_disc(p) is the ⌈p·9⌉-th smallest value:
   * p20 → 2nd, p40 → 4th, p60 → 6th, p80 → 8th. score(v) = 1 + the number of those four values strictly below v.
   *
   * Recency (last purchase, oldest first): H 1000d, E 400d, D 250d, C 60d, K 35d, F 20d, J 15d, A 10d, B 5d.
   *   p20 = E, p40 = C, p60 = F, p80 = A.
   *   Scores: H 1, E 1, D 2, C 2, K 3, F 3, J 4, A 4, B 5.
   * Frequency (counts): 1 1 1 1 2 2 2 2 3 → p20 = 1, p40 = 1, p60 = 2, p80 = 2.
   *   Scores: one purchase (B D H J) 1, two (A C E K) 3, three (F) 5.
   * Monetary (totals): F 30, C 50, J 60, E 120, A 150, B 300, K 300, D 500, H 1000 → p20 = 50, p40 = 120, p60 = 300, p80 = 500.
   *   Scores: F 1, C 1, J 2, E 2, A 3, B 3, K 3, D 4, H 5.
   * G, I and L never bought: they have no score and match no RFM rule.
   */
  it('single dimensions', async () => {
    expect(await d.members({ rfm: { recency: [4, 5] } })).toEqual(['A', 'B', 'J']);
    expect(await d.members({ rfm: { recency: [1, 2] } })).toEqual(['C', 'D', 'E', 'H']);
    expect(await d.members({ rfm: { recency: [5, 5] } })).toEqual(['B']);
    expect(await d.members({ rfm: { frequency: [3, 5] } })).toEqual(['A', 'C', 'E', 'F', 'K']);
    expect(await d.members({ rfm: { frequency: [2, 2] } })).toEqual([]);
    expect(await d.members({ rfm: { monetary: [4, 5] } })).toEqual(['D', 'H']);
    // Ties share a score: B and K (300) are both 3.
    expect(await d.members({ rfm: { monetary: [3, 3] } })).toEqual(['A', 'B', 'K']);
    expect(await d.members({ rfm: { recency: [1, 5] } })).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'J', 'K']);
  });

  it('combined scores', async () => {
    // Recency 4–5 (A B J) ∩ frequency 3–5 (A C E F K) ∩ monetary 3–5 (A B D H K): A.
    expect(await d.members({ rfm: { recency: [4, 5], frequency: [3, 5], monetary: [3, 5] } })).toEqual(['A']);
    // The example: A's monetary score is 3, so nobody.
    expect(await d.members({ rfm: { recency: [4, 5], frequency: [3, 5], monetary: [4, 5] } })).toEqual([]);
    // Frequency 1 (B D H J) ∩ monetary 2–3 (J E A B K): B, J.
    expect(await d.members({ rfm: { frequency: [1, 1], monetary: [2, 3] } })).toEqual(['B', 'J']);
  });
});

describe('segment references', () => {
  it('a rule can use a saved segment, through several levels', async () => {
    const hosts = await d.t.json('POST', '/v1/segments', { name: 'Hosts', rule: { field: 'attributes.host', op: 'eq', value: true } });
    expect(hosts.status).toBe(201);
    const goldHosts = await d.t.json('POST', '/v1/segments', {
      name: 'Gold hosts', rule: { all: [{ segment: hosts.body.id }, { field: 'attributes.tier', op: 'eq', value: 'gold' }] },
    });
    expect(goldHosts.status).toBe(201);
    // Hosts A B F J; gold A E J.
    expect(await d.members({ segment: hosts.body.id })).toEqual(['A', 'B', 'F', 'J']);
    expect(await d.members({ segment: goldHosts.body.id })).toEqual(['A', 'J']);
    expect(await d.members({ not: { segment: hosts.body.id } })).toEqual(['C', 'D', 'E', 'G', 'H', 'I', 'K', 'L']);
    expect(await d.members({ any: [{ segment: goldHosts.body.id }, { field: 'email', op: 'not_exists' }] })).toEqual(['A', 'C', 'J', 'L']);
    const preview = await d.t.json('GET', `/v1/segments/${goldHosts.body.id}/preview`);
    expect(preview.body.count).toBe(2);
  });

  it('cycles are rejected', async () => {
    const a = await d.t.json('POST', '/v1/segments', { name: 'A', rule: { field: 'locale', op: 'eq', value: 'fr' } });
    const b = await d.t.json('POST', '/v1/segments', { name: 'B → A', rule: { segment: a.body.id } });
    expect(b.status).toBe(201);
    const c = await d.t.json('POST', '/v1/segments', { name: 'C → B', rule: { any: [{ segment: b.body.id }] } });
    expect(c.status).toBe(201);
    // A → B would close A → B → A.
    const direct = await d.t.json('PATCH', `/v1/segments/${a.body.id}`, { rule: { segment: b.body.id } });
    expect(direct.status).toBe(422);
    expect(direct.body.error.details[0].field).toBe('rule');
    // A → C → B → A, and A → A.
    expect((await d.t.json('PATCH', `/v1/segments/${a.body.id}`, { rule: { all: [{ segment: c.body.id }] } })).status).toBe(422);
    expect((await d.t.json('PATCH', `/v1/segments/${a.body.id}`, { rule: { segment: a.body.id } })).status).toBe(422);
    // Nothing was saved: A still means locale = fr.
    expect((await d.t.json('GET', `/v1/segments/${a.body.id}`)).body.rule).toEqual({ field: 'locale', op: 'eq', value: 'fr' });
    expect(await d.members({ segment: c.body.id })).toEqual(['A', 'C', 'F', 'G', 'I', 'J', 'L']);
  });
});
