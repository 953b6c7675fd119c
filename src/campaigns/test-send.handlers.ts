import { createRouter } from '../http/app-env.js';
import { testSendRoute } from './test-send.routes.js';
import { sendTest } from './test-send.service.js';

export function testSendRouter() {
  const app = createRouter();
  app.openapi(testSendRoute, async (c) => c.json(await sendTest(c.get('deps'), c.req.valid('param').id, c.req.valid('json')), 200));
  return app;
}
