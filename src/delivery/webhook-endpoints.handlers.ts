import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import type { EndpointRow } from './webhook-endpoints.repository.js';
import { createEndpointRoute, deleteEndpointRoute, getEndpointRoute, listEndpointsRoute, patchEndpointRoute } from './webhook-endpoints.routes.js';
import { changeEndpoint, createEndpoint, getEndpoint, listEndpoints, removeEndpoint, type EndpointField } from './webhook-endpoints.service.js';

const view = (e: EndpointRow) => ({ id: Number(e.id), name: e.name, url: e.url, fields: e.fields as EndpointField[], created_at: new Date(e.created_at).toISOString() });

export function webhookEndpointsRouter() {
  const app = createRouter();
  app.openapi(createEndpointRoute, async (c) => {
    const created = await createEndpoint(c.get('deps'), c.req.valid('json'));
    return c.json({ ...view(created), secret: created.secret }, 201);
  });
  app.openapi(listEndpointsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate((await listEndpoints(c.get('deps').db, page.after ?? 0, page.limit + 1)).map(view), page.limit), 200);
  });
  app.openapi(getEndpointRoute, async (c) => c.json(view(await getEndpoint(c.get('deps'), c.req.valid('param').id)), 200));
  app.openapi(patchEndpointRoute, async (c) => {
    const { endpoint, rotated } = await changeEndpoint(c.get('deps'), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ ...view(endpoint), ...(rotated ? { secret: endpoint.secret } : {}) }, 200);
  });
  app.openapi(deleteEndpointRoute, async (c) => {
    await removeEndpoint(c.get('deps'), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
