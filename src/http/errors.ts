import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { logRequestError } from './log.js';
import { ConflictError, DomainError, InvalidInputError, NotFoundError, QueryTimeoutError, TooLargeError } from '../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Typed by its status, so a handler may return it only for a status its route declares. */
export function errorResponse<S extends ContentfulStatusCode>(c: Context, status: S, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status);
}

const httpCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'invalid_input',
};

/** The single place where errors become responses. Unknown errors are 500; they and timeouts are logged (http/log.ts). */
export function handleError(err: Error, c: Context) {
  if (err instanceof NotFoundError) return errorResponse(c, 404, err.code, err.message);
  if (err instanceof InvalidInputError) return errorResponse(c, 422, err.code, err.message, err.details);
  if (err instanceof ConflictError) return errorResponse(c, 409, err.code, err.message, err.details);
  if (err instanceof TooLargeError) return errorResponse(c, 413, err.code, err.message, err.details);
  // The database is busy or the data too large for the time allowed: the client may retry, not a fault of its input.
  if (err instanceof QueryTimeoutError) {
    logRequestError(c, err);
    return errorResponse(c, 503, err.code, err.message, err.details);
  }
  if (err instanceof DomainError) return errorResponse(c, 400, err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return errorResponse(c, status, httpCodes[status] ?? 'error', err.message || 'Request failed');
  }
  logRequestError(c, err);
  return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
}
