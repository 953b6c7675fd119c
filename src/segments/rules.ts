// The public segment rule format, parsed from JSON with a path to every problem ($.all[0].value).
import { CHANNEL_NAMES, type ChannelName } from '../channels/index.js';
import type { FieldProblem } from '../errors.js';
import { unstorableText } from '../http/storable.js';
import { checkValue, type ValueKind, type ValueRule } from './values.js';

export const FIELD_OPS = [
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in', 'contains', 'starts_with', 'exists', 'not_exists',
  'within_last_days', 'not_within_last_days', 'anniversary_within_next_days',
] as const;
export type FieldOp = (typeof FIELD_OPS)[number];
export const COMPARE_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export const ENGAGEMENTS = ['received', 'opened', 'clicked', 'replied', 'converted'] as const;
export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'slowing', 'lapsed'] as const;

export type Scalar = string | number | boolean;
export interface Comparison { op: CompareOp; value: number }
export interface PropertyCondition { property: string; op: FieldOp; value?: unknown }

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | { field: string; op: FieldOp; value?: unknown }
  | { event: string; where?: PropertyCondition[]; within_days?: number; count?: Comparison; sum?: Comparison & { property: string } }
  | {
      engagement: (typeof ENGAGEMENTS)[number]; campaign_id?: number; last_n_campaigns?: number; within_days?: number; count?: Comparison;
      /** Opens and clicks count people's only, unless this is true (Apple's proxy, scanners: docs/TRACKING.md). */
      include_machine?: boolean;
    }
  | { subscribed: { channel: ChannelName; topic?: string } }
  | { lifecycle: (typeof LIFECYCLE_STAGES)[number] }
  | { top_percent: { percent: number; by: { field: string } | { event: string; sum: string; within_days?: number } } }
  | { rfm: { recency?: [number, number]; frequency?: [number, number]; monetary?: [number, number] } }
  | { segment: number };

export class RuleProblems extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

const MAX_DEPTH = 20;
const MAX_NODES = 500;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number) => 'value' in checkValue('integer', v, { min, max });
// Counts are compared with count(*) and with contact_stats.purchase_count, an integer column.
const COUNT: ValueRule = { min: 0, max: 2_147_483_647, noun: 'a whole number' };
const DAYS: ValueRule = { min: 1, max: 36500, noun: 'a whole number of days' };
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => (list as readonly unknown[]).includes(v);

/** Parses and structurally checks a rule; names and types are checked later against the schema. */
export function parseRule(raw: unknown, path = '$'): Rule {
  const problems: FieldProblem[] = [];
  let nodes = 0;
  const fail = (p: string, message: string): never => {
    problems.push({ field: p, message });
    throw new RuleProblems(problems);
  };
  const keysOnly = (node: Record<string, unknown>, p: string, allowed: string[]) => {
    for (const k of Object.keys(node)) if (!allowed.includes(k)) fail(`${p}.${k}`, `unexpected key; allowed here: ${allowed.join(', ')}`);
  };
  const checked = (kind: ValueKind, v: unknown, p: string, rule?: ValueRule) => {
    const c = checkValue(kind, v, rule);
    return 'value' in c ? c.value : fail(p, c.problem);
  };
  // A count is a whole number; a sum any finite number.
  const comparison = (v: unknown, p: string, kind: 'integer' | 'number', extra: string[] = []): Comparison => {
    if (!isObject(v)) return fail(p, 'must be {op, value}');
    keysOnly(v, p, ['op', 'value', ...extra]);
    if (!COMPARE_OPS.includes(v.op as CompareOp)) fail(`${p}.op`, `must be one of ${COMPARE_OPS.join(', ')}`);
    return { op: v.op as CompareOp, value: checked(kind, v.value, `${p}.value`, kind === 'integer' ? COUNT : undefined) as number };
  };
  const days = (v: unknown, p: string) => (v === undefined ? undefined : (checked('integer', v, p, DAYS) as number));
  // Values are checked against their field's type when the rule is compiled; here, that they are values at all
  // (a scalar or a list of scalars) and can be stored.
  const value = (v: unknown, p: string) => {
    if (v === undefined || isScalar(v)) return v;
    if (!Array.isArray(v) || !v.every(isScalar)) return fail(p, 'must be a value, or a list of values');
    return v;
  };
  const storable = (v: unknown, p: string) => {
    const items = Array.isArray(v) ? v.map((x, i) => [x, `${p}[${i}]`] as const) : [[v, p] as const];
    for (const [x, at] of items) {
      const bad = typeof x === 'string' ? unstorableText(x) : undefined;
      if (bad) fail(at, bad);
    }
    return v;
  };
  const visit = (node: unknown, p: string, depth: number): Rule => {
    if (++nodes > MAX_NODES) fail(p, `a rule may have at most ${MAX_NODES} conditions`);
    if (depth > MAX_DEPTH) fail(p, `groups may nest at most ${MAX_DEPTH} deep`);
    if (!isObject(node)) return fail(p, 'must be an object such as {"field": …}, {"all": […]} or {"event": …}');
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any';
      keysOnly(node, p, [key]);
      const list = node[key];
      if (!Array.isArray(list) || list.length === 0) return fail(`${p}.${key}`, 'must be a non-empty list of rules');
      return { [key]: list.map((r, i) => visit(r, `${p}.${key}[${i}]`, depth + 1)) } as Rule;
    }
    if ('not' in node) {
      keysOnly(node, p, ['not']);
      return { not: visit(node.not, `${p}.not`, depth + 1) };
    }
    if ('field' in node) {
      keysOnly(node, p, ['field', 'op', 'value']);
      if (typeof node.field !== 'string' || !node.field) fail(`${p}.field`, 'must be a field name such as email or attributes.host');
      if (!FIELD_OPS.includes(node.op as FieldOp)) fail(`${p}.op`, `must be one of ${FIELD_OPS.join(', ')}`);
      return { field: node.field as string, op: node.op as FieldOp, value: storable(value(node.value, `${p}.value`), `${p}.value`) };
    }
    if ('event' in node) {
      keysOnly(node, p, ['event', 'where', 'within_days', 'count', 'sum']);
      if (typeof node.event !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(node.event)) fail(`${p}.event`, 'must be an event type such as purchase');
      const where = node.where === undefined ? undefined : Array.isArray(node.where)
        ? node.where.map((w, i) => {
            const wp = `${p}.where[${i}]`;
            if (!isObject(w)) return fail(wp, 'must be {property, op, value}');
            keysOnly(w, wp, ['property', 'op', 'value']);
            if (typeof w.property !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(w.property)) fail(`${wp}.property`, 'must be a property name');
            if (!FIELD_OPS.includes(w.op as FieldOp)) fail(`${wp}.op`, `must be one of ${FIELD_OPS.join(', ')}`);
            return { property: w.property as string, op: w.op as FieldOp, value: storable(value(w.value, `${wp}.value`), `${wp}.value`) };
          })
        : fail(`${p}.where`, 'must be a list of property conditions');
      let sum: (Comparison & { property: string }) | undefined;
      if (node.sum !== undefined) {
        const s = node.sum as Record<string, unknown>;
        const c = comparison(s, `${p}.sum`, 'number', ['property']);
        const property = s.property ?? 'value';
        if (typeof property !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(property)) fail(`${p}.sum.property`, 'must be a property name');
        sum = { ...c, property: property as string };
      }
      return {
        event: node.event as string, where, within_days: days(node.within_days, `${p}.within_days`),
        count: node.count === undefined ? undefined : comparison(node.count, `${p}.count`, 'integer'), sum,
      };
    }
    if ('engagement' in node) {
      keysOnly(node, p, ['engagement', 'campaign_id', 'last_n_campaigns', 'within_days', 'count', 'include_machine']);
      if (!isOneOf(ENGAGEMENTS, node.engagement)) fail(`${p}.engagement`, `must be one of ${ENGAGEMENTS.join(', ')}`);
      if (node.campaign_id !== undefined && !isInt(node.campaign_id, 1, Number.MAX_SAFE_INTEGER)) fail(`${p}.campaign_id`, 'must be a campaign id');
      if (node.last_n_campaigns !== undefined && !isInt(node.last_n_campaigns, 1, 100)) fail(`${p}.last_n_campaigns`, 'must be between 1 and 100');
      if (node.campaign_id !== undefined && node.last_n_campaigns !== undefined) fail(p, 'give campaign_id or last_n_campaigns, not both');
      if (node.include_machine !== undefined && typeof node.include_machine !== 'boolean') fail(`${p}.include_machine`, 'must be true or false');
      if (node.include_machine !== undefined && node.engagement !== 'opened' && node.engagement !== 'clicked') {
        fail(`${p}.include_machine`, 'applies to opened and clicked only');
      }
      return {
        engagement: node.engagement as (typeof ENGAGEMENTS)[number],
        campaign_id: node.campaign_id as number | undefined,
        last_n_campaigns: node.last_n_campaigns as number | undefined,
        within_days: days(node.within_days, `${p}.within_days`),
        count: node.count === undefined ? undefined : comparison(node.count, `${p}.count`, 'integer'),
        ...(node.include_machine === true ? { include_machine: true } : {}),
      };
    }
    if ('subscribed' in node) {
      keysOnly(node, p, ['subscribed']);
      const s = node.subscribed;
      if (!isObject(s)) return fail(`${p}.subscribed`, 'must be {channel, topic?}');
      keysOnly(s, `${p}.subscribed`, ['channel', 'topic']);
      if (!isOneOf(CHANNEL_NAMES, s.channel)) fail(`${p}.subscribed.channel`, `must be one of ${CHANNEL_NAMES.join(', ')}`);
      if (s.topic !== undefined && (typeof s.topic !== 'string' || unstorableText(s.topic))) fail(`${p}.subscribed.topic`, 'must be a topic key');
      return { subscribed: { channel: s.channel as ChannelName, topic: s.topic as string | undefined } };
    }
    if ('lifecycle' in node) {
      keysOnly(node, p, ['lifecycle']);
      if (!isOneOf(LIFECYCLE_STAGES, node.lifecycle)) fail(`${p}.lifecycle`, `must be one of ${LIFECYCLE_STAGES.join(', ')}`);
      return { lifecycle: node.lifecycle as (typeof LIFECYCLE_STAGES)[number] };
    }
    if ('top_percent' in node) {
      keysOnly(node, p, ['top_percent']);
      const t = node.top_percent;
      const tp = `${p}.top_percent`;
      if (!isObject(t)) return fail(tp, 'must be {percent, by}');
      keysOnly(t, tp, ['percent', 'by']);
      if (!('value' in checkValue('number', t.percent)) || !((t.percent as number) > 0 && (t.percent as number) <= 100)) fail(`${tp}.percent`, 'must be a number above 0 and at most 100');
      const by = t.by;
      if (!isObject(by)) return fail(`${tp}.by`, 'must be {field} or {event, sum, within_days?}');
      if ('field' in by) {
        keysOnly(by, `${tp}.by`, ['field']);
        if (typeof by.field !== 'string') fail(`${tp}.by.field`, 'must be a number field such as attributes.annual_revenue');
        return { top_percent: { percent: t.percent as number, by: { field: by.field as string } } };
      }
      keysOnly(by, `${tp}.by`, ['event', 'sum', 'within_days']);
      if (typeof by.event !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(by.event)) fail(`${tp}.by.event`, 'must be an event type');
      if (typeof by.sum !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(by.sum)) fail(`${tp}.by.sum`, 'must be the property to add up, such as value');
      return {
        top_percent: { percent: t.percent as number, by: { event: by.event as string, sum: by.sum as string, within_days: days(by.within_days, `${tp}.by.within_days`) } },
      };
    }
    if ('rfm' in node) {
      keysOnly(node, p, ['rfm']);
      const r = node.rfm;
      if (!isObject(r)) return fail(`${p}.rfm`, 'must be {recency?, frequency?, monetary?}');
      keysOnly(r, `${p}.rfm`, ['recency', 'frequency', 'monetary']);
      const out: Record<string, [number, number]> = {};
      for (const k of ['recency', 'frequency', 'monetary'] as const) {
        if (r[k] === undefined) continue;
        const v = r[k] as unknown[];
        if (!Array.isArray(v) || v.length !== 2 || !isInt(v[0], 1, 5) || !isInt(v[1], 1, 5) || (v[0] as number) > (v[1] as number)) {
          fail(`${p}.rfm.${k}`, 'must be [low, high] scores from 1 to 5, low ≤ high');
        }
        out[k] = [v[0] as number, v[1] as number];
      }
      if (!Object.keys(out).length) fail(`${p}.rfm`, 'give at least one of recency, frequency, monetary');
      return { rfm: out };
    }
    if ('segment' in node) {
      keysOnly(node, p, ['segment']);
      if (!isInt(node.segment, 1, Number.MAX_SAFE_INTEGER)) fail(`${p}.segment`, 'must be a segment id');
      return { segment: node.segment as number };
    }
    return fail(p, 'unknown rule: expected one of all, any, not, field, event, engagement, subscribed, lifecycle, top_percent, rfm, segment');
  };
  return visit(raw, path, 0);
}

/** Segment ids a stored rule names, read leniently: a rule saved under older checks may no longer parse. */
export function mentionedSegments(raw: unknown, depth = 0): number[] {
  if (depth > MAX_DEPTH + 1 || typeof raw !== 'object' || raw === null) return [];
  if (Array.isArray(raw)) return raw.flatMap((r) => mentionedSegments(r, depth + 1));
  const node = raw as Record<string, unknown>;
  const own = typeof node.segment === 'number' ? [node.segment] : [];
  return [...own, ...(['all', 'any', 'not'] as const).flatMap((k) => mentionedSegments(node[k], depth + 1))];
}
