// SES event JSON (configuration-set events and identity notifications, carried in an SNS Message) read into a
// normalised DeliveryEvent. The only place that knows SES's event format.
import { z } from 'zod';
import type { DeliveryEvent } from '../types.js';
import { normaliseEmail } from './address.js';

const recipients = z.array(z.object({ emailAddress: z.string() }).passthrough()).default([]);
// Configuration-set events say eventType, identity notifications say notificationType; both carry the same parts.
const sesEventSchema = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients }).optional(),
  complaint: z.object({ complainedRecipients: recipients }).optional(),
  delivery: z.object({ recipients: z.array(z.string()).default([]) }).optional(),
  mail: z.object({ messageId: z.string().optional() }).passthrough().optional(),
});

/** "Jeanne <Jeanne@Example.fr>" or a bare address, normalised; undefined when it is no address. */
function emailOf(raw: string): string | undefined {
  const bracketed = /<([^<>]+)>\s*$/.exec(raw);
  return normaliseEmail(bracketed ? bracketed[1] : raw);
}

const emailsOf = (raws: string[]) => [...new Set(raws.map(emailOf).filter((e): e is string => !!e))];

/** The SES event in an SNS Message, or undefined when the Message is not one. */
export function parseSesEvent(message: string): DeliveryEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = sesEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const type = e.eventType ?? e.notificationType;
  if (!type) return undefined;
  if (type === 'Bounce' && e.bounce) {
    // Transient and Undetermined are soft: only a run of them in a row says the address is dead.
    return { type: 'bounce', permanent: e.bounce.bounceType === 'Permanent', recipients: emailsOf(e.bounce.bouncedRecipients.map((r) => r.emailAddress)) };
  }
  if (type === 'Complaint' && e.complaint) return { type: 'complaint', recipients: emailsOf(e.complaint.complainedRecipients.map((r) => r.emailAddress)) };
  if (type === 'Delivery' && e.delivery) return { type: 'delivery', recipients: emailsOf(e.delivery.recipients) };
  return { type: 'other', name: type };
}
