// Who a campaign is for. `{all: true}` or static lists today; segments slot in as {segment_id} and
// {include, exclude} without changing the campaign format.
import { z } from '@hono/zod-openapi';
import { sql, type RawBuilder } from 'kysely';

export const AudienceSchema = z
  .union([
    z.object({ all: z.literal(true) }).strict(),
    z.object({ list_ids: z.array(z.number().int().positive()).min(1).max(100) }).strict(),
  ])
  .openapi('Audience', { example: { list_ids: [1] } });

export type Audience = z.infer<typeof AudienceSchema>;

/** A SQL predicate over contacts aliased `c`. Ids are parameters, never interpolated. */
export function audienceFilter(audience: Audience): RawBuilder<unknown> {
  if ('all' in audience) return sql`true`;
  return sql`exists (select 1 from list_members lm where lm.contact_id = c.id and lm.list_id in (${sql.join(audience.list_ids)}))`;
}

export function audienceListIds(audience: Audience): number[] {
  return 'list_ids' in audience ? audience.list_ids : [];
}
