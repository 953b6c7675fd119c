import { createRoute } from '@hono/zod-openapi';
import { writeAudit } from '../audit/index.js';
import { inTransaction } from '../db/transaction.js';
import { createRouter } from '../http/app-env.js';
import { commonErrors, security } from '../http/schemas.js';
import { rotateSigningSecret } from './signing-secret.js';

const rotateRoute = createRoute({
  method: 'post', path: '/settings/signing-secret/rotate', tags: ['Settings'], security,
  summary: 'Rotate the secret that signs unsubscribe, preference and confirmation links: every link already sent stops working',
  responses: { 204: { description: 'Rotated' }, ...commonErrors },
});

export function linksRouter() {
  const app = createRouter();
  app.openapi(rotateRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await inTransaction(db, async (trx) => {
      await rotateSigningSecret(trx, clock());
      await writeAudit(trx, { actor: c.get('apiKey').name, action: 'settings.signing_secret_rotated' }, clock());
    });
    return c.body(null, 204);
  });
  return app;
}
