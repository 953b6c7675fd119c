import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { authenticate } from './keys.service.js';
import { allows, type Permission } from './roles.js';

/** Every /v1 route: `Authorization: Bearer <key>`. */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return errorResponse(c, 401, 'unauthorized', 'Missing Authorization: Bearer <api key>');
  const key = await authenticate(c.get('deps').db, match[1]);
  if (!key) return errorResponse(c, 401, 'unauthorized', 'Unknown or revoked API key');
  c.set('apiKey', key);
  await next();
};

/** Reads need any role, writes a marketer; `admin` areas need an admin whatever the method. */
export function requirePermission(area: 'content' | 'admin'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const permission: Permission = area === 'admin' ? 'admin' : method === 'GET' || method === 'HEAD' ? 'read' : 'write';
    const { role } = c.get('apiKey');
    if (!allows(role, permission)) {
      return errorResponse(c, 403, 'forbidden', `The ${role} role cannot ${permission === 'read' ? 'read' : 'change'} this`);
    }
    await next();
  };
}
