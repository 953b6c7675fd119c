// What SES delivery events do to the suppression list and to consent. Each SNS message is processed once: its
// id is recorded in provider_events in the same transaction as its effects, so a redelivery finds it and stops.
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { normaliseEmail } from '../contacts/contact-fields.js';
import { applyConsentChanges } from './consent.repository.js';
import { addSuppression, countSoftBounce, hashAddress, resetSoftBounces } from './suppression.repository.js';

export const DEFAULT_SOFT_BOUNCE_LIMIT = 3;

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

export type SesEvent = z.infer<typeof sesEventSchema> & { type: string };

/** The SES event in an SNS Message, or undefined when the Message is not one. */
export function parseSesEvent(message: string): SesEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = sesEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const type = parsed.data.eventType ?? parsed.data.notificationType;
  return type ? { ...parsed.data, type } : undefined;
}

/** "Jeanne <Jeanne@Example.fr>" or a bare address, normalised; undefined when it is no address. */
function emailOf(raw: string): string | undefined {
  const bracketed = /<([^<>]+)>\s*$/.exec(raw);
  return normaliseEmail(bracketed ? bracketed[1] : raw);
}

const emailsOf = (raws: string[]) => [...new Set(raws.map(emailOf).filter((e): e is string => !!e))];

export interface SesEventOutcome {
  duplicate: boolean;
  type: string | null;
  suppressed: string[];
  softBounces: Record<string, number>;
  unsubscribed: number;
}

export interface SesEventOptions {
  at: Date;
  /** Consecutive soft bounces that suppress an address. */
  softBounceLimit?: number;
}

/** Applies one SNS notification carrying an SES event; a message id already seen changes nothing. */
export async function handleSesNotification(
  db: Database,
  notification: { snsMessageId: string; message: string },
  options: SesEventOptions,
): Promise<SesEventOutcome> {
  const event = parseSesEvent(notification.message);
  const outcome: SesEventOutcome = { duplicate: false, type: event?.type ?? null, suppressed: [], softBounces: {}, unsubscribed: 0 };
  return db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('provider_events')
      .values({ provider: 'sns', event_id: notification.snsMessageId, received_at: options.at })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!fresh) return { ...outcome, duplicate: true };
    if (!event) return outcome;
    if (event.type === 'Bounce' && event.bounce) await bounce(trx, event.bounce, options, outcome);
    else if (event.type === 'Complaint' && event.complaint) await complaint(trx, event.complaint, options, outcome);
    else if (event.type === 'Delivery' && event.delivery) {
      await resetSoftBounces(trx, await Promise.all(emailsOf(event.delivery.recipients).map((e) => hashAddress('email', e))));
    }
    // Send, Reject, Open, Click, DeliveryDelay: nothing to do here (tracking reads its own events).
    return outcome;
  });
}

type Trx = Transaction<DB>;

async function bounce(trx: Trx, b: NonNullable<SesEvent['bounce']>, options: SesEventOptions, outcome: SesEventOutcome) {
  const addresses = emailsOf(b.bouncedRecipients.map((r) => r.emailAddress));
  const limit = Math.max(1, options.softBounceLimit ?? DEFAULT_SOFT_BOUNCE_LIMIT);
  for (const address of addresses) {
    const hash = await hashAddress('email', address);
    if (b.bounceType === 'Permanent') {
      await addSuppression(trx, { channel: 'email', address, reason: 'hard_bounce', source: 'ses' });
      await resetSoftBounces(trx, [hash]);
      outcome.suppressed.push(address);
      continue;
    }
    // Transient and Undetermined: only a run of them in a row says the address is dead.
    const consecutive = await countSoftBounce(trx, hash, options.at);
    outcome.softBounces[address] = consecutive;
    if (consecutive >= limit) {
      await addSuppression(trx, { channel: 'email', address, reason: 'soft_bounces', source: 'ses' });
      outcome.suppressed.push(address);
    }
  }
}

async function complaint(trx: Trx, c: NonNullable<SesEvent['complaint']>, options: SesEventOptions, outcome: SesEventOutcome) {
  const addresses = emailsOf(c.complainedRecipients.map((r) => r.emailAddress));
  if (!addresses.length) return;
  for (const address of addresses) {
    await addSuppression(trx, { channel: 'email', address, reason: 'complaint', source: 'ses' });
    outcome.suppressed.push(address);
  }
  // A complaint is an opt-out from all email: every topic the contact still gets, each with a consent record.
  const subs = await trx
    .selectFrom('subscriptions')
    .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
    .select(['subscriptions.contact_id', 'subscriptions.topic_id'])
    .where('contacts.email', 'in', addresses)
    .where('subscriptions.channel', '=', 'email')
    .where('subscriptions.status', '!=', 'unsubscribed')
    .execute();
  outcome.unsubscribed = await applyConsentChanges(
    trx,
    subs.map((s) => ({ contactId: Number(s.contact_id), channel: 'email' as const, topicId: Number(s.topic_id), status: 'unsubscribed' as const, source: 'complaint' })),
    options.at,
  );
}
