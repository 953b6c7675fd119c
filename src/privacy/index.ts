// Data-subject rights (GDPR/CNIL, CASL, Québec Law 25): access, erasure, and the retention purge.
export { eraseContact, exportContact, purgeInactiveProspects, DEFAULT_RETENTION_YEARS, type ContactExport } from './privacy.service.js';
export { privacyRouter } from './privacy.handlers.js';
export * as privacyRoutes from './privacy.routes.js';
