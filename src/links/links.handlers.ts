import { changedBy, createRouter } from '../http/app-env.js';
import { rotateSigningSecretRoute } from './links.routes.js';
import { rotateSigningSecret } from './signing-secret.js';

export function linksRouter() {
  const app = createRouter();
  app.openapi(rotateSigningSecretRoute, async (c) => {
    await rotateSigningSecret(c.get('deps').db, changedBy(c));
    return c.body(null, 204);
  });
  return app;
}
