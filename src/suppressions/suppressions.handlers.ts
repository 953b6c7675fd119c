import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { paginate, pageQuery, pageSchema, toPage } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from './suppressions.repository.js';
import { findSuppressions, suppressManually, unsuppress } from './suppressions.service.js';

const tags = ['Suppressions'];
const SuppressionSchema = z
  .object({
    id: z.number(),
    channel: z.enum(SUPPRESSION_CHANNELS),
    address: z.string().nullable().openapi({ description: 'Null once the person was erased: the hash still matches' }),
    reason: z.enum(SUPPRESSION_REASONS),
    source: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Suppression');

const listRoute = createRoute({
  method: 'get', path: '/suppressions', tags, security, summary: 'Addresses never sent to, transactional mail included',
  request: {
    query: pageQuery.extend({
      channel: z.enum(SUPPRESSION_CHANNELS).optional(),
      reason: z.enum(SUPPRESSION_REASONS).optional(),
      address: z.string().min(1).max(320).optional().openapi({ description: 'Find one address (matched by hash, so erased entries too)' }),
    }),
  },
  responses: { 200: jsonResponse(pageSchema(SuppressionSchema), 'Suppressions'), ...commonErrors },
});
const createSuppressionRoute = createRoute({
  method: 'post', path: '/suppressions', tags, security, summary: 'Suppress an address by hand (idempotent)',
  request: jsonBody(
    z.object({
      channel: z.enum(SUPPRESSION_CHANNELS),
      address: z.string().min(1).max(320).openapi({ example: 'jeanne@example.fr' }),
      reason: z.literal('manual').default('manual'),
    }).strict(),
  ),
  responses: {
    201: jsonResponse(SuppressionSchema, 'Suppressed'),
    200: jsonResponse(SuppressionSchema, 'Already suppressed (the existing entry, reason unchanged)'),
    ...badRequest, ...commonErrors,
  },
});
const deleteRoute = createRoute({
  method: 'delete', path: '/suppressions/{id}', tags, security, summary: 'Allow sending to an address again',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound, ...conflict },
});

export function suppressionsRouter() {
  const app = createRouter();
  app.openapi(listRoute, async (c) => {
    const { channel, reason, address, ...q } = c.req.valid('query');
    const page = toPage(q);
    const rows = await findSuppressions(c.get('deps').db, { channel, reason, address }, page);
    return c.json(paginate(rows, page.limit) as never, 200);
  });
  app.openapi(createSuppressionRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { channel, address } = c.req.valid('json');
    const result = await suppressManually(db, { channel, address }, c.get('apiKey').name, clock());
    return c.json(result.suppression as never, result.created ? 201 : 200);
  });
  app.openapi(deleteRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await unsuppress(db, c.req.valid('param').id, c.get('apiKey').name, clock());
    return c.body(null, 204);
  });
  return app;
}
