// Rules compiled to SQL without a database: values become parameters, names are resolved, problems carry paths.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileRule, DEFAULT_LIFECYCLE, referencedSegments, type CompileContext } from './compile.js';
import { condition, upcomingMonthDays, zeroSatisfies, type ConditionContext } from './conditions.js';
import { parseRule, RuleProblems, type Rule } from './rules.js';
import type { Sql } from './fields.js';

const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const NOW = new Date('2026-12-28T12:00:00Z');

function ctx(segments: Record<number, unknown> = {}): CompileContext {
  return {
    now: NOW,
    attributes: new Map([
      ['ambassador', { name: 'ambassador', type: 'text' }],
      ['annual_revenue', { name: 'annual_revenue', type: 'number' }],
      ['host', { name: 'host', type: 'boolean' }],
      ['birthday', { name: 'birthday', type: 'date' }],
      ['tier', { name: 'tier', type: 'enum', values: ['bronze', 'silver', 'gold'] }],
    ]),
    topics: new Map([['news', 7]]),
    lifecycle: DEFAULT_LIFECYCLE,
    segments: new Map(Object.entries(segments).map(([id, r]) => [Number(id), parseRule(r)])),
  };
}

const compiled = (rule: unknown, c = ctx()) => compileRule(parseRule(rule), c).compile(db);

function problems(rule: unknown, c = ctx()) {
  try {
    compileRule(parseRule(rule), c);
  } catch (err) {
    if (err instanceof RuleProblems) return err.problems;
    throw err;
  }
  throw new Error('the rule compiled');
}

describe('upcomingMonthDays', () => {
  it('covers today and the next N days, across the new year', () => {
    expect(upcomingMonthDays(NOW, 7)).toEqual(['12-28', '12-29', '12-30', '12-31', '01-01', '01-02', '01-03', '01-04']);
    expect(upcomingMonthDays(NOW, 0)).toEqual(['12-28']);
  });

  it('adds Feb 29 with Mar 1 in a common year only', () => {
    // 2027 is a common year: Feb 29 birthdays are celebrated on Mar 1.
    expect(upcomingMonthDays(new Date('2027-02-27T08:00:00Z'), 2)).toEqual(['02-27', '02-28', '03-01', '02-29']);
    expect(upcomingMonthDays(new Date('2027-02-27T08:00:00Z'), 1)).toEqual(['02-27', '02-28']);
    // 2028 is a leap year: Feb 29 exists and Mar 1 is just Mar 1.
    expect(upcomingMonthDays(new Date('2028-02-28T08:00:00Z'), 2)).toEqual(['02-28', '02-29', '03-01']);
    // A full year's window names every day once.
    expect(new Set(upcomingMonthDays(NOW, 366)).size).toBe(366);
  });
});

describe('zeroSatisfies', () => {
  it('says whether a contact with no rows (0) passes', () => {
    expect(zeroSatisfies('eq', 0)).toBe(true);
    expect(zeroSatisfies('eq', 1)).toBe(false);
    expect(zeroSatisfies('lt', 2)).toBe(true);
    expect(zeroSatisfies('lt', 0)).toBe(false);
    expect(zeroSatisfies('lte', 0)).toBe(true);
    expect(zeroSatisfies('gt', 0)).toBe(false);
    expect(zeroSatisfies('gte', 0)).toBe(true);
    expect(zeroSatisfies('gte', 1)).toBe(false);
    expect(zeroSatisfies('neq', 1)).toBe(true);
    expect(zeroSatisfies('neq', 0)).toBe(false);
  });
});

describe('condition', () => {
  const collect = () => {
    const found: Array<{ field: string; message: string }> = [];
    const c: ConditionContext = { now: NOW, problem: (p) => found.push(p) };
    return { found, c };
  };
  const text = (op: string, value: unknown) => {
    const { found, c } = collect();
    const out = (condition({ expr: sql.ref('c.email'), type: 'text' }, op as never, value, '$.op', c) as Sql).compile(db);
    return { ...out, found };
  };

  it('escapes % _ and \\ in contains and starts_with, and matches case-insensitively', () => {
    expect(text('contains', '50%_off')).toMatchObject({ parameters: ['%50\\%\\_off%'], found: [] });
    expect(text('starts_with', 'a\\b')).toMatchObject({ parameters: ['a\\\\b%'] });
    expect(text('contains', 'x').sql).toContain('ilike');
  });

  it('neq and not_in keep missing values', () => {
    expect(text('neq', 'x').sql).toContain('is distinct from');
    expect(text('not_in', ['x', 'y']).sql).toMatch(/is null or .* not in \(\$1, \$2\)/);
  });

  it('reports a type problem at .op and a value problem at .value', () => {
    expect(text('gt', 'x').found).toEqual([{ field: '$.op', message: expect.stringContaining('gt does not apply to a text field') }]);
    expect(text('eq', 5).found).toEqual([{ field: '$.value', message: 'must be text' }]);
    expect(text('in', []).found).toEqual([{ field: '$.value', message: expect.any(String) }]);
    expect(text('in', ['a', 2]).found).toEqual([{ field: '$.value[1]', message: 'must be text' }]);
  });

  it('keeps the time of day of a date-time compared with a timestamp', () => {
    const { c } = collect();
    const at = (value: string) => (condition({ expr: sql.ref('c.created_at'), type: 'timestamp' }, 'lte', value, '$.op', c) as Sql).compile(db).parameters;
    expect(at('2026-11-27T12:00:00Z')).toEqual(['2026-11-27T12:00:00.000Z']);
    expect(at('2026-11-27T14:00:00+02:00')).toEqual(['2026-11-27T12:00:00.000Z']);
    expect(at('2026-11-27')).toEqual(['2026-11-27']);
    expect(at('27/11/2026')).toEqual(['2026-11-27']);
  });
});

describe('compileRule', () => {
  it('passes every value as a parameter and every attribute name as a parameter too', () => {
    const evil = "'; drop table contacts; --";
    const out = compiled({
      all: [
        { field: 'attributes.ambassador', op: 'eq', value: evil },
        { field: 'attributes.annual_revenue', op: 'between', value: [800, 1000] },
        { event: 'purchase', where: [{ property: 'category', op: 'in', value: [evil] }], within_days: 90 },
      ],
    });
    expect(out.sql).not.toContain('drop table');
    expect(out.sql).not.toContain('ambassador');
    expect(out.sql).not.toContain('purchase');
    expect(out.parameters).toEqual(expect.arrayContaining([evil, 'ambassador', 'annual_revenue', 800, 1000, 'purchase', 'category']));
  });

  it('collects every problem with its path', () => {
    expect(problems({
      all: [
        { field: 'attributes.nope', op: 'eq', value: 1 },
        { any: [{ field: 'attributes.tier', op: 'eq', value: 'platinum' }] },
        { subscribed: { channel: 'sms', topic: 'promo' } },
        { top_percent: { percent: 10, by: { field: 'attributes.birthday' } } },
        { segment: 9 },
      ],
    }).map((p) => p.field)).toEqual(['$.all[0].field', '$.all[1].any[0].value', '$.all[2].subscribed.topic', '$.all[3].top_percent.by.field', '$.all[4].segment']);
  });

  it('inlines referenced segments and refuses a cycle among them', () => {
    const c = ctx({ 1: { field: 'attributes.host', op: 'eq', value: true }, 2: { all: [{ segment: 1 }, { field: 'locale', op: 'eq', value: 'fr' }] } });
    expect(compiled({ segment: 2 }, c).parameters).toEqual(expect.arrayContaining(['host', true, 'fr']));
    const cyclic = ctx({ 1: { segment: 2 }, 2: { any: [{ segment: 1 }] } });
    expect(problems({ segment: 1 }, cyclic)).toEqual([{ field: '$.segment.segment.any[0].segment', message: 'segment 1 refers back to itself' }]);
  });

  it('lists the segments a rule names directly', () => {
    const rule: Rule = parseRule({ all: [{ segment: 1 }, { not: { any: [{ segment: 2 }, { field: 'email', op: 'exists' }] } }] });
    expect(referencedSegments(rule)).toEqual([1, 2]);
  });
});
