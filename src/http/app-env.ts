import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../deps.js';
import type { Role } from '../access/index.js';
import type { BodyLimitState } from './body-limit.js';
import { errorResponse } from './errors.js';
import { unstorable } from './storable.js';

export interface AppEnv {
  Variables: {
    deps: Deps;
    apiKey: { id: number; role: Role; name: string };
    /** The request body's limit, set by limitBody. */
    bodyLimit: BodyLimitState;
    /** Set by logRequests; on every log line of the request and in its X-Request-Id header. */
    requestId: string;
  };
}

/** Who makes an administrative change through this request, and when: what the audit log records. */
export function changedBy(c: Context<AppEnv>) {
  return { actor: c.get('apiKey'), at: c.get('deps').clock() };
}

/** A router whose request validation failures come back as 422 naming each field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = fieldProblems(result.error.issues).map(({ path, message }) => ({
          field: path.length ? path.join('.') : result.target,
          message,
        }));
        const fields = [...new Set(details.map((d) => d.field))].join(', ');
        return errorResponse(c, 422, 'validation_failed', `Invalid ${result.target}: ${fields}`, details);
      }
      const bad = unstorable(result.data);
      if (bad) {
        const field = bad.path.length ? bad.path.join('.') : result.target;
        return errorResponse(c, 422, 'validation_failed', `Invalid ${result.target}: ${field}`, [{ field, message: bad.message }]);
      }
    },
  });
}

/**
 * One problem per field: a union's issues are those of the branch that came closest (so a single event with a bad
 * value names `value`, not the whole body), and each unknown key is named on its own.
 */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): Array<{ path: PropertyKey[]; message: string }> {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length) {
      const branches = issue.errors.map((branch) => fieldProblems(branch, path));
      const closest = branches.reduce((best, b) => (b.length && (!best.length || b.length < best.length) ? b : best), [] as ReturnType<typeof fieldProblems>);
      if (closest.length) return closest;
    }
    if (issue.code === 'unrecognized_keys' && issue.keys.length) {
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }));
    }
    return [{ path, message: issue.message }];
  });
}
