import { changedBy, createRouter } from '../http/app-env.js';
import { createKey, listKeys, revoke } from './keys.service.js';
import { createKeyRoute, listKeysRoute, revokeKeyRoute } from './keys.routes.js';
import { toKeyView } from './keys.views.js';

export function keysRouter() {
  const app = createRouter();
  app.openapi(createKeyRoute, async (c) => {
    const { name, role } = c.req.valid('json');
    const { key, record } = await createKey(c.get('deps').db, name, role, undefined, changedBy(c));
    // A fresh random key cannot already exist; the insert only skips a duplicate of a configured ADMIN_API_KEY.
    if (!record) throw new Error('The new API key was not stored');
    return c.json({ ...toKeyView({ ...record, revoked_at: null }), key }, 201);
  });
  app.openapi(listKeysRoute, async (c) => c.json({ data: (await listKeys(c.get('deps').db)).map(toKeyView), next_cursor: null }, 200));
  app.openapi(revokeKeyRoute, async (c) => {
    await revoke(c.get('deps').db, c.req.valid('param').id, changedBy(c));
    return c.body(null, 204);
  });
  return app;
}
