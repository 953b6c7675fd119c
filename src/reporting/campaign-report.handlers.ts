import { createRouter } from '../http/app-env.js';
import { campaignReportRoute } from './campaign-report.routes.js';
import { campaignReport } from './campaign-report.service.js';

export function reportsRouter() {
  const app = createRouter();
  app.openapi(campaignReportRoute, async (c) => c.json(await campaignReport(c.get('deps').db, c.req.valid('param').id), 200));
  return app;
}
