import { createRoute, z } from '@hono/zod-openapi';
import { badRequest, commonErrors, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { ROLES } from './roles.js';

const KeySchema = z
  .object({ id: z.number(), name: z.string(), role: z.enum(ROLES), prefix: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })
  .openapi('ApiKey');
export type ApiKey = z.output<typeof KeySchema>;

export const createKeyRoute = createRoute({
  method: 'post', path: '/api-keys', tags: ['Access'], security,
  summary: 'Create an API key (admin); the key is shown once',
  request: jsonBody(z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) }).strict()),
  responses: { 201: jsonResponse(KeySchema.extend({ key: z.string() }), 'Created'), ...badRequest, ...commonErrors },
});

export const listKeysRoute = createRoute({
  method: 'get', path: '/api-keys', tags: ['Access'], security,
  responses: { 200: jsonResponse(z.object({ data: z.array(KeySchema), next_cursor: z.null() }), 'Keys (never the secrets)'), ...commonErrors },
});

export const revokeKeyRoute = createRoute({
  method: 'delete', path: '/api-keys/{id}', tags: ['Access'], security,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...commonErrors, ...notFound },
});
