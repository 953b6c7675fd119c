export { writeAudit, type Actor, type AuditEntry, type AuditFilter } from './audit.repository.js';
export { listAuditLog } from './audit.service.js';
export { auditRouter } from './audit.handlers.js';
export * as auditRoutes from './audit.routes.js';
