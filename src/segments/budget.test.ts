// The size of a rule with its references written out, worked out without writing them out.
import { describe, expect, it } from 'vitest';
import { expandedSize, RuleBudget, sizeProblems } from './budget.js';
import { parseRule, type Rule } from './rules.js';

const exists = { field: 'email', op: 'exists' };
const refs = (id: number, n: number) => ({ any: Array.from({ length: n }, () => ({ segment: id })) });
const segments = (s: Record<number, unknown>) => new Map(Object.entries(s).map(([id, r]) => [Number(id), parseRule(r)] as [number, Rule]));

describe('expandedSize', () => {
  it('counts groups, conditions and event filters, and listed values', () => {
    expect(expandedSize(parseRule(exists), new Map())).toEqual({ conditions: 1, values: 0, depth: 0 });
    const rule = parseRule({
      all: [
        { field: 'email', op: 'in', value: ['a', 'b', 'c'] },
        { event: 'purchase', where: [{ property: 'category', op: 'in', value: ['x', 'y'] }, { property: 'items', op: 'gt', value: 1 }] },
        { field: 'attributes.birthday', op: 'anniversary_within_next_days', value: 7 },
        { not: { lifecycle: 'lapsed' } },
      ],
    });
    // all, in, event + 2 filters, anniversary, not, lifecycle = 8; values 3 + 2 + 1 + (7 + 2) = 15.
    expect(expandedSize(rule, new Map())).toEqual({ conditions: 8, values: 15, depth: 0 });
  });

  it('writes references out: 500 conditions referenced 100 times, referenced 100 times again', () => {
    const a = { any: Array.from({ length: 499 }, () => ({ field: 'email', op: 'eq', value: 'x' })) };
    const all = segments({ 1: a, 2: refs(1, 100) });
    // A: 500. B: 1 + 100 × (1 + 500) = 50,101. C: 1 + 100 × (1 + 50,101) = 5,010,201.
    expect(expandedSize(parseRule(refs(2, 100)), all)).toEqual({ conditions: 5_010_201, values: 4_990_000, depth: 2 });
    expect(sizeProblems(expandedSize(parseRule(refs(2, 100)), all), 'rule')).toEqual([
      { field: 'rule', message: 'the rule has 5,010,201 conditions (counting the segments it refers to), over the limit of 2,000' },
      { field: 'rule', message: 'the rule lists 4,990,000 values (counting the segments it refers to), over the limit of 10,000' },
    ]);
  });

  it('measures the longest chain of references', () => {
    // 6 → 5 → 4 → 3 → 2 → 1, and 6 also refers to 1 directly.
    const all = segments({ 1: exists, 2: { segment: 1 }, 3: { segment: 2 }, 4: { segment: 3 }, 5: { segment: 4 }, 6: { all: [{ segment: 5 }, { segment: 1 }] } });
    expect(expandedSize(parseRule({ segment: 5 }), all).depth).toBe(5);
    expect(expandedSize(parseRule({ segment: 6 }), all)).toEqual({ conditions: 10, values: 0, depth: 6 });
    expect(sizeProblems(expandedSize(parseRule({ segment: 5 }), all), 'rule')).toEqual([]);
    expect(sizeProblems(expandedSize(parseRule({ segment: 6 }), all), 'rule')).toEqual([
      { field: 'rule', message: 'segment references nest 6 deep, over the limit of 5' },
    ]);
  });

  it('stops at a cycle (the compiler reports it) and at a missing segment', () => {
    const all = segments({ 1: { segment: 2 }, 2: { segment: 1 } });
    expect(expandedSize(parseRule({ segment: 1 }), all)).toEqual({ conditions: 3, values: 0, depth: 3 });
    expect(expandedSize(parseRule({ segment: 9 }), all)).toEqual({ conditions: 1, values: 0, depth: 1 });
  });

  it('a budget adds up the rules of one statement', () => {
    const budget = new RuleBudget();
    const half = { conditions: 1500, values: 10, depth: 1 };
    expect(budget.spend(half, 'audience')).toEqual([]);
    expect(budget.spend(half, 'audience')).toEqual([
      { field: 'audience', message: 'the rule has 3,000 conditions (counting the segments it refers to), over the limit of 2,000' },
    ]);
  });
});
