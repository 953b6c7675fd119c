// Data-subject rights over the API: a contact's export (staff handling an access request) and a manual run of the
// retention purge. Erasure (DELETE /v1/contacts/{id}) is routed here too.
import { createRouter } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { eraseContactRoute, exportContactRoute, runRetentionRoute } from './privacy.routes.js';
import { DEFAULT_RETENTION_YEARS, eraseContact, exportContact, purgeInactiveProspects } from './privacy.service.js';

export function privacyRouter() {
  const app = createRouter();

  app.openapi(exportContactRoute, async (c) => {
    const key = c.get('apiKey');
    // Personal data: analysts read reports, not people.
    if (key.role !== 'admin' && key.role !== 'marketer') {
      return errorResponse(c, 403, 'forbidden', `The ${key.role} role cannot export personal data`);
    }
    const { db, clock } = c.get('deps');
    return c.json(await exportContact(db, c.req.valid('param').id, key, clock()), 200);
  });

  app.openapi(eraseContactRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await eraseContact(db, c.req.valid('param').id, { actor: c.get('apiKey'), at: clock() });
    return c.body(null, 204);
  });

  app.openapi(runRetentionRoute, async (c) => {
    const key = c.get('apiKey');
    if (key.role !== 'admin') return errorResponse(c, 403, 'forbidden', `The ${key.role} role cannot run the retention purge`);
    const { db, clock } = c.get('deps');
    const { config } = c.get('deps');
    const result = await purgeInactiveProspects(db, { now: clock(), years: config.retentionYears ?? DEFAULT_RETENTION_YEARS, triggeredBy: key });
    return c.json(result, 200);
  });

  return app;
}
