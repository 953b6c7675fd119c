// What the API shows of a campaign: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { iso, isoOrNull, oneOf, validated } from '../http/views.js';
import { AbTestViewSchema, abTestView, type AbTestView } from './ab-test.js';
import { AudienceSchema } from './audience.js';
import type { CampaignCounts, findCampaigns } from './campaigns.service.js';
import type { CampaignProgress } from './progress.js';

const CountsSchema = z
  .object({
    audience: z.number(), targeted: z.number(), pending: z.number(),
    deferred: z.number().openapi({ description: 'Of the pending: waiting for quiet hours to end or a cap window to reopen' }),
    local_time: z.number().openapi({ description: 'Of the pending: waiting for the local time the launch asked for (`local_time`) in the recipient\'s zone; not in `deferred`' }),
    retrying: z.number().openapi({ description: 'Of the pending: tried already (throttling, a 5xx, a timeout), waiting to be tried again after a backoff' }),
    waiting_for_winner: z.number().openapi({ description: 'Of the pending: the rest of an A/B test\'s audience, waiting for the winner to be chosen; not in `deferred`' }),
    sending: z.number(), sent: z.number(),
    failed: z.number(), cancelled: z.number(), skipped: z.record(z.string(), z.number()), capped_by: z.record(z.string(), z.number()),
  })
  .openapi('CampaignCounts');

const ProgressSchema = z
  .object({
    handed_over: z.number().openapi({ description: 'Messages sent or failed' }),
    remaining: z.number().openapi({ description: 'Messages pending (deferred and retrying included) or being sent' }),
    rate_per_minute: z.number().openapi({ description: 'Messages sent per minute over the last 5 minutes (or since the launch)' }),
    eta_seconds: z.number().nullable().openapi({ description: 'remaining / rate; null when the rate is 0 or the campaign is not sending' }),
  })
  .openapi('CampaignProgress');

export const CampaignSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(SENDABLE_CHANNELS), kind: z.enum(['marketing', 'transactional']),
    priority: z.enum(['high', 'normal', 'low']), on_cap: z.enum(['skip', 'defer']), deadline: z.string().nullable(), track_opens: z.boolean(), endpoint_id: z.number().nullable(), reply_coupon: z.boolean(), template_id: z.number(),
    topic_id: z.number(), audience: AudienceSchema, status: z.enum(['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled']),
    created_at: z.string(), updated_at: z.string(),
    scheduled_at: z.string().nullable().openapi({ description: 'When a launch with `at` scheduled it to start; null unless scheduled so' }),
    launched_at: z.string().nullable(), completed_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
    paused_at: z.string().nullable().openapi({ description: 'When it was paused; null unless paused' }),
    paused_reason: z.string().nullable().openapi({
      description: 'Why it is paused: `manual` (POST …/pause), `error_rate: …` (past SEND_PAUSE_ERROR_RATE) or `transport: …` (the provider refuses every message, such as SES SendingPaused)',
    }),
    ab_test: AbTestViewSchema.nullable().openapi({ description: 'Its A/B test, null without one; each variant\'s results when a single campaign is read' }),
    counts: CountsSchema.optional(), progress: ProgressSchema.optional(),
  })
  .openapi('Campaign');

type CampaignRow = Awaited<ReturnType<typeof findCampaigns>>[number];

/** A campaign; with its counts and progress when given (a single campaign, not a page of them). */
export function toCampaignView(c: CampaignRow & { counts?: CampaignCounts; progress?: CampaignProgress; ab_test_view?: AbTestView | null }): z.output<typeof CampaignSchema> {
  const { channel, kind, priority, on_cap, status } = CampaignSchema.shape;
  return {
    id: c.id, name: c.name, channel: oneOf(channel.options, c.channel), kind: oneOf(kind.options, c.kind),
    priority: oneOf(priority.options, c.priority), on_cap: oneOf(on_cap.options, c.on_cap), deadline: isoOrNull(c.deadline), track_opens: c.track_opens, endpoint_id: c.endpoint_id === null ? null : Number(c.endpoint_id), reply_coupon: c.reply_coupon,
    template_id: c.template_id, topic_id: c.topic_id, audience: validated(AudienceSchema, c.audience), status: oneOf(status.options, c.status),
    created_at: iso(c.created_at), updated_at: iso(c.updated_at), scheduled_at: isoOrNull(c.scheduled_at), launched_at: isoOrNull(c.launched_at), completed_at: isoOrNull(c.completed_at),
    cancelled_at: isoOrNull(c.cancelled_at), paused_at: isoOrNull(c.paused_at), paused_reason: c.paused_reason,
    ab_test: c.ab_test_view !== undefined ? c.ab_test_view : abTestView(c),
    ...(c.counts ? { counts: c.counts } : {}),
    ...(c.progress ? { progress: c.progress } : {}),
  };
}
