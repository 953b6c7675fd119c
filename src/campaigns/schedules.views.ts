// What the API shows of a recurring schedule: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { iso, isoOrNull, oneOf, validated } from '../http/views.js';
import { AudienceSchema } from './audience.js';
import type { findSchedules, getSchedule } from './schedules.service.js';

const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;

const RunSchema = z
  .object({
    id: z.number(), name: z.string(), status: z.enum(CAMPAIGN_STATUSES),
    occurrence: z.string().openapi({ description: 'The occurrence of the recurrence this campaign was made for' }),
    launched_at: z.string().nullable(), completed_at: z.string().nullable(),
  })
  .openapi('ScheduleRun');

export const ScheduleSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(SENDABLE_CHANNELS), kind: z.enum(['marketing', 'transactional']),
    priority: z.enum(['high', 'normal', 'low']), on_cap: z.enum(['skip', 'defer']),
    deadline_hours: z.number().nullable().openapi({ description: 'Each run\'s deadline, this many hours after its occurrence; null for none' }),
    track_opens: z.boolean(), template_id: z.number(), topic: z.string(), audience: AudienceSchema,
    recurrence: z.string().openapi({ description: 'A cron rule (minute hour day-of-month month day-of-week), read in `timezone`' }),
    timezone: z.string(),
    status: z.enum(['active', 'paused']),
    next_run_at: z.string().nullable().openapi({ description: 'The next occurrence to run; null while paused' }),
    last_run_at: z.string().nullable().openapi({ description: 'The occurrence of the latest run' }),
    paused_at: z.string().nullable(),
    paused_reason: z.string().nullable().openapi({ description: '`manual` (POST …/pause), or `run failed: …` when a run could not make its campaign (its template deleted, say)' }),
    created_at: z.string(), updated_at: z.string(),
    next_runs: z.array(z.string()).optional().openapi({ description: 'The next 5 occurrences, from next_run_at; none while paused' }),
    campaigns: z.array(RunSchema).optional().openapi({ description: 'Its latest 20 campaigns, the newest occurrence first; each has its own counts and report' }),
  })
  .openapi('Schedule');

type ScheduleRow = Awaited<ReturnType<typeof findSchedules>>[number];
type ScheduleDetail = Awaited<ReturnType<typeof getSchedule>>;

/** A schedule; with its next runs and campaigns when given (a single schedule, not a page of them). */
export function toScheduleView(s: ScheduleRow & Partial<Pick<ScheduleDetail, 'next_runs' | 'campaigns'>>): z.output<typeof ScheduleSchema> {
  const { channel, kind, priority, on_cap, status } = ScheduleSchema.shape;
  return {
    id: s.id, name: s.name, channel: oneOf(channel.options, s.channel), kind: oneOf(kind.options, s.kind), priority: oneOf(priority.options, s.priority),
    on_cap: oneOf(on_cap.options, s.on_cap), deadline_hours: s.deadline_hours, track_opens: s.track_opens, template_id: s.template_id, topic: s.topic,
    audience: validated(AudienceSchema, s.audience), recurrence: s.recurrence, timezone: s.timezone, status: oneOf(status.options, s.status),
    next_run_at: isoOrNull(s.next_run_at), last_run_at: isoOrNull(s.last_run_at), paused_at: isoOrNull(s.paused_at), paused_reason: s.paused_reason,
    created_at: iso(s.created_at), updated_at: iso(s.updated_at),
    ...(s.next_runs ? { next_runs: s.next_runs.map(iso) } : {}),
    ...(s.campaigns
      ? {
          campaigns: s.campaigns.map((c) => ({
            id: c.id, name: c.name, status: oneOf(CAMPAIGN_STATUSES, c.status), occurrence: iso(c.occurrence), launched_at: isoOrNull(c.launched_at),
            completed_at: isoOrNull(c.completed_at),
          })),
        }
      : {}),
  };
}
