// The JSON forms of webhooks (SMS, email replies): a shared secret as a bearer, and a body checked like any API body.
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { secretsEqual } from '../channels/index.js';
import { InvalidInputError } from '../errors.js';
import { fieldProblems, type AppEnv } from '../http/app-env.js';
import { unstorableFields } from '../http/storable.js';
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

/**
 * The JSON body of a webhook's JSON form, checked against its schema and against what the database can store: a 422
 * naming each field otherwise (`what` names the thing in the message: "inbound SMS").
 */
export async function readWebhookJson<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T, what: string): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidInputError(`Invalid ${what}`, fieldProblems(parsed.error.issues).map(({ path, message }) => ({ field: path.join('.') || 'body', message })));
  }
  const unstorable = unstorableFields(parsed.data);
  if (unstorable.length) throw new InvalidInputError(`Invalid ${what}`, unstorable);
  return parsed.data;
}
