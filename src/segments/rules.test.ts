import { describe, expect, it } from 'vitest';
import { parseRule, RuleProblems } from './rules.js';

/** The JSON paths parseRule reports for a rule it refuses. */
function paths(raw: unknown): string[] {
  try {
    parseRule(raw);
  } catch (err) {
    if (err instanceof RuleProblems) return err.problems.map((p) => p.field);
    throw err;
  }
  throw new Error('the rule was accepted');
}

describe('parseRule', () => {
  it('accepts every kind of rule and normalises it', () => {
    const rule = {
      all: [
        { field: 'attributes.host', op: 'eq', value: true },
        { any: [{ not: { field: 'email', op: 'exists' } }, { segment: 3 }] },
        { event: 'purchase', where: [{ property: 'category', op: 'eq', value: 'shoes' }], within_days: 90, count: { op: 'gte', value: 2 }, sum: { op: 'gt', value: 100 } },
        { engagement: 'opened', last_n_campaigns: 3, count: { op: 'eq', value: 0 } },
        { subscribed: { channel: 'email', topic: 'news' } },
        { lifecycle: 'lapsed' },
        { top_percent: { percent: 20, by: { event: 'purchase', sum: 'value', within_days: 365 } } },
        { top_percent: { percent: 20, by: { field: 'attributes.annual_revenue' } } },
        { rfm: { recency: [4, 5], monetary: [1, 1] } },
      ],
    };
    const parsed = parseRule(rule) as { all: unknown[] };
    expect(parsed.all).toHaveLength(9);
    // A sum without a property adds up the event's value.
    expect(parsed.all[2]).toEqual({
      event: 'purchase', where: [{ property: 'category', op: 'eq', value: 'shoes' }], within_days: 90,
      count: { op: 'gte', value: 2 }, sum: { op: 'gt', value: 100, property: 'value' },
    });
    expect(parsed.all[8]).toEqual({ rfm: { recency: [4, 5], monetary: [1, 1] } });
  });

  it('names the faulty node', () => {
    expect(paths({ all: [{ field: 'email', op: 'exists' }, { field: 3, op: 'eq' }] })).toEqual(['$.all[1].field']);
    expect(paths({ any: [{ field: 'email', op: 'like' }] })).toEqual(['$.any[0].op']);
    expect(paths({ field: 'email', op: 'exists', extra: 1 })).toEqual(['$.extra']);
    expect(paths({ all: [] })).toEqual(['$.all']);
    expect(paths({ any: 'x' })).toEqual(['$.any']);
    expect(paths({ all: [{ field: 'email', op: 'exists' }], any: [] })).toEqual(['$.any']);
    expect(paths({ not: [] })).toEqual(['$.not']);
    expect(paths([])).toEqual(['$']);
    expect(paths(null)).toEqual(['$']);
    expect(paths({ whatever: 1 })).toEqual(['$']);
  });

  it('refuses malformed windows and comparisons', () => {
    for (const bad of [0, -1, 1.5, '7', 36501]) {
      expect(paths({ event: 'purchase', within_days: bad })).toEqual(['$.within_days']);
      expect(paths({ engagement: 'clicked', within_days: bad })).toEqual(['$.within_days']);
      expect(paths({ top_percent: { percent: 10, by: { event: 'purchase', sum: 'value', within_days: bad } } })).toEqual(['$.top_percent.by.within_days']);
    }
    expect(parseRule({ event: 'purchase', within_days: 36500 })).toMatchObject({ within_days: 36500 });
    expect(paths({ event: 'purchase', count: { op: 'gte' } })).toEqual(['$.count.value']);
    expect(paths({ event: 'purchase', count: { op: 'about', value: 1 } })).toEqual(['$.count.op']);
    expect(paths({ event: 'purchase', count: { op: 'gte', value: 1, unit: 'x' } })).toEqual(['$.count.unit']);
    expect(paths({ event: 'purchase', sum: { property: 'a b', op: 'gt', value: 1 } })).toEqual(['$.sum.property']);
    expect(paths({ event: 'Purchase' })).toEqual(['$.event']);
    expect(paths({ event: 'purchase', where: {} })).toEqual(['$.where']);
    expect(paths({ event: 'purchase', where: [{ property: 'x-y', op: 'eq', value: 1 }] })).toEqual(['$.where[0].property']);
  });

  it('checks engagement, consent, lifecycle, value and reference rules', () => {
    expect(paths({ engagement: 'forwarded' })).toEqual(['$.engagement']);
    expect(paths({ engagement: 'opened', campaign_id: 0 })).toEqual(['$.campaign_id']);
    expect(paths({ engagement: 'opened', last_n_campaigns: 101 })).toEqual(['$.last_n_campaigns']);
    expect(paths({ engagement: 'opened', campaign_id: 1, last_n_campaigns: 3 })).toEqual(['$']);
    expect(paths({ subscribed: { channel: 'fax' } })).toEqual(['$.subscribed.channel']);
    expect(paths({ subscribed: { channel: 'email', topic: 3 } })).toEqual(['$.subscribed.topic']);
    expect(paths({ subscribed: 'email' })).toEqual(['$.subscribed']);
    expect(paths({ lifecycle: 'dormant' })).toEqual(['$.lifecycle']);
    expect(paths({ top_percent: { percent: 0, by: { field: 'attributes.x' } } })).toEqual(['$.top_percent.percent']);
    expect(paths({ top_percent: { percent: 101, by: { field: 'attributes.x' } } })).toEqual(['$.top_percent.percent']);
    expect(paths({ top_percent: { percent: 10, by: { event: 'purchase' } } })).toEqual(['$.top_percent.by.sum']);
    expect(paths({ rfm: { recency: [5, 1] } })).toEqual(['$.rfm.recency']);
    expect(paths({ rfm: { frequency: [0, 5] } })).toEqual(['$.rfm.frequency']);
    expect(paths({ rfm: { monetary: [1, 2, 3] } })).toEqual(['$.rfm.monetary']);
    expect(paths({ rfm: {} })).toEqual(['$.rfm']);
    expect(paths({ rfm: { loyalty: [1, 5] } })).toEqual(['$.rfm.loyalty']);
    expect(paths({ segment: '3' })).toEqual(['$.segment']);
    expect(paths({ segment: 1.5 })).toEqual(['$.segment']);
  });

  it('limits depth and size', () => {
    let deep: unknown = { field: 'email', op: 'exists' };
    for (let i = 0; i < 21; i++) deep = { not: deep };
    expect(paths(deep)[0]).toMatch(/^\$(\.not){21}$/);
    let ok: unknown = { field: 'email', op: 'exists' };
    for (let i = 0; i < 20; i++) ok = { not: ok };
    expect(() => parseRule(ok)).not.toThrow();
    const wide = { any: Array.from({ length: 500 }, () => ({ field: 'email', op: 'exists' })) };
    expect(paths(wide)).toEqual(['$.any[499]']);
  });

  it('uses the path prefix it is given', () => {
    expect(() => parseRule({ all: [] }, 'rule')).toThrow(expect.objectContaining({ problems: [{ field: 'rule.all', message: expect.any(String) }] }));
  });
});
