import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { paginate, pageQuery, pageSchema, toPage } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import {
  createSegment, freezeSegment, getSegment, lifecycleSettings, listSegments, patchSegment, previewRule, previewSegment, removeSegment,
  setLifecycleSettings,
} from './segments.service.js';

const tags = ['Segments'];

export const RULE_DESCRIPTION = `A segment rule (JSON). Groups: {"all": [rule…]}, {"any": [rule…]}, {"not": rule}, nesting freely.
Field: {"field": F, "op": OP, "value": V} where F is a contact field (email, locale, created_at, address.city…) or attributes.<name>,
OP one of eq, neq, lt, lte, gt, gte, between, in, not_in, contains, starts_with, exists, not_exists, and for dates
within_last_days, not_within_last_days, anniversary_within_next_days.
Event: {"event": TYPE, "where"?: [{property, op, value}], "within_days"?: N, "count"?: {op, value}, "sum"?: {property, op, value}} (default: at least once; count eq 0 = never).
Engagement: {"engagement": received|opened|clicked|replied|converted, "campaign_id"?, "last_n_campaigns"?, "within_days"?, "count"?}.
Consent: {"subscribed": {"channel": C, "topic"?: T}}. Lifecycle: {"lifecycle": prospect|new|active|slowing|lapsed}.
Value: {"top_percent": {"percent": 20, "by": {"field": "attributes.annual_revenue"} | {"event": "purchase", "sum": "value", "within_days": 365}}},
{"rfm": {"recency": [4, 5], "frequency": [3, 5], "monetary": [4, 5]}} (quintile scores, 5 best). Reference: {"segment": id}.`;

const RuleSchema = z.record(z.string(), z.unknown()).openapi('SegmentRule', {
  description: RULE_DESCRIPTION,
  example: {
    all: [
      { field: 'attributes.host', op: 'eq', value: true },
      { field: 'attributes.ambassador', op: 'eq', value: 'Maryse' },
      { field: 'attributes.annual_revenue', op: 'gt', value: 800 },
    ],
  },
});

const SegmentSchema = z
  .object({ id: z.number(), name: z.string(), rule: RuleSchema, created_at: z.string(), updated_at: z.string() })
  .openapi('Segment');

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

const Priority = z.enum(['high', 'normal', 'low']).optional()
  .openapi({ description: 'Priority of the message the cap counts are for (low never uses the last slot of a cap); default normal' });

const routes = {
  create: createRoute({
    method: 'post', path: '/segments', tags, security, summary: 'Save a segment; invalid rules get a 422 with the JSON path of the faulty node',
    request: jsonBody(z.object({ name: z.string().min(1).max(200), rule: RuleSchema }).strict()),
    responses: { 201: jsonResponse(SegmentSchema, 'Created'), ...badRequest, ...commonErrors },
  }),
  list: createRoute({
    method: 'get', path: '/segments', tags, security, request: { query: pageQuery },
    responses: { 200: jsonResponse(pageSchema(SegmentSchema), 'Segments'), ...commonErrors },
  }),
  get: createRoute({
    method: 'get', path: '/segments/{id}', tags, security, request: { params: IdParam },
    responses: { 200: jsonResponse(SegmentSchema, 'The segment'), ...commonErrors, ...notFound },
  }),
  patch: createRoute({
    method: 'patch', path: '/segments/{id}', tags, security,
    request: { params: IdParam, ...jsonBody(z.object({ name: z.string().min(1).max(200).optional(), rule: RuleSchema.optional() }).strict()) },
    responses: { 200: jsonResponse(SegmentSchema, 'Changed'), ...badRequest, ...commonErrors, ...notFound },
  }),
  delete: createRoute({
    method: 'delete', path: '/segments/{id}', tags, security, request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
  }),
  previewRule: createRoute({
    method: 'post', path: '/segments/preview', tags, security, summary: 'Count, sample and reachability of an unsaved rule',
    request: jsonBody(z.object({ rule: RuleSchema, priority: Priority }).strict()),
    responses: { 200: jsonResponse(PreviewSchema, 'Preview'), ...badRequest, ...commonErrors },
  }),
  preview: createRoute({
    method: 'get', path: '/segments/{id}/preview', tags, security, request: { params: IdParam, query: z.object({ priority: Priority }) },
    responses: { 200: jsonResponse(PreviewSchema, 'Preview'), ...badRequest, ...commonErrors, ...notFound },
  }),
  freeze: createRoute({
    method: 'post', path: '/segments/{id}/freeze', tags, security, summary: "Copy the segment's current members into a new static list",
    request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(200).optional() }).strict() } }, required: false } },
    responses: { 201: jsonResponse(z.object({ list_id: z.number(), name: z.string(), members: z.number() }), 'The new list'), ...commonErrors, ...notFound },
  }),
  getLifecycle: createRoute({
    method: 'get', path: '/settings/lifecycle', tags: ['Settings'], security,
    responses: { 200: jsonResponse(z.object({ new_days: z.number(), slowing_days: z.number(), lapsed_days: z.number() }), 'Lifecycle thresholds in days'), ...commonErrors },
  }),
  putLifecycle: createRoute({
    method: 'put', path: '/settings/lifecycle', tags: ['Settings'], security,
    summary: 'new = first purchase within new_days; active/slowing/lapsed by days since the last purchase',
    request: jsonBody(z.object({ new_days: z.number().int().min(1).max(3650), slowing_days: z.number().int().min(1).max(3650), lapsed_days: z.number().int().min(1).max(3650) }).strict()),
    responses: { 200: jsonResponse(z.object({ new_days: z.number(), slowing_days: z.number(), lapsed_days: z.number() }), 'Saved'), ...badRequest, ...commonErrors },
  }),
};

export function segmentsRouter() {
  const app = createRouter();
  app.openapi(routes.create, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json((await createSegment(db, c.req.valid('json'), clock())) as never, 201);
  });
  app.openapi(routes.list, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate(await listSegments(c.get('deps').db, page), page.limit) as never, 200);
  });
  app.openapi(routes.previewRule, async (c) => {
    const { db, clock } = c.get('deps');
    const body = c.req.valid('json');
    return c.json((await previewRule(db, body.rule, clock(), body.priority)) as never, 200);
  });
  app.openapi(routes.get, async (c) => c.json((await getSegment(c.get('deps').db, c.req.valid('param').id)) as never, 200));
  app.openapi(routes.patch, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json((await patchSegment(db, c.req.valid('param').id, c.req.valid('json'), clock())) as never, 200);
  });
  app.openapi(routes.delete, async (c) => {
    await removeSegment(c.get('deps').db, c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.preview, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json((await previewSegment(db, c.req.valid('param').id, clock(), c.req.valid('query').priority)) as never, 200);
  });
  app.openapi(routes.freeze, async (c) => {
    const { db, clock } = c.get('deps');
    const body = (await c.req.json().catch(() => ({}))) as { name?: unknown };
    const name = typeof body?.name === 'string' && body.name.trim() ? body.name.slice(0, 200) : undefined;
    return c.json(await freezeSegment(db, c.req.valid('param').id, name, clock()), 201);
  });
  app.openapi(routes.getLifecycle, async (c) => c.json(await lifecycleSettings(c.get('deps').db), 200));
  app.openapi(routes.putLifecycle, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await setLifecycleSettings(db, c.req.valid('json'), c.get('apiKey').name, clock()), 200);
  });
  return app;
}
