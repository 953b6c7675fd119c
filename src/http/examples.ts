// JSON bodies and responses with an example for the OpenAPI document. The compiler checks each example against the
// schema's type; test/api/openapi.test.ts validates it against the published JSON Schema and the zod schema itself.
import type { z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse } from './schemas.js';

/** `jsonBody` with an example of what a client sends. */
export const exampleBody = <T extends z.ZodTypeAny>(schema: T, example: z.input<T>, description?: string) => {
  const { body } = jsonBody(schema, description);
  return { body: { ...body, content: { 'application/json': { schema, example } } } };
};

/** `jsonResponse` with an example of what the route answers. */
export const exampleResponse = <T extends z.ZodTypeAny>(schema: T, description: string, example: z.output<T>) => ({
  ...jsonResponse(schema, description),
  content: { 'application/json': { schema, example } },
});
