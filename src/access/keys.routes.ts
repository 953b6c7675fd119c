import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, IdParam, notFound, security } from '../http/schemas.js';
import { ROLES } from './roles.js';

const KeySchema = z
  .object({ id: z.number(), name: z.string(), role: z.enum(ROLES), prefix: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })
  .openapi('ApiKey');
export type ApiKey = z.output<typeof KeySchema>;

const analyticsKey: ApiKey = {
  id: 4, name: 'Analytics', role: 'analyst', prefix: 'rk_Xq7vM', created_at: '2026-03-02T10:15:00.000Z', revoked_at: null,
};

export const createKeyRoute = createRoute({
  method: 'post', path: '/api-keys', tags: ['Access'], security,
  summary: 'Create an API key',
  description:
    'Admins only. The key comes back in `key` this once: only its hash is stored, and `prefix` (its first 8 characters) ' +
    'names it afterwards. Roles: admin (everything), marketer (read and change contacts, content and campaigns), analyst ' +
    '(read only). Recorded in the audit log.',
  request: exampleBody(z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) }).strict(), { name: 'Analytics', role: 'analyst' }),
  responses: {
    201: exampleResponse(KeySchema.extend({ key: z.string() }), 'Created', {
      ...analyticsKey, key: 'rk_Xq7vM3bT0cJ9yLw2pR5dK8sFh1nZ4aGe6uVtYiOo2Ws',
    }),
    ...badRequest, ...commonErrors,
  },
});

export const listKeysRoute = createRoute({
  method: 'get', path: '/api-keys', tags: ['Access'], security,
  summary: 'List API keys',
  description:
    'Admins only. Every key, oldest first, revoked ones included (with `revoked_at`): its name, role and prefix, never ' +
    'the key or its hash. One page: `next_cursor` is always null.',
  responses: {
    200: exampleResponse(z.object({ data: z.array(KeySchema), next_cursor: z.null() }), 'Keys (never the secrets)', {
      data: [
        { id: 1, name: 'admin (first start)', role: 'admin', prefix: 'rk_2hTe9', created_at: '2026-03-01T08:00:00.000Z', revoked_at: null },
        analyticsKey,
      ],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

export const revokeKeyRoute = createRoute({
  method: 'delete', path: '/api-keys/{id}', tags: ['Access'], security,
  summary: 'Revoke an API key',
  description:
    'Admins only. The key stops working at once and stays listed with its `revoked_at`; the revocation is recorded in ' +
    'the audit log. 404 when there is no such key, or it is already revoked.',
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...commonErrors, ...notFound },
});
