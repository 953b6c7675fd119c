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

// Digits only: Number() would also read "0x10", "1e3" and " 1" as ids.
export const IdParam = z.object({
  id: z
    .preprocess((v) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number({ error: 'must be a positive integer' }).int().positive().max(Number.MAX_SAFE_INTEGER))
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T, description?: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, description },
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const security = [{ bearer: [] }];
