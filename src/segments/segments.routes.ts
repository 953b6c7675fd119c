import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, notFound, queryTimeout, security } from '../http/schemas.js';
import { RuleSchema, SegmentSchema } from './segments.views.js';

const tags = ['Segments'];

const Reach = z.object({
  with_address: z.number(),
  suppressed: z.number().optional(),
  subscribed: z.record(z.string(), z.number()).openapi({ description: 'Contacts subscribed, per topic' }),
  capped: z.record(z.string(), z.number()).optional()
    .openapi({ description: 'Reachable contacts already at each pressure cap now (their own frequency choice included); one contact may be at several' }),
  deferred_by_quiet_hours: z.number().optional().openapi({ description: 'Reachable contacts outside their send window now: a launch would defer them' }),
});

const PreviewSchema = z
  .object({
    count: z.number(),
    sample: z.array(z.record(z.string(), z.unknown())),
    reachability: z.object({ email: Reach, sms: Reach, postal: Reach }),
  })
  .openapi('SegmentPreview');

const ruleExample = {
  all: [
    { field: 'attributes.host', op: 'eq', value: true },
    { field: 'attributes.ambassador', op: 'eq', value: 'Maryse' },
    { field: 'attributes.annual_revenue', op: 'gt', value: 800 },
  ],
};
const segmentExample = {
  id: 3, name: 'Hôtesses actives', rule: ruleExample, created_at: '2026-11-01T10:00:00.000Z', updated_at: '2026-11-01T10:00:00.000Z',
};
const previewExample: z.output<typeof PreviewSchema> = {
  count: 41,
  sample: [
    { id: 42, external_id: 'C-00042', email: 'marie.dupont@example.fr', phone: '+33612345678', first_name: 'Marie', last_name: 'Dupont',
      locale: 'fr' },
  ],
  reachability: {
    email: { with_address: 41, suppressed: 0, subscribed: { newsletter: 37 }, capped: {}, deferred_by_quiet_hours: 0 },
    sms: { with_address: 30, suppressed: 1, subscribed: { promotions: 22 }, capped: { 'sms: 2 per calendar month': 3 }, deferred_by_quiet_hours: 12 },
    postal: { with_address: 18, subscribed: {} },
  },
};

const Priority = z.enum(['high', 'normal', 'low']).optional()
  .openapi({ description: 'Priority of the message the cap counts are for (low never uses the last slot of a cap); default normal' });

export const createSegmentRoute = createRoute({
  method: 'post', path: '/segments', tags, security, summary: 'Save a segment',
  description:
    'A name and a rule (see SegmentRule: conditions on fields, events, engagement, consent, lifecycle and value, grouped ' +
    'with all, any and not, and references to other segments). The rule is checked and compiled first: an invalid one ' +
    'is a 422 whose details[].field is the JSON path of the faulty node (rule.all[1].field). Members are not stored: a ' +
    'segment is evaluated each time it is previewed, frozen or launched.',
  request: exampleBody(z.object({ name: z.string().min(1).max(200), rule: RuleSchema }).strict(), { name: segmentExample.name, rule: ruleExample }),
  responses: { 201: exampleResponse(SegmentSchema, 'Created', segmentExample), ...badRequest, ...commonErrors },
});

export const listSegmentsRoute = createRoute({
  method: 'get', path: '/segments', tags, security, request: { query: pageQuery },
  summary: 'List segments',
  description: 'Segments oldest first, with their rules; next_cursor continues.',
  responses: { 200: exampleResponse(pageSchema(SegmentSchema), 'Segments', { data: [segmentExample], next_cursor: null }), ...commonErrors },
});

export const getSegmentRoute = createRoute({
  method: 'get', path: '/segments/{id}', tags, security, request: { params: IdParam },
  summary: 'Get a segment',
  description: 'The segment\'s name and rule. 404 for an unknown segment.',
  responses: { 200: exampleResponse(SegmentSchema, 'The segment', segmentExample), ...commonErrors, ...notFound },
});

export const patchSegmentRoute = createRoute({
  method: 'patch', path: '/segments/{id}', tags, security,
  summary: 'Rename a segment or change its rule',
  description:
    'Only what is given changes. A new rule is checked as on creation (422 with the JSON path of the faulty node), and ' +
    'one that would refer back to this segment is a cycle. Campaigns already launched are not affected: their audience ' +
    'was evaluated at launch. 404 for an unknown segment.',
  request: {
    params: IdParam,
    ...exampleBody(z.object({ name: z.string().min(1).max(200).optional(), rule: RuleSchema.optional() }).strict(), { name: 'Hôtesses de Maryse' }),
  },
  responses: {
    200: exampleResponse(SegmentSchema, 'Changed', { ...segmentExample, name: 'Hôtesses de Maryse', updated_at: '2026-11-04T11:00:00.000Z' }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});

export const deleteSegmentRoute = createRoute({
  method: 'delete', path: '/segments/{id}', tags, security, request: { params: IdParam },
  summary: 'Delete a segment',
  description:
    '409 while another segment refers to it; 404 for an unknown segment. A draft campaign whose audience uses it can ' +
    'no longer be launched (409 at launch); campaigns already launched are not affected.',
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});

export const previewRuleRoute = createRoute({
  method: 'post', path: '/segments/preview', tags, security, summary: 'Preview an unsaved rule: count, sample and reachability',
  description:
    'Counts the contacts the rule matches now, with a sample of 20 (by id), and per channel how many have an address, ' +
    'how many of those are suppressed and how many are subscribed to each topic. For email and SMS it also says how many ' +
    'reachable contacts each pressure cap and quiet hours would hold back from a marketing message of `priority` ' +
    '(default normal) sent now. Nothing is saved; 422 for an invalid rule, 503 when it runs past its time limit.',
  request: exampleBody(z.object({ rule: RuleSchema, priority: Priority }).strict(), { rule: { lifecycle: 'lapsed' }, priority: 'low' }),
  responses: { 200: exampleResponse(PreviewSchema, 'Preview', previewExample), ...badRequest, ...commonErrors, ...queryTimeout },
});

export const previewSegmentRoute = createRoute({
  method: 'get', path: '/segments/{id}/preview', tags, security, request: { params: IdParam, query: z.object({ priority: Priority }).strict() },
  summary: 'Preview a saved segment: count, sample and reachability',
  description:
    'What POST /v1/segments/preview gives (count, a sample of 20, reachability per channel, and what caps and quiet hours ' +
    'would hold back at `priority`), for the segment\'s saved rule as it matches now. 422 when the rule is no longer ' +
    'valid (a segment it refers to changed), 503 when it runs past its time limit, 404 for an unknown segment.',
  responses: { 200: exampleResponse(PreviewSchema, 'Preview', previewExample), ...badRequest, ...commonErrors, ...notFound, ...queryTimeout },
});

export const freezeSegmentRoute = createRoute({
  method: 'post', path: '/segments/{id}/freeze', tags, security, summary: "Copy the segment's current members into a new static list",
  description:
    'The list holds the members as of now and does not follow the segment afterwards; its name defaults to the ' +
    'segment\'s with today\'s date. It is made in one transaction, so a run past the time limit (503) leaves no list ' +
    'behind. 404 for an unknown segment.',
  request: {
    params: IdParam,
    body: {
      ...exampleBody(z.object({ name: z.string().min(1).max(200).optional() }).strict(), { name: 'Hôtesses actives (2026-11-04)' }).body,
      required: false,
    },
  },
  responses: {
    201: exampleResponse(z.object({ list_id: z.number(), name: z.string(), members: z.number() }), 'The new list', {
      list_id: 5, name: 'Hôtesses actives (2026-11-04)', members: 87,
    }),
    ...commonErrors, ...notFound, ...queryTimeout,
  },
});

const LifecycleSchema = z.object({ new_days: z.number(), slowing_days: z.number(), lapsed_days: z.number() });
const lifecycle = { new_days: 30, slowing_days: 180, lapsed_days: 365 };
const lifecycleStages =
  'Stages come from purchase events: prospect (never purchased), new (first purchase within new_days), then active, ' +
  'slowing (no purchase for slowing_days) and lapsed (none for lapsed_days).';

export const getLifecycleRoute = createRoute({
  method: 'get', path: '/settings/lifecycle', tags: ['Settings'], security,
  summary: 'Get the lifecycle thresholds',
  description: `The days that place each contact in a lifecycle stage for segments ({"lifecycle": …}). ${lifecycleStages} Defaults: 30, 180 and 365.`,
  responses: {
    200: exampleResponse(LifecycleSchema, 'Lifecycle thresholds in days', lifecycle),
    ...commonErrors,
  },
});

export const putLifecycleRoute = createRoute({
  method: 'put', path: '/settings/lifecycle', tags: ['Settings'], security,
  summary: 'Set the lifecycle thresholds',
  description:
    `Admins only. ${lifecycleStages} new_days < slowing_days < lapsed_days, else 422. Segments use the new thresholds ` +
    'from their next evaluation; the change is recorded in the audit log.',
  request: exampleBody(
    z.object({
      new_days: z.number().int().min(1).max(3650), slowing_days: z.number().int().min(1).max(3650), lapsed_days: z.number().int().min(1).max(3650),
    }).strict(),
    { new_days: 60, slowing_days: 120, lapsed_days: 270 },
  ),
  responses: {
    200: exampleResponse(LifecycleSchema, 'Saved', { new_days: 60, slowing_days: 120, lapsed_days: 270 }),
    ...badRequest, ...commonErrors,
  },
});
