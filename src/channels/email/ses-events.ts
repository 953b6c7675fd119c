// SES event JSON (configuration-set events and identity notifications, carried in an SNS Message) read into a
// normalised DeliveryEvent. The only place that knows SES's event format.
import { z } from 'zod';
import type { DeliveryEvent } from '../types.js';
import { normaliseEmail } from './address.js';

const recipients = z.array(z.object({ emailAddress: z.string() }).passthrough()).default([]);
// Configuration-set events say eventType, identity notifications say notificationType; both carry the same parts.
const time = z.string().optional();
const tracked = z.object({ timestamp: time, userAgent: z.string().optional(), ipAddress: z.string().optional(), link: z.string().optional() }).passthrough();
const sesEventSchema = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients, timestamp: time }).passthrough().optional(),
  complaint: z.object({ complainedRecipients: recipients, timestamp: time }).passthrough().optional(),
  delivery: z.object({ recipients: z.array(z.string()).default([]), timestamp: time }).passthrough().optional(),
  reject: z.object({ reason: z.string().optional() }).passthrough().optional(),
  deliveryDelay: z.object({ delayType: z.string().optional(), timestamp: time }).passthrough().optional(),
  open: tracked.optional(),
  click: tracked.optional(),
  mail: z.object({ messageId: z.string().optional(), timestamp: time }).passthrough().optional(),
  receipt: z.object({ recipients: z.array(z.string()).default([]), action: z.object({ encoding: z.string().optional() }).passthrough().optional() }).passthrough().optional(),
  content: z.string().optional(),
});

/** An ISO time SES gives, or undefined when it gives none or a bad one. */
function dateOf(raw: string | undefined): Date | undefined {
  const at = raw ? new Date(raw) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

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
  const ref = (at?: string) => {
    const when = dateOf(at) ?? dateOf(e.mail?.timestamp);
    return { ...(e.mail?.messageId ? { providerMessageId: e.mail.messageId } : {}), ...(when ? { at: when } : {}) };
  };
  if (type === 'Bounce' && e.bounce) {
    // Transient and Undetermined are soft: only a run of them in a row says the address is dead.
    return {
      type: 'bounce', permanent: e.bounce.bounceType === 'Permanent', recipients: emailsOf(e.bounce.bouncedRecipients.map((r) => r.emailAddress)),
      ...ref(e.bounce.timestamp),
    };
  }
  if (type === 'Complaint' && e.complaint) {
    return { type: 'complaint', recipients: emailsOf(e.complaint.complainedRecipients.map((r) => r.emailAddress)), ...ref(e.complaint.timestamp) };
  }
  if (type === 'Delivery' && e.delivery) return { type: 'delivery', recipients: emailsOf(e.delivery.recipients), ...ref(e.delivery.timestamp) };
  if (type === 'Reject') return { type: 'reject', reason: e.reject?.reason ?? null, ...ref() };
  if (type === 'DeliveryDelay') return { type: 'delay', delayType: e.deliveryDelay?.delayType ?? null, ...ref(e.deliveryDelay?.timestamp) };
  if ((type === 'Open' && e.open) || (type === 'Click' && e.click)) {
    const t = (type === 'Open' ? e.open : e.click)!;
    return {
      type: type === 'Open' ? 'open' : 'click', userAgent: t.userAgent?.slice(0, 500) ?? null, ip: t.ipAddress ?? null, link: t.link ?? null,
      ...ref(t.timestamp),
    };
  }
  if (type === 'Received' && e.receipt) {
    // The SNS action carries the whole message, base64 or as text, when it is under 150 KB.
    const raw = e.content === undefined ? null : e.receipt.action?.encoding === 'BASE64' ? decodeBase64(e.content) : e.content;
    return { type: 'received', recipients: e.receipt.recipients.map((r) => r.trim().toLowerCase()), raw, ...ref() };
  }
  return { type: 'other', name: type, ...ref() };
}

function decodeBase64(b64: string): string | null {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(b64.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}
