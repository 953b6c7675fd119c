// Access: hashed API keys with a role (admin, marketer, analyst), and the middleware that checks them.
export { requireApiKey, requirePermission } from './auth.middleware.js';
export { keysRouter } from './keys.handlers.js';
export * as keyRoutes from './keys.routes.js';
export { createKey, ensureAdminKey } from './keys.service.js';
export { allows, ROLES, type Role } from './roles.js';
