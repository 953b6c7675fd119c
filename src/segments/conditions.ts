// One comparison (field or event property) turned into SQL, after checking the value fits the type.
import { sql } from 'kysely';
import type { FieldProblem } from '../errors.js';
import { OPS_BY_TYPE, type FieldType, type Sql } from './fields.js';
import type { CompareOp, FieldOp } from './rules.js';
import { checkValue } from './values.js';

const DAY = 86_400_000;
const CMP: Record<CompareOp, string> = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

export function compareSql(left: Sql, op: CompareOp, right: unknown): Sql {
  return sql`${left} ${sql.raw(CMP[op])} ${right}`;
}

/** Whether a contact with no matching row (count or sum 0) satisfies the comparison. */
export function zeroSatisfies(op: CompareOp, value: number): boolean {
  return { eq: 0 === value, neq: 0 !== value, lt: 0 < value, lte: 0 <= value, gt: 0 > value, gte: 0 >= value }[op];
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Month-day strings (MM-DD) of the next `days` days from `now`, Feb 29 included when it falls in a common year's window. */
export function upcomingMonthDays(now: Date, days: number): string[] {
  const out = new Set<string>();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = 0; i <= days; i++) {
    const d = new Date(start + i * DAY);
    const md = `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    out.add(md);
    // People born on Feb 29 celebrate on Mar 1 in common years.
    const y = d.getUTCFullYear();
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (md === '03-01' && !leap) out.add('02-29');
  }
  return [...out];
}

export interface ConditionContext {
  now: Date;
  problem(p: FieldProblem): void;
}

/** What a condition compares: an expression of a type; enums list their values; `monthDay` (MMDD as a number) lets birthdays use an index. */
export interface Operand {
  expr: Sql;
  type: FieldType;
  values?: string[] | null;
  monthDay?: Sql;
}

export function condition(operand: Operand, op: FieldOp, value: unknown, path: string, ctx: ConditionContext): Sql {
  const { expr, type, values: enumValues } = operand;
  const bad = (message: string, at = path): Sql => {
    ctx.problem({ field: at, message });
    return sql`false`;
  };
  if (!OPS_BY_TYPE[type].includes(op)) return bad(`${op} does not apply to a ${type} field; use one of ${OPS_BY_TYPE[type].join(', ')}`);
  if (op === 'exists') return sql`${expr} is not null`;
  if (op === 'not_exists') return sql`${expr} is null`;

  const valuePath = `${path.replace(/\.op$/, '')}.value`;
  const typed = (v: unknown, at = valuePath): unknown => {
    const c = checkValue(type, v, { values: enumValues });
    return 'value' in c ? c.value : (ctx.problem({ field: at, message: c.problem }), undefined);
  };
  const cast = (v: unknown) => (type === 'date' ? sql`${v}::date` : type === 'timestamp' ? sql`${v}::timestamptz` : sql`${v}`);

  switch (op) {
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const v = typed(value);
      if (v === undefined) return sql`false`;
      // "not equal" keeps contacts who have no value at all: that is what marketers mean by "not Maryse".
      if (op === 'neq') return sql`${expr} is distinct from ${cast(v)}`;
      return compareSql(expr, op, cast(v));
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return bad('between takes [low, high]', valuePath);
      const lo = typed(value[0], `${valuePath}[0]`);
      const hi = typed(value[1], `${valuePath}[1]`);
      if (lo === undefined || hi === undefined) return sql`false`;
      return sql`${expr} between ${cast(lo)} and ${cast(hi)}`;
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || value.length === 0 || value.length > 1000) return bad(`${op} takes a list of 1 to 1000 values`, valuePath);
      const vs = value.map((v, i) => typed(v, `${valuePath}[${i}]`));
      if (vs.some((v) => v === undefined)) return sql`false`;
      const list = sql.join(vs.map(cast));
      return op === 'in' ? sql`${expr} in (${list})` : sql`(${expr} is null or ${expr} not in (${list}))`;
    }
    case 'contains':
    case 'starts_with': {
      if (typeof value !== 'string' || !value) return bad('must be non-empty text', valuePath);
      if (typed(value) === undefined) return sql`false`;
      const pattern = op === 'contains' ? `%${likeEscape(value)}%` : `${likeEscape(value)}%`;
      return sql`${expr} ilike ${pattern}`;
    }
    case 'within_last_days':
    case 'not_within_last_days':
    case 'anniversary_within_next_days': {
      const checked = checkValue('integer', value, { min: 0, max: op === 'anniversary_within_next_days' ? 366 : 36500, noun: 'a whole number of days' });
      if ('problem' in checked) return bad(checked.problem, valuePath);
      const days = checked.value as number;
      if (op === 'anniversary_within_next_days') {
        const monthDays = upcomingMonthDays(ctx.now, days);
        if (operand.monthDay) return sql`${operand.monthDay} in (${sql.join(monthDays.map((md) => Number(md.replace('-', ''))))})`;
        return sql`to_char(${expr}, 'MM-DD') in (${sql.join(monthDays)})`;
      }
      const cutoff = new Date(ctx.now.getTime() - days * DAY);
      const bound = type === 'date' ? sql`${cutoff.toISOString().slice(0, 10)}::date` : sql`${cutoff}::timestamptz`;
      return op === 'within_last_days' ? sql`${expr} >= ${bound}` : sql`${expr} < ${bound}`;
    }
  }
  return bad(`unsupported operator ${op}`);
}
