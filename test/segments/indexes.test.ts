// The rules the benchmark times at a million contacts read the indexes migrations and attribute declarations
// build. A tiny table would be scanned anyway, so sequential scans are switched off: what is checked is that the
// index *can* serve the rule (an expression that stopped matching its index would silently scan every contact).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { compile } from '../../src/segments/segments.service.js';
import { buildDataset, NOW, type Dataset } from './dataset.js';

let d: Dataset;
beforeAll(async () => {
  d = await buildDataset();
});
afterAll(() => d.t.close());

async function plan(rule: unknown): Promise<string> {
  const predicate = await compile(d.t.deps.db, rule, NOW);
  return d.t.deps.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const rows = await sql<{ 'QUERY PLAN': string }>`explain select count(*) from contacts c where ${predicate}`.execute(trx);
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('rules read their indexes', () => {
  it.each([
    ['birthday in the next 7 days', { field: 'attributes.birthday', op: 'anniversary_within_next_days', value: 7 }, 'contacts_attr_birthday_idx'],
    ['a range on a number attribute', { field: 'attributes.annual_revenue', op: 'gt', value: 800 }, 'contacts_attr_annual_revenue_idx'],
    ['top 20% by a number attribute', { top_percent: { percent: 20, by: { field: 'attributes.annual_revenue' } } }, 'contacts_attr_annual_revenue_idx'],
    ['top 20% by all-time purchases', { top_percent: { percent: 20, by: { event: 'purchase', sum: 'value' } } }, 'contact_stats_total_idx'],
    ['RFM recency thresholds', { rfm: { recency: [4, 5] } }, 'contact_stats_last_purchase_idx'],
    ['RFM frequency thresholds', { rfm: { frequency: [3, 5] } }, 'contact_stats_count_idx'],
    ['never opened anything', { engagement: 'opened', count: { op: 'eq', value: 0 } }, 'message_engagement_contact_idx'],
    ['clicked in the last 30 days', { engagement: 'clicked', within_days: 30 }, 'message_engagement_contact_idx'],
    ['received within 15 days', { engagement: 'received', within_days: 15 }, 'messages_sent_idx'],
    ['purchases within 90 days', { event: 'purchase', within_days: 90, sum: { op: 'gt', value: 200 } }, 'events_type_time_idx'],
  ])('%s', async (_label, rule, index) => {
    expect(await plan(rule)).toContain(index);
  });
});
