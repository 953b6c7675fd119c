import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '../errors.js';

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

/** The single place where errors become responses. Unknown errors are 500 and logged. */
export function handleError(err: Error, c: Context) {
  if (err instanceof NotFoundError) return errorResponse(c, 404, err.code, err.message);
  if (err instanceof InvalidInputError) return errorResponse(c, 422, err.code, err.message, err.details);
  if (err instanceof ConflictError) return errorResponse(c, 409, err.code, err.message, err.details);
  if (err instanceof DomainError) return errorResponse(c, 400, err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return errorResponse(c, status, httpCodes[status] ?? 'error', err.message || 'Request failed');
  }
  console.error('Unhandled error', err);
  return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
}
