// Reports for analysts: a campaign's delivery, what was held back and why, and engagement.
export { reportsRouter } from './campaign-report.handlers.js';
export * as reportRoutes from './campaign-report.routes.js';
export { campaignReport } from './campaign-report.service.js';
export * as recipientRoutes from './recipients.routes.js';
export * as timelineRoutes from './timeline.routes.js';
export { reportPagesRouter, reportShareRouter } from './report-pages.handlers.js';
export { reportPageRoutes, shareReportRoute } from './report-pages.routes.js';
export { workspaceReportRouter } from './workspace-report.handlers.js';
export { workspacePagesRouter, workspaceShareRouter } from './workspace-pages.handlers.js';
export { shareWorkspaceReportRoute, workspaceReportPageRoutes } from './workspace-pages.routes.js';
