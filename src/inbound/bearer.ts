import type { Context } from 'hono';
import { secretsEqual } from '../channels/index.js';
import type { AppEnv } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';

/**
 * The webhook forms that carry a shared secret: refused outright while the secret is not configured (a forged STOP or
 * reply must not be taken), 401 without the right `Authorization: Bearer`. Undefined when the request may go on.
 */
export async function refuseWithoutBearer(c: Context<AppEnv>, secret: string | undefined, setting: string): Promise<Response | undefined> {
  if (!secret) return errorResponse(c, 403, 'forbidden', `The JSON form is disabled: ${setting} is not configured`);
  const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
  if (!given || !(await secretsEqual(given, secret))) {
    return errorResponse(c, 401, 'unauthorized', `A valid Authorization: Bearer <${setting}> is required`);
  }
  return undefined;
}
