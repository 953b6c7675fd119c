import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import { createSuppressionRoute, deleteSuppressionRoute, listSuppressionsRoute } from './suppressions.routes.js';
import { findSuppressions, suppressManually, unsuppress } from './suppressions.service.js';

export function suppressionsRouter() {
  const app = createRouter();
  app.openapi(listSuppressionsRoute, async (c) => {
    const { channel, reason, address, ...q } = c.req.valid('query');
    const page = toPage(q);
    const rows = await findSuppressions(c.get('deps').db, { channel, reason, address }, page);
    return c.json(paginate(rows, page.limit), 200);
  });
  app.openapi(createSuppressionRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { channel, address, reason } = c.req.valid('json');
    const result = await suppressManually(db, { channel, address, reason }, c.get('apiKey'), clock());
    return c.json(result.suppression, result.created ? 201 : 200);
  });
  app.openapi(deleteSuppressionRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await unsuppress(db, c.req.valid('param').id, c.get('apiKey'), clock());
    return c.body(null, 204);
  });
  return app;
}
