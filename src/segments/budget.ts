// How big a rule is once the segments it refers to are written out in full. A reference inlines the other rule,
// so 500 conditions referenced 100 times, referenced 100 times again, is five million conditions: the size is
// worked out per segment (each once) before any SQL is built, and a rule over the limits is refused.
import type { FieldProblem } from '../errors.js';
import type { Rule } from './rules.js';

export const RULE_LIMITS = {
  /** Conditions, groups and event filters, references written out. */
  conditions: 2000,
  /** Values that become SQL parameters one by one: `in` lists, birthdays' upcoming days. PostgreSQL takes 65,535 a statement. */
  values: 10_000,
  /** A segment referring to a segment that refers to a segment… */
  referenceDepth: 5,
} as const;

export interface RuleSize {
  conditions: number;
  values: number;
  /** The longest chain of references. */
  depth: number;
}

const ZERO: RuleSize = { conditions: 0, values: 0, depth: 0 };
const add = (a: RuleSize, b: RuleSize): RuleSize => ({ conditions: a.conditions + b.conditions, values: a.values + b.values, depth: Math.max(a.depth, b.depth) });

function valueCount(op: string, value: unknown): number {
  if (op === 'exists' || op === 'not_exists') return 0;
  if ((op === 'in' || op === 'not_in') && Array.isArray(value)) return value.length;
  // One parameter per upcoming month-day (Feb 29 on top).
  if (op === 'anniversary_within_next_days' && typeof value === 'number' && Number.isFinite(value)) return Math.min(Math.max(value, 0), 366) + 2;
  return Array.isArray(value) ? value.length : 1;
}

/**
 * The size of `rule` with references written out, given every segment it reaches (see resolveReferences). Each
 * segment is measured once; a reference back into a segment being measured counts nothing (the compiler
 * refuses the cycle).
 */
export function expandedSize(rule: Rule, segments: Map<number, Rule>): RuleSize {
  const memo = new Map<number, RuleSize>();
  const measuring = new Set<number>();
  const ofSegment = (id: number): RuleSize => {
    const known = memo.get(id);
    if (known) return known;
    const referenced = segments.get(id);
    if (!referenced || measuring.has(id)) return ZERO;
    measuring.add(id);
    const size = visit(referenced);
    measuring.delete(id);
    memo.set(id, size);
    return size;
  };
  const visit = (r: Rule): RuleSize => {
    const self: RuleSize = { conditions: 1, values: 0, depth: 0 };
    if ('all' in r) return r.all.map(visit).reduce(add, self);
    if ('any' in r) return r.any.map(visit).reduce(add, self);
    if ('not' in r) return add(self, visit(r.not));
    if ('field' in r) return { ...self, values: valueCount(r.op, r.value) };
    if ('event' in r) {
      const where = r.where ?? [];
      return { conditions: 1 + where.length, values: where.reduce((n, w) => n + valueCount(w.op, w.value), 0), depth: 0 };
    }
    if ('segment' in r) {
      const inner = ofSegment(r.segment);
      return { conditions: 1 + inner.conditions, values: inner.values, depth: inner.depth + 1 };
    }
    return self;
  };
  return visit(rule);
}

/** The problems of a size over the limits, reported at `field`. */
export function sizeProblems(size: RuleSize, field: string): FieldProblem[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const problems: FieldProblem[] = [];
  if (size.depth > RULE_LIMITS.referenceDepth) {
    problems.push({ field, message: `segment references nest ${n(size.depth)} deep, over the limit of ${RULE_LIMITS.referenceDepth}` });
  }
  if (size.conditions > RULE_LIMITS.conditions) {
    problems.push({ field, message: `the rule has ${n(size.conditions)} conditions (counting the segments it refers to), over the limit of ${n(RULE_LIMITS.conditions)}` });
  }
  if (size.values > RULE_LIMITS.values) {
    problems.push({ field, message: `the rule lists ${n(size.values)} values (counting the segments it refers to), over the limit of ${n(RULE_LIMITS.values)}` });
  }
  return problems;
}

/** A running total over several rules compiled into one statement (a campaign audience of several segments). */
export class RuleBudget {
  private total: RuleSize = ZERO;
  /** Adds `size`; the problems if the total is now over the limits. */
  spend(size: RuleSize, field: string): FieldProblem[] {
    this.total = add(this.total, size);
    return sizeProblems(this.total, field);
  }
}
