import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { badRequest, commonErrors, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { ROLES } from './roles.js';
import { createKey, listKeys, revoke } from './keys.service.js';

const KeySchema = z
  .object({ id: z.number(), name: z.string(), role: z.enum(ROLES), prefix: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })
  .openapi('ApiKey');

const createKeyRoute = createRoute({
  method: 'post', path: '/api-keys', tags: ['Access'], security,
  summary: 'Create an API key (admin); the key is shown once',
  request: jsonBody(z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) }).strict()),
  responses: { 201: jsonResponse(KeySchema.extend({ key: z.string() }), 'Created'), ...badRequest, ...commonErrors },
});
const listKeysRoute = createRoute({
  method: 'get', path: '/api-keys', tags: ['Access'], security,
  responses: { 200: jsonResponse(z.object({ data: z.array(KeySchema), next_cursor: z.null() }), 'Keys (never the secrets)'), ...commonErrors },
});
const revokeKeyRoute = createRoute({
  method: 'delete', path: '/api-keys/{id}', tags: ['Access'], security,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...commonErrors, ...notFound },
});

export function keysRouter() {
  const app = createRouter();
  app.openapi(createKeyRoute, async (c) => {
    const { name, role } = c.req.valid('json');
    const { key, record } = await createKey(c.get('deps').db, name, role);
    return c.json({ ...record, revoked_at: null, key } as never, 201);
  });
  app.openapi(listKeysRoute, async (c) => c.json({ data: await listKeys(c.get('deps').db), next_cursor: null } as never, 200));
  app.openapi(revokeKeyRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await revoke(db, c.req.valid('param').id, clock());
    return c.body(null, 204);
  });
  return app;
}
