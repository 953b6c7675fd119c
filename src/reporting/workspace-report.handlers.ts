import { createRouter } from '../http/app-env.js';
import { parseInstant, workspaceReportRoute } from './workspace-report.routes.js';
import { workspaceReport } from './workspace-report.service.js';

export function workspaceReportRouter() {
  const app = createRouter();
  app.openapi(workspaceReportRoute, async (c) => {
    const { db, clock, config } = c.get('deps');
    const { from, to, channel } = c.req.valid('query');
    const report = await workspaceReport(db, {
      // Validated by the route: both parse.
      from: from === undefined ? undefined : parseInstant(from), to: to === undefined ? undefined : parseInstant(to), channel,
      now: clock(), statementTimeoutMs: config.statementTimeoutMs.segment,
    });
    return c.json(report, 200);
  });
  return app;
}
