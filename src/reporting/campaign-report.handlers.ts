import { createRouter } from '../http/app-env.js';
import { campaignReportRoute } from './campaign-report.routes.js';
import { campaignReport } from './campaign-report.service.js';

export function reportsRouter() {
  const app = createRouter();
  app.openapi(campaignReportRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await campaignReport(db, c.req.valid('param').id, { by: c.req.valid('query').by, now: clock() }), 200);
  });
  return app;
}
