import { z } from '@hono/zod-openapi';

export interface Page {
  after?: number;
  limit: number;
}

/** Cursors are opaque to clients; inside they are the last id seen (keyset pagination). */
export function encodeCursor(id: number): string {
  return btoa(`id:${id}`).replace(/=+$/, '');
}

export function decodeCursor(cursor: string): number | undefined {
  try {
    const m = /^id:(\d{1,15})$/.exec(atob(cursor));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export const pageQuery = z
  .object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'Page size, 1 to 500' }),
  cursor: z
    .string()
    .optional()
    .refine((c) => c === undefined || decodeCursor(c) !== undefined, 'is not a cursor returned by this API')
    .openapi({ description: 'The next_cursor of the previous page' }),
  })
  // Strict, and so every list that extends it: an unknown filter (`?city=Lille`) is a 422, never the whole list.
  .strict();

export function toPage(q: { limit: number; cursor?: string }): Page {
  return { limit: q.limit, after: q.cursor ? decodeCursor(q.cursor) : undefined };
}

/** Rows were fetched with limit + 1, so an extra row means there is a next page. */
export function paginate<T extends { id: number }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const next_cursor = rows.length > limit ? encodeCursor(data[data.length - 1].id) : null;
  return { data, next_cursor };
}

export const pageSchema = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });
