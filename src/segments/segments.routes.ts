import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
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

const Priority = z.enum(['high', 'normal', 'low']).optional()
  .openapi({ description: 'Priority of the message the cap counts are for (low never uses the last slot of a cap); default normal' });

export const createSegmentRoute = createRoute({
  method: 'post', path: '/segments', tags, security, summary: 'Save a segment; invalid rules get a 422 with the JSON path of the faulty node',
  request: jsonBody(z.object({ name: z.string().min(1).max(200), rule: RuleSchema }).strict()),
  responses: { 201: jsonResponse(SegmentSchema, 'Created'), ...badRequest, ...commonErrors },
});

export const listSegmentsRoute = createRoute({
  method: 'get', path: '/segments', tags, security, request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(SegmentSchema), 'Segments'), ...commonErrors },
});

export const getSegmentRoute = createRoute({
  method: 'get', path: '/segments/{id}', tags, security, request: { params: IdParam },
  responses: { 200: jsonResponse(SegmentSchema, 'The segment'), ...commonErrors, ...notFound },
});

export const patchSegmentRoute = createRoute({
  method: 'patch', path: '/segments/{id}', tags, security,
  request: { params: IdParam, ...jsonBody(z.object({ name: z.string().min(1).max(200).optional(), rule: RuleSchema.optional() }).strict()) },
  responses: { 200: jsonResponse(SegmentSchema, 'Changed'), ...badRequest, ...commonErrors, ...notFound },
});

export const deleteSegmentRoute = createRoute({
  method: 'delete', path: '/segments/{id}', tags, security, request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});

export const previewRuleRoute = createRoute({
  method: 'post', path: '/segments/preview', tags, security, summary: 'Count, sample and reachability of an unsaved rule',
  request: jsonBody(z.object({ rule: RuleSchema, priority: Priority }).strict()),
  responses: { 200: jsonResponse(PreviewSchema, 'Preview'), ...badRequest, ...commonErrors },
});

export const previewSegmentRoute = createRoute({
  method: 'get', path: '/segments/{id}/preview', tags, security, request: { params: IdParam, query: z.object({ priority: Priority }) },
  responses: { 200: jsonResponse(PreviewSchema, 'Preview'), ...badRequest, ...commonErrors, ...notFound },
});

export const freezeSegmentRoute = createRoute({
  method: 'post', path: '/segments/{id}/freeze', tags, security, summary: "Copy the segment's current members into a new static list",
  request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(200).optional() }).strict() } }, required: false } },
  responses: { 201: jsonResponse(z.object({ list_id: z.number(), name: z.string(), members: z.number() }), 'The new list'), ...commonErrors, ...notFound },
});

export const getLifecycleRoute = createRoute({
  method: 'get', path: '/settings/lifecycle', tags: ['Settings'], security,
  responses: { 200: jsonResponse(z.object({ new_days: z.number(), slowing_days: z.number(), lapsed_days: z.number() }), 'Lifecycle thresholds in days'), ...commonErrors },
});

export const putLifecycleRoute = createRoute({
  method: 'put', path: '/settings/lifecycle', tags: ['Settings'], security,
  summary: 'new = first purchase within new_days; active/slowing/lapsed by days since the last purchase',
  request: jsonBody(z.object({ new_days: z.number().int().min(1).max(3650), slowing_days: z.number().int().min(1).max(3650), lapsed_days: z.number().int().min(1).max(3650) }).strict()),
  responses: { 200: jsonResponse(z.object({ new_days: z.number(), slowing_days: z.number(), lapsed_days: z.number() }), 'Saved'), ...badRequest, ...commonErrors },
});
