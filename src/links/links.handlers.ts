import { writeAudit } from '../audit/index.js';
import { inTransaction } from '../db/transaction.js';
import { createRouter } from '../http/app-env.js';
import { rotateSigningSecretRoute } from './links.routes.js';
import { rotateSigningSecret } from './signing-secret.js';

export function linksRouter() {
  const app = createRouter();
  app.openapi(rotateSigningSecretRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await inTransaction(db, async (trx) => {
      await rotateSigningSecret(trx, clock());
      await writeAudit(trx, { actor: c.get('apiKey'), action: 'settings.signing_secret_rotated' }, clock());
    });
    return c.body(null, 204);
  });
  return app;
}
