import { z } from '@hono/zod-openapi';
import { iso } from '../http/views.js';

export const TopicSchema = z.object({ id: z.number(), key: z.string(), name: z.string(), double_opt_in: z.boolean(), created_at: z.string() }).openapi('Topic');

export function toTopicView(t: { id: number; key: string; name: string; double_opt_in: boolean; created_at: Date }): z.output<typeof TopicSchema> {
  return { id: t.id, key: t.key, name: t.name, double_opt_in: t.double_opt_in, created_at: iso(t.created_at) };
}
