// What the API shows of a contact: its schema, and the mapper from a stored row.
import { z } from '@hono/zod-openapi';
import { iso, jsonRecord } from '../http/views.js';
import { ATTRIBUTE_TEXT_MAX, type AttributeValue } from './attribute-values.js';
import type { findContacts, getContact } from './contacts.service.js';

export const AttributeValueSchema = z.union([z.string().max(ATTRIBUTE_TEXT_MAX), z.number(), z.boolean(), z.null()]);

export const ContactSchema = z
  .object({
    id: z.number(),
    external_id: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    locale: z.string(),
    timezone: z.string(),
    address: z.record(z.string(), z.string()).nullable(),
    attributes: z.record(z.string(), AttributeValueSchema),
    created_at: z.string(),
    updated_at: z.string(),
    subscriptions: z
      .array(z.object({ channel: z.string(), topic: z.string(), status: z.string(), updated_at: z.string() }))
      .optional(),
  })
  .openapi('Contact');

type ContactRow = Awaited<ReturnType<typeof findContacts>>['data'][number];
type Subscription = Awaited<ReturnType<typeof getContact>>['subscriptions'][number];

const isString = (v: unknown): v is string => typeof v === 'string';
const isAttributeValue = (v: unknown): v is AttributeValue => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A contact; with its subscriptions when given (a single contact, not a page of them). */
export function toContactView(c: ContactRow & { subscriptions?: Subscription[] }): z.output<typeof ContactSchema> {
  return {
    id: c.id, external_id: c.external_id, email: c.email, phone: c.phone, first_name: c.first_name, last_name: c.last_name,
    locale: c.locale, timezone: c.timezone, address: c.address === null ? null : jsonRecord(c.address, isString),
    attributes: jsonRecord(c.attributes, isAttributeValue), created_at: iso(c.created_at), updated_at: iso(c.updated_at),
    ...(c.subscriptions
      ? { subscriptions: c.subscriptions.map((s) => ({ channel: s.channel, topic: s.topic, status: s.status, updated_at: iso(s.updated_at) })) }
      : {}),
  };
}
