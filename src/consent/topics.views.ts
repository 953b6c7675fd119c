import { z } from '@hono/zod-openapi';
import { iso } from '../http/views.js';
import { topicNames } from './topic-names.js';

const NamesSchema = z
  .object({ fr: z.string().optional(), en: z.string().optional() })
  .openapi('TopicNames', { description: 'The name in each language that has its own; others read `name`', example: { en: 'The monthly letter' } });

export const TopicSchema = z
  .object({ id: z.number(), key: z.string(), name: z.string(), names: NamesSchema, double_opt_in: z.boolean(), created_at: z.string() })
  .openapi('Topic');

export function toTopicView(t: { id: number; key: string; name: string; names: unknown; double_opt_in: boolean; created_at: Date }): z.output<typeof TopicSchema> {
  return { id: t.id, key: t.key, name: t.name, names: topicNames(t.names), double_opt_in: t.double_opt_in, created_at: iso(t.created_at) };
}
