// A segment rule becomes one SQL predicate over `contacts c`: no per-contact loop in JavaScript.
// Values are parameters; field, attribute and topic names are resolved against the schema first.
import { sql } from 'kysely';
import type { FieldProblem } from '../errors.js';
import { compareSql, condition, zeroSatisfies, type ConditionContext } from './conditions.js';
import { resolveField, type FieldType, type Sql } from './fields.js';
import { RuleProblems, type Comparison, type PropertyCondition, type Rule } from './rules.js';
import { subscribedNowSql } from '../consent/index.js';
import { PURCHASE_EVENT as PURCHASE, type AttributeDefinition } from '../contacts/index.js';

const DAY = 86_400_000;

export interface LifecycleSettings {
  new_days: number;
  slowing_days: number;
  lapsed_days: number;
}
export const DEFAULT_LIFECYCLE: LifecycleSettings = { new_days: 30, slowing_days: 180, lapsed_days: 365 };

export interface CompileContext {
  now: Date;
  attributes: Map<string, AttributeDefinition>;
  topics: Map<string, number>;
  lifecycle: LifecycleSettings;
  /** Rules of the segments this rule refers to, already loaded (see resolveReferences). */
  segments: Map<number, Rule>;
}

export function compileRule(rule: Rule, ctx: CompileContext, path = '$'): Sql {
  const problems: FieldProblem[] = [];
  const cctx: ConditionContext = { now: ctx.now, problem: (p) => problems.push(p) };
  const predicate = visit(rule, path, ctx, cctx, []);
  if (problems.length) throw new RuleProblems(problems);
  return predicate;
}

function cutoff(ctx: CompileContext, days: number) {
  return new Date(ctx.now.getTime() - days * DAY);
}

/**
 * Contacts whose matching rows satisfy a count or sum; contacts with no rows count as 0. `rows` selects
 * x.contact_id (and x.amount for sums).
 */
function aggregated(rows: Sql, aggregate: Sql, cmp: Comparison): Sql {
  const having = compareSql(aggregate, cmp.op, cmp.value);
  // NOT EXISTS, not NOT IN: the planner makes it a hash anti-join (NOT IN over a million ids falls back to a
  // row-by-row scan once the list outgrows work_mem), and it is immune to the null contact_id of messages
  // that outlived their contact.
  return zeroSatisfies(cmp.op, cmp.value)
    ? sql`not exists (select 1 from (select x.contact_id from (${rows}) x group by x.contact_id having not (${having})) y where y.contact_id = c.id)`
    : sql`c.id in (select x.contact_id from (${rows}) x group by x.contact_id having ${having})`;
}

/**
 * A count comparison that only asks whether there is any row ("never": eq 0, lt 1; "ever": gte 1, neq 0)
 * needs no grouping: a correlated (NOT) EXISTS, which the planner turns into an index anti- or semi-join.
 */
function countIsPresence(cmp: Comparison): 'none' | 'some' | undefined {
  // A count n satisfies `count OP value` exactly when 0 satisfies `0 OP value - n`.
  const holds = (n: number) => zeroSatisfies(cmp.op, cmp.value - n);
  if (holds(0) && !holds(1) && !holds(2)) return 'none';
  if (!holds(0) && holds(1) && holds(2) && holds(Number.MAX_SAFE_INTEGER)) return 'some';
  return undefined;
}

/** Compares a per-contact number held in contact_stats (0 for contacts without a row). */
function statsCompare(column: 'purchase_count' | 'purchase_total', cmp: Comparison): Sql {
  const test = compareSql(sql.ref(`st.${column}`), cmp.op, cmp.value);
  return zeroSatisfies(cmp.op, cmp.value)
    ? sql`not exists (select 1 from contact_stats st where st.contact_id = c.id and not (${test}))`
    : sql`exists (select 1 from contact_stats st where st.contact_id = c.id and ${test})`;
}

function propertyExpr(property: string, value: unknown): { expr: Sql; type: FieldType } {
  if (property === 'value') return { expr: sql`e.value`, type: 'number' };
  const sample = Array.isArray(value) ? value[0] : value;
  if (typeof sample === 'number') {
    // Properties are free-form JSON: only numbers are compared as numbers, anything else is no match.
    return { expr: sql`(case when jsonb_typeof(e.properties -> ${property}) = 'number' then (e.properties ->> ${property})::numeric end)`, type: 'number' };
  }
  if (typeof sample === 'boolean') return { expr: sql`(case when jsonb_typeof(e.properties -> ${property}) = 'boolean' then (e.properties ->> ${property})::boolean end)`, type: 'boolean' };
  return { expr: sql`(e.properties ->> ${property})`, type: 'text' };
}

function eventRows(type: string, where: PropertyCondition[] | undefined, withinDays: number | undefined, path: string, ctx: CompileContext, cctx: ConditionContext, select: Sql): Sql {
  const filters: Sql[] = [sql`e.type = ${type}`];
  if (withinDays !== undefined) filters.push(sql`e.occurred_at >= ${cutoff(ctx, withinDays)}::timestamptz`);
  (where ?? []).forEach((w, i) => {
    const { expr, type: t } = propertyExpr(w.property, w.value);
    filters.push(condition({ expr, type: t }, w.op, w.value, `${path}.where[${i}].op`, cctx));
  });
  return sql`select ${select} from events e where ${sql.join(filters, sql` and `)}`;
}

const RFM_COLUMN = { recency: 'last_purchase_at', frequency: 'purchase_count', monetary: 'purchase_total' } as const;

/**
 * percentile_disc(fraction) of a contact_stats column, read as the k-th value of the column's index instead of
 * sorting every row: k = ⌈fraction · n⌉, computed in float8 exactly as PostgreSQL's percentile_disc does.
 */
function percentile(column: (typeof RFM_COLUMN)[keyof typeof RFM_COLUMN], fraction: number): Sql {
  const col = sql.ref(`p.${column}`);
  return sql`(select ${col} from contact_stats p order by ${col}
    offset greatest(ceil(${fraction}::float8 * (select count(*) from contact_stats))::bigint - 1, 0) limit 1)`;
}

// Opens and clicks are people's unless machine ones are asked for too; least() ignores a null.
const ENGAGEMENT_COLUMN = {
  opened: [sql`m.first_open_human_at`, sql`least(m.first_open_human_at, m.first_open_machine_at)`],
  clicked: [sql`m.first_click_human_at`, sql`least(m.first_click_human_at, m.first_click_machine_at)`],
  replied: [sql`m.replied_at`, sql`m.replied_at`],
  converted: [sql`m.converted_at`, sql`m.converted_at`],
} as const;

function visit(rule: Rule, path: string, ctx: CompileContext, cctx: ConditionContext, stack: number[]): Sql {
  if ('all' in rule) return sql`(${sql.join(rule.all.map((r, i) => visit(r, `${path}.all[${i}]`, ctx, cctx, stack)), sql` and `)})`;
  if ('any' in rule) return sql`(${sql.join(rule.any.map((r, i) => visit(r, `${path}.any[${i}]`, ctx, cctx, stack)), sql` or `)})`;
  // coalesce: a condition that is unknown (null) for a contact is false, and so its negation is true.
  if ('not' in rule) return sql`not coalesce(${visit(rule.not, `${path}.not`, ctx, cctx, stack)}, false)`;

  if ('field' in rule) {
    const field = resolveField(rule.field, ctx.attributes);
    if (typeof field === 'string') {
      cctx.problem({ field: `${path}.field`, message: field });
      return sql`false`;
    }
    // No coalesce here, so expression indexes apply: a null comparison is false at the top of the WHERE, and
    // `not` coalesces its operand.
    return condition({ expr: field.expr('c'), type: field.type, values: field.values, monthDay: field.monthDay?.('c') }, rule.op, rule.value, `${path}.op`, cctx);
  }

  if ('event' in rule) {
    // All-time purchase counts and totals are kept per contact in contact_stats (a row only for buyers).
    const allPurchases = rule.event === PURCHASE && !rule.where?.length && rule.within_days === undefined;
    if (allPurchases && !rule.count && !rule.sum) return sql`exists (select 1 from contact_stats st where st.contact_id = c.id)`;
    const presence = allPurchases || rule.sum ? undefined : rule.count ? countIsPresence(rule.count) : 'some';
    if (presence) {
      const rows = eventRows(rule.event, rule.where, rule.within_days, path, ctx, cctx, sql`1`);
      return presence === 'some' ? sql`exists (${rows} and e.contact_id = c.id)` : sql`not exists (${rows} and e.contact_id = c.id)`;
    }
    const parts: Sql[] = [];
    if (rule.count) {
      parts.push(allPurchases ? statsCompare('purchase_count', rule.count)
        : aggregated(eventRows(rule.event, rule.where, rule.within_days, path, ctx, cctx, sql`e.contact_id`), sql`count(*)`, rule.count));
    }
    if (rule.sum) {
      if (allPurchases && rule.sum.property === 'value') parts.push(statsCompare('purchase_total', rule.sum));
      else {
        const { expr } = propertyExpr(rule.sum.property, 0);
        const rows = eventRows(rule.event, rule.where, rule.within_days, path, ctx, cctx, sql`e.contact_id, ${expr} as amount`);
        parts.push(aggregated(rows, sql`coalesce(sum(x.amount), 0)`, rule.sum));
      }
    }
    return sql`(${sql.join(parts, sql` and `)})`;
  }

  if ('engagement' in rule) {
    // What was received is the ledger's; what people did with it is message_engagement's, kept by the ingestion.
    const kind = rule.engagement;
    const received = kind === 'received';
    const table = received ? sql`messages` : sql`message_engagement`;
    const column = kind === 'received' ? sql`m.sent_at` : ENGAGEMENT_COLUMN[kind][rule.include_machine ? 1 : 0];
    // "is not null" on sent_at matches messages_sent_idx; message_engagement_contact_idx covers the others.
    const filters: Sql[] = [sql`${column} is not null`];
    if (received) filters.push(sql`m.status = 'sent'`);
    if (rule.campaign_id !== undefined) filters.push(sql`m.campaign_id = ${rule.campaign_id}`);
    if (rule.last_n_campaigns !== undefined) {
      filters.push(sql`m.campaign_id in (select id from campaigns where launched_at is not null order by launched_at desc, id desc limit ${rule.last_n_campaigns})`);
    }
    if (rule.within_days !== undefined) filters.push(sql`${column} >= ${cutoff(ctx, rule.within_days)}::timestamptz`);
    const where = sql.join(filters, sql` and `);
    const presence = rule.count ? countIsPresence(rule.count) : 'some';
    if (presence === 'some') return sql`exists (select 1 from ${table} m where m.contact_id = c.id and ${where})`;
    if (presence === 'none') return sql`not exists (select 1 from ${table} m where m.contact_id = c.id and ${where})`;
    return aggregated(sql`select m.contact_id from ${table} m where ${where}`, sql`count(*)`, rule.count!);
  }

  if ('subscribed' in rule) {
    const { channel, topic } = rule.subscribed;
    let topicFilter = sql`true`;
    if (topic !== undefined) {
      const id = ctx.topics.get(topic);
      if (id === undefined) {
        cctx.problem({ field: `${path}.subscribed.topic`, message: `topic "${topic}" does not exist` });
        return sql`false`;
      }
      topicFilter = sql`s.topic_id = ${id}`;
    }
    return sql`exists (select 1 from subscriptions s where s.contact_id = c.id and s.channel = ${channel} and ${subscribedNowSql(ctx.now)} and ${topicFilter})`;
  }

  if ('lifecycle' in rule) {
    const l = ctx.lifecycle;
    const isNew = sql`st.first_purchase_at >= ${cutoff(ctx, l.new_days)}::timestamptz`;
    const stage = {
      new: isNew,
      active: sql`not (${isNew}) and st.last_purchase_at >= ${cutoff(ctx, l.slowing_days)}::timestamptz`,
      slowing: sql`not (${isNew}) and st.last_purchase_at < ${cutoff(ctx, l.slowing_days)}::timestamptz and st.last_purchase_at >= ${cutoff(ctx, l.lapsed_days)}::timestamptz`,
      lapsed: sql`not (${isNew}) and st.last_purchase_at < ${cutoff(ctx, l.lapsed_days)}::timestamptz`,
    } as const;
    if (rule.lifecycle === 'prospect') return sql`not exists (select 1 from contact_stats st where st.contact_id = c.id)`;
    return sql`exists (select 1 from contact_stats st where st.contact_id = c.id and ${stage[rule.lifecycle]})`;
  }

  if ('top_percent' in rule) {
    const { percent, by } = rule.top_percent;
    if ('field' in by) {
      const field = resolveField(by.field, ctx.attributes);
      if (typeof field === 'string' || (field.type !== 'number' && field.type !== 'integer')) {
        cctx.problem({ field: `${path}.top_percent.by.field`, message: typeof field === 'string' ? field : `${by.field} is ${field.type}, not a number` });
        return sql`false`;
      }
      const v = field.expr('x');
      return sql`c.id in (select x.id from contacts x where ${v} is not null order by ${v} desc, x.id
        limit (select ceil(count(${v}) * ${percent}::numeric / 100)::bigint from contacts x))`;
    }
    // All-time purchase totals are kept per contact, indexed highest first: the top k is an index range.
    if (by.event === PURCHASE && by.sum === 'value' && by.within_days === undefined) {
      return sql`c.id in (select st.contact_id from contact_stats st where st.purchase_total > 0
        order by st.purchase_total desc, st.contact_id
        limit (select ceil(count(*) * ${percent}::numeric / 100)::bigint from contact_stats st where st.purchase_total > 0))`;
    }
    const { expr } = propertyExpr(by.sum, 0);
    const window = by.within_days !== undefined ? sql` and e.occurred_at >= ${cutoff(ctx, by.within_days)}::timestamptz` : sql``;
    // Sorting by the float8 of the total first is faster than comparing numerics, and keeps the exact order:
    // the conversion is monotonic, and equal floats fall back to the exact total.
    return sql`c.id in (with t as (select e.contact_id, sum(${expr}) as total from events e where e.type = ${by.event}${window} group by e.contact_id having sum(${expr}) > 0)
      select t.contact_id from t order by t.total::float8 desc, t.total desc, t.contact_id limit (select ceil(count(*) * ${percent}::numeric / 100)::bigint from t))`;
  }

  if ('rfm' in rule) {
    // Quintile scores: score(v) = 1 + how many of the 20/40/60/80th percentiles lie strictly below v.
    // So score ≥ lo ⇔ v > p[lo-1], and score ≤ hi ⇔ v ≤ p[hi]. Ties always share a score.
    const conds: Sql[] = [];
    for (const key of ['recency', 'frequency', 'monetary'] as const) {
      const range = rule.rfm[key];
      if (!range) continue;
      const [lo, hi] = range;
      const column = sql.ref(`st.${RFM_COLUMN[key]}`);
      if (lo > 1) conds.push(sql`${column} > ${percentile(RFM_COLUMN[key], (lo - 1) / 5)}`);
      if (hi < 5) conds.push(sql`${column} <= ${percentile(RFM_COLUMN[key], hi / 5)}`);
    }
    return sql`c.id in (select st.contact_id from contact_stats st where ${conds.length ? sql.join(conds, sql` and `) : sql`true`})`;
  }

  if ('segment' in rule) {
    const referenced = ctx.segments.get(rule.segment);
    if (!referenced) {
      cctx.problem({ field: `${path}.segment`, message: `segment ${rule.segment} does not exist` });
      return sql`false`;
    }
    if (stack.includes(rule.segment)) {
      cctx.problem({ field: `${path}.segment`, message: `segment ${rule.segment} refers back to itself` });
      return sql`false`;
    }
    return visit(referenced, `${path}.segment`, ctx, cctx, [...stack, rule.segment]);
  }
  cctx.problem({ field: path, message: 'unknown rule' });
  return sql`false`;
}

/** The ids of segments a rule names, directly. */
export function referencedSegments(rule: Rule): number[] {
  if ('all' in rule) return rule.all.flatMap(referencedSegments);
  if ('any' in rule) return rule.any.flatMap(referencedSegments);
  if ('not' in rule) return referencedSegments(rule.not);
  if ('segment' in rule) return [rule.segment];
  return [];
}
