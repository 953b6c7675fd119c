import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from './suppressions.repository.js';

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

export const listSuppressionsRoute = createRoute({
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

export const createSuppressionRoute = createRoute({
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

export const deleteSuppressionRoute = createRoute({
  method: 'delete', path: '/suppressions/{id}', tags, security, summary: 'Allow sending to an address again',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound, ...conflict },
});
