import { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../deps.js';
import type { Role } from '../access/roles.js';
import { errorResponse } from './errors.js';

export interface AppEnv {
  Variables: {
    deps: Deps;
    apiKey: { id: number; role: Role; name: string };
  };
}

/** A router whose request validation failures come back as 422 naming each field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((issue) => ({
          field: issue.path.length ? issue.path.join('.') : result.target,
          message: issue.message,
        }));
        const fields = [...new Set(details.map((d) => d.field))].join(', ');
        return errorResponse(c, 422, 'validation_failed', `Invalid ${result.target}: ${fields}`, details);
      }
    },
  });
}
