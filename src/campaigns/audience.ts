// Who a campaign is for: everyone, static lists, a segment, or include/exclude combinations of them.
import { z } from '@hono/zod-openapi';
import { sql, type RawBuilder } from 'kysely';

const Ref = z.union([
  z.object({ segment_id: z.number().int().positive() }).strict(),
  z.object({ list_id: z.number().int().positive() }).strict(),
]);

export const AudienceSchema = z
  .union([
    z.object({ all: z.literal(true) }).strict(),
    z.object({ list_ids: z.array(z.number().int().positive()).min(1).max(100) }).strict(),
    z.object({ segment_id: z.number().int().positive() }).strict(),
    z.object({ include: z.array(Ref).min(1).max(50), exclude: z.array(Ref).max(50).optional() }).strict(),
  ])
  .openapi('Audience', {
    description: '{"all": true}, {"list_ids": [...]}, {"segment_id": N}, or {"include": [{"segment_id": N} | {"list_id": N}], "exclude": [...]}. Evaluated once, at launch.',
    example: { include: [{ segment_id: 1 }], exclude: [{ list_id: 2 }] },
  });

export type Audience = z.infer<typeof AudienceSchema>;
export type AudienceRef = z.infer<typeof Ref>;

/** The audience as include/exclude references (all → no include filter). */
export function audienceRefs(audience: Audience): { everyone: boolean; include: AudienceRef[]; exclude: AudienceRef[] } {
  if ('all' in audience) return { everyone: true, include: [], exclude: [] };
  if ('list_ids' in audience) return { everyone: false, include: audience.list_ids.map((list_id) => ({ list_id })), exclude: [] };
  if ('segment_id' in audience) return { everyone: false, include: [{ segment_id: audience.segment_id }], exclude: [] };
  return { everyone: false, include: audience.include, exclude: audience.exclude ?? [] };
}

export function audienceListIds(audience: Audience): number[] {
  const { include, exclude } = audienceRefs(audience);
  return [...include, ...exclude].flatMap((r) => ('list_id' in r ? [r.list_id] : []));
}

export function audienceSegmentIds(audience: Audience): number[] {
  const { include, exclude } = audienceRefs(audience);
  return [...include, ...exclude].flatMap((r) => ('segment_id' in r ? [r.segment_id] : []));
}

/** A SQL predicate over contacts `c`, given each segment's compiled predicate. Ids are parameters. */
export function audienceFilter(audience: Audience, segments: Map<number, RawBuilder<unknown>>): RawBuilder<unknown> {
  const { everyone, include, exclude } = audienceRefs(audience);
  const one = (r: AudienceRef) =>
    'list_id' in r
      ? sql`exists (select 1 from list_members lm where lm.contact_id = c.id and lm.list_id = ${r.list_id})`
      : segments.get(r.segment_id) ?? sql`false`;
  const inc = everyone ? sql`true` : sql`(${sql.join(include.map(one), sql` or `)})`;
  if (!exclude.length) return inc;
  return sql`(${inc} and not coalesce(${sql.join(exclude.map(one), sql` or `)}, false))`;
}
