// The audit log of consent and administrative changes, for admins: newest first, cursor-paginated.
import { createRouter } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { toPage } from '../http/pagination.js';
import { listAuditLogRoute } from './audit.routes.js';
import { listAuditLog } from './audit.service.js';

export function auditRouter() {
  const app = createRouter();
  app.openapi(listAuditLogRoute, async (c) => {
    const key = c.get('apiKey');
    if (key.role !== 'admin') return errorResponse(c, 403, 'forbidden', `The ${key.role} role cannot read the audit log`);
    const { action, subject, since, ...q } = c.req.valid('query');
    const page = await listAuditLog(c.get('deps').db, { action, subject, since: since ? new Date(since) : undefined }, toPage(q));
    return c.json(page, 200);
  });
  return app;
}
