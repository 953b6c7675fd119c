// What the API shows of a contact's timeline: one item per message, its events newest first.
import { z } from '@hono/zod-openapi';
import { iso, isoOrNull, oneOf } from '../http/views.js';
import { MESSAGE_STATUSES } from './recipients.repository.js';
import type { TimelineEvent, TimelineItem } from './timeline.service.js';

const at = z.string().openapi({ format: 'date-time' });
const event = <T extends string, S extends z.ZodRawShape>(type: T, description: string, shape: S) =>
  z.object({ type: z.literal(type), at, ...shape }).openapi({ description });

const EventSchema = z.union([
  event('delivered', 'The provider confirmed delivery (SES)', {}),
  event('bounced', 'First bounce; hard once any was permanent', { bounce: z.enum(['hard', 'soft']).nullable() }),
  event('complained', 'Marked as spam', {}),
  event('opened', 'First open by a person; count: all their opens', { count: z.number().int() }),
  event('clicked', 'First click by a person; count: all their clicks; urls: the tracked links they followed, first clicked first', {
    count: z.number().int(), urls: z.array(z.string()),
  }),
  event('replied', 'A reply, coupon or call (the 20 newest), with the first 200 characters of its text', {
    kind: z.string().nullable(), excerpt: z.string().nullable(),
  }),
  event('converted', 'A conversion attributed to the message (the 20 newest): the event\'s type and value', {
    conversion_type: z.string().nullable(), value: z.number().nullable(),
  }),
  event('unsubscribed', 'Unsubscribed through the message\'s link', {}),
]).openapi('TimelineEvent');

export const TimelineItemSchema = z
  .object({
    message_id: z.string().nullable().openapi({ description: 'The message\'s public id; null until it is handed over' }),
    campaign: z.object({ id: z.number(), name: z.string() }).nullable().openapi({ description: 'Null for a message of no campaign (a double opt-in confirmation, an answer to an SMS keyword)' }),
    purpose: z.string().openapi({ description: 'campaign, confirmation, keyword_reply or test (a test send of a campaign to a marketer’s address)' }),
    channel: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    skip_reason: z.string().nullable().openapi({ description: 'Why it was held back, for a skipped message' }),
    sent_at: z.string().nullable().openapi({ format: 'date-time' }),
    events: z.array(EventSchema).openapi({ description: 'What happened to it and what the contact did with it, newest first' }),
  })
  .openapi('TimelineItem');

type EventView = z.output<typeof EventSchema>;

function toEventView(e: TimelineEvent): EventView {
  switch (e.type) {
    case 'bounced': return { type: e.type, at: iso(e.at), bounce: e.bounce === null ? null : oneOf(['hard', 'soft'], e.bounce) };
    case 'opened': return { type: e.type, at: iso(e.at), count: e.count };
    case 'clicked': return { type: e.type, at: iso(e.at), count: e.count, urls: e.urls };
    case 'replied': return { type: e.type, at: iso(e.at), kind: e.kind, excerpt: e.excerpt };
    case 'converted': return { type: e.type, at: iso(e.at), conversion_type: e.conversion_type, value: e.value };
    default: return { type: e.type, at: iso(e.at) };
  }
}

export function toTimelineItemView({ message: m, events }: TimelineItem): z.output<typeof TimelineItemSchema> {
  return {
    message_id: m.public_id,
    campaign: m.campaign_id === null ? null : { id: m.campaign_id, name: m.campaign_name ?? '' },
    purpose: m.purpose, channel: m.channel, status: oneOf(MESSAGE_STATUSES, m.status), skip_reason: m.skip_reason, sent_at: isoOrNull(m.sent_at),
    events: events.map(toEventView),
  };
}
