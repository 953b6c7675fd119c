// What the API shows of a campaign: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { iso, isoOrNull, oneOf, validated } from '../http/views.js';
import { AudienceSchema } from './audience.js';
import type { CampaignCounts, findCampaigns } from './campaigns.service.js';

const CountsSchema = z
  .object({
    audience: z.number(), targeted: z.number(), pending: z.number(), deferred: z.number(), sending: z.number(), sent: z.number(),
    failed: z.number(), cancelled: z.number(), skipped: z.record(z.string(), z.number()), capped_by: z.record(z.string(), z.number()),
  })
  .openapi('CampaignCounts');

export const CampaignSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(SENDABLE_CHANNELS), kind: z.enum(['marketing', 'transactional']),
    priority: z.enum(['high', 'normal', 'low']), on_cap: z.enum(['skip', 'defer']), deadline: z.string().nullable(), track_opens: z.boolean(), template_id: z.number(),
    topic_id: z.number(), audience: AudienceSchema, status: z.enum(['draft', 'sending', 'sent', 'cancelled']),
    created_at: z.string(), updated_at: z.string(), launched_at: z.string().nullable(), completed_at: z.string().nullable(),
    cancelled_at: z.string().nullable(), counts: CountsSchema.optional(),
  })
  .openapi('Campaign');

type CampaignRow = Awaited<ReturnType<typeof findCampaigns>>[number];

/** A campaign; with its counts when given (a single campaign, not a page of them). */
export function toCampaignView(c: CampaignRow & { counts?: CampaignCounts }): z.output<typeof CampaignSchema> {
  const { channel, kind, priority, on_cap, status } = CampaignSchema.shape;
  return {
    id: c.id, name: c.name, channel: oneOf(channel.options, c.channel), kind: oneOf(kind.options, c.kind),
    priority: oneOf(priority.options, c.priority), on_cap: oneOf(on_cap.options, c.on_cap), deadline: isoOrNull(c.deadline), track_opens: c.track_opens,
    template_id: c.template_id, topic_id: c.topic_id, audience: validated(AudienceSchema, c.audience), status: oneOf(status.options, c.status),
    created_at: iso(c.created_at), updated_at: iso(c.updated_at), launched_at: isoOrNull(c.launched_at), completed_at: isoOrNull(c.completed_at),
    cancelled_at: isoOrNull(c.cancelled_at),
    ...(c.counts ? { counts: c.counts } : {}),
  };
}
