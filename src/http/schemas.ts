import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const err = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

// Not `as const`: spread into a route's responses, a readonly object's numeric keys would turn into strings ("403"),
// which route types do not read as statuses, and handlers could not return these errors.

/** The error responses every authenticated route can give. */
export const commonErrors = {
  401: err('Missing or unknown API key'),
  403: err('The key’s role does not allow this'),
  422: err('Invalid input: details name each field and problem'),
};

export const notFound = { 404: err('Not found') };
export const conflict = { 409: err('Conflicts with the current state') };
export const badRequest = { 400: err('Malformed request') };
export const payloadTooLarge = { 413: err('The body is too large') };
export const notCsv = { 415: err('Not text/csv') };
export const queryTimeout = { 503: err('A database statement ran past its time limit (code query_timeout, details.limit_ms); retry, or narrow the rule') };

// Digits only: Number() would also read "0x10", "1e3" and " 1" as ids.
export const IdParam = z.object({
  id: z
    .preprocess((v) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number({ error: 'must be a positive integer' }).int().positive().max(Number.MAX_SAFE_INTEGER))
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

// Years 1900 to 9999 once in UTC: PostgreSQL has no year 0, and JavaScript writes years past 9999 as +010000, which
// PostgreSQL does not read back. Both hold everything in between, whatever the offset.
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const DATE_TIME_MESSAGE =
  'must be a date and time with an offset (2025-03-01T09:30:00+01:00), between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

/** An instant: ISO 8601 with Z or an offset, within what both PostgreSQL and JavaScript hold. The one for every route. */
export const DateTime = z
  .string()
  .datetime({ offset: true, error: DATE_TIME_MESSAGE, abort: true })
  .refine((s) => {
    const at = Date.parse(s);
    return at >= EARLIEST && at <= LATEST;
  }, { error: DATE_TIME_MESSAGE })
  .openapi({ format: 'date-time', example: '2025-03-01T09:30:00+01:00' });

export const jsonBody = <T extends z.ZodTypeAny>(schema: T, description?: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, description },
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const security = [{ bearer: [] }];
