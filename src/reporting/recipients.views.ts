// What the API shows of a campaign's recipient: the ledger row and the person's engagement, flat, so that the JSON
// item and the CSV row have the same fields in the same order.
import { z } from '@hono/zod-openapi';
import type { CsvValue } from '../http/csv.js';
import { MESSAGE_STATES, messageState } from '../delivery/index.js';
import { isoOrNull, oneOf } from '../http/views.js';
import { MESSAGE_STATUSES, type RecipientRow } from './recipients.repository.js';

const at = (description: string) => z.string().nullable().openapi({ format: 'date-time', description });
const count = (description: string) => z.number().int().openapi({ description });

export const RecipientSchema = z
  .object({
    message_id: z.string().nullable().openapi({ description: 'The message\'s public id (Message-ID, tokens); null until it is handed over' }),
    contact_id: z.number().nullable().openapi({ description: 'Null once the contact is erased' }),
    address: z.string().nullable().openapi({ description: 'The address the message went to, as the ledger recorded it at hand-over' }),
    channel: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    state: z.enum(MESSAGE_STATES).openapi({
      description: 'The delivery state: queued, sending, sent, failed, retrying (after a retryable failure), deferred (held until a time), ' +
        'capped (skipped by a cap), suppressed (held back: consent, suppression, no address…), cancelled',
    }),
    state_reason: z.string().nullable().openapi({ description: 'Why deferred (quiet_hours, local_time, ab_winner, a cap\'s rule), capped (the rule) or suppressed (the reason)' }),
    skip_reason: z.string().nullable().openapi({ description: 'Why it was held back (not_subscribed, suppressed, capped…)' }),
    capped_by: z.string().nullable().openapi({ description: 'The pressure rule that held it back or deferred it' }),
    sent_at: at('Handed over to the provider'),
    delivered_at: at('Delivery confirmed by the provider (SES)'),
    bounced_at: at('First bounce'),
    bounce: z.enum(['hard', 'soft']).nullable().openapi({ description: 'hard once any bounce was permanent' }),
    complained_at: at('Marked as spam'),
    opened_at: at('First open by a person'),
    clicked_at: at('First click by a person'),
    machine_opened_at: at('First open by a machine (privacy proxy, prefetch)'),
    machine_clicked_at: at('First click by a machine (link scanner, honeypot)'),
    opens_human: count('Opens by a person'),
    opens_machine: count('Opens by a machine'),
    clicks_human: count('Clicks by a person'),
    clicks_machine: count('Clicks by a machine'),
    replied_at: at('First reply'),
    replies: count('Replies'),
    converted_at: at('First conversion attributed to this message'),
    conversions: count('Conversions attributed to this message'),
    revenue: z.number().openapi({ description: 'Their value' }),
    unsubscribed_at: at('Unsubscribed through this message\'s link'),
    sms_encoding: z.enum(['GSM-7', 'UCS-2']).nullable().openapi({ description: 'An SMS\'s encoding: GSM-7 holds 160 characters a segment (153 when split), UCS-2 70 (67)' }),
    sms_segments: z.number().int().nullable().openapi({ description: 'The segments an SMS was billed as; null for other channels' }),
  })
  .openapi('CampaignRecipient');

export type RecipientView = z.output<typeof RecipientSchema>;

/** The CSV header: the JSON item's fields, in order. */
export const RECIPIENT_COLUMNS = Object.keys(RecipientSchema.shape) as Array<keyof RecipientView>;

export function toRecipientView(r: RecipientRow): RecipientView {
  const { state, reason } = messageState({ ...r, attempts: Number(r.attempts) });
  return {
    message_id: r.public_id, contact_id: r.contact_id, address: r.address, channel: r.channel, status: oneOf(MESSAGE_STATUSES, r.status),
    state, state_reason: reason,
    skip_reason: r.skip_reason, capped_by: r.capped_by, sent_at: isoOrNull(r.sent_at),
    delivered_at: isoOrNull(r.delivered_at), bounced_at: isoOrNull(r.bounced_at), bounce: r.bounce === null ? null : oneOf(['hard', 'soft'], r.bounce),
    complained_at: isoOrNull(r.complained_at),
    opened_at: isoOrNull(r.first_open_human_at), clicked_at: isoOrNull(r.first_click_human_at),
    machine_opened_at: isoOrNull(r.first_open_machine_at), machine_clicked_at: isoOrNull(r.first_click_machine_at),
    opens_human: r.opens_human ?? 0, opens_machine: r.opens_machine ?? 0, clicks_human: r.clicks_human ?? 0, clicks_machine: r.clicks_machine ?? 0,
    replied_at: isoOrNull(r.replied_at), replies: r.replies ?? 0,
    converted_at: isoOrNull(r.converted_at), conversions: r.conversions ?? 0, revenue: r.revenue ?? 0,
    unsubscribed_at: isoOrNull(r.unsubscribed_at),
    // Last, so that readers of the CSV by column position keep working.
    sms_encoding: r.sms_encoding === null ? null : oneOf(['GSM-7', 'UCS-2'], r.sms_encoding), sms_segments: r.sms_segments,
  };
}

export function toRecipientCsvRow(r: RecipientRow): CsvValue[] {
  const view = toRecipientView(r);
  return RECIPIENT_COLUMNS.map((column) => view[column]);
}
