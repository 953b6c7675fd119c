// What the API shows of a segment: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { iso, jsonObject } from '../http/views.js';
import type { getSegment } from './segments.service.js';

const RULE_DESCRIPTION = `A segment rule (JSON). Groups: {"all": [rule…]}, {"any": [rule…]}, {"not": rule}, nesting freely.
Field: {"field": F, "op": OP, "value": V} where F is a contact field (email, locale, created_at, address.city…) or attributes.<name>,
OP one of eq, neq, lt, lte, gt, gte, between, in, not_in, contains, starts_with, exists, not_exists, and for dates
within_last_days, not_within_last_days, anniversary_within_next_days.
Event: {"event": TYPE, "where"?: [{property, op, value}], "within_days"?: N, "count"?: {op, value}, "sum"?: {property, op, value}} (default: at least once; count eq 0 = never).
Engagement: {"engagement": received|opened|clicked|replied|converted, "campaign_id"?, "last_n_campaigns"?, "within_days"?, "count"?, "include_machine"?} (opens and clicks count people's only, unless include_machine is true).
Consent: {"subscribed": {"channel": C, "topic"?: T}}. Lifecycle: {"lifecycle": prospect|new|active|slowing|lapsed}.
Value: {"top_percent": {"percent": 20, "by": {"field": "attributes.annual_revenue"} | {"event": "purchase", "sum": "value", "within_days": 365}}},
{"rfm": {"recency": [4, 5], "frequency": [3, 5], "monetary": [4, 5]}} (quintile scores, 5 best). Reference: {"segment": id}.`;

export const RuleSchema = z.record(z.string(), z.unknown()).openapi('SegmentRule', {
  description: RULE_DESCRIPTION,
  example: {
    all: [
      { field: 'attributes.host', op: 'eq', value: true },
      { field: 'attributes.ambassador', op: 'eq', value: 'Maryse' },
      { field: 'attributes.annual_revenue', op: 'gt', value: 800 },
    ],
  },
});

export const SegmentSchema = z
  .object({ id: z.number(), name: z.string(), rule: RuleSchema, created_at: z.string(), updated_at: z.string() })
  .openapi('Segment');

type SegmentRow = Awaited<ReturnType<typeof getSegment>>;

export function toSegmentView(s: SegmentRow): z.output<typeof SegmentSchema> {
  return { id: s.id, name: s.name, rule: jsonObject(s.rule), created_at: iso(s.created_at), updated_at: iso(s.updated_at) };
}
