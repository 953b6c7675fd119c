// What the API shows of a static list: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { iso } from '../http/views.js';

export const ListSchema = z.object({ id: z.number(), name: z.string(), created_at: z.string(), members: z.number() }).openapi('List');

export function toListView(l: { id: number; name: string; created_at: Date }, members: number): z.output<typeof ListSchema> {
  return { id: l.id, name: l.name, created_at: iso(l.created_at), members };
}
