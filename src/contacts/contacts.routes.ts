import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_NAMES } from '../channels/index.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, IdParam, jsonBody, jsonResponse, notCsv, notFound, security } from '../http/schemas.js';
import { ATTRIBUTE_TYPES } from './attribute-values.js';
import { AttributeValueSchema, ContactSchema } from './contacts.views.js';

const AddressSchema = z
  .object({
    line1: z.string().max(200).nullish(),
    line2: z.string().max(200).nullish(),
    postal_code: z.string().max(20).nullish(),
    city: z.string().max(100).nullish(),
    region: z.string().max(100).nullish(),
    country: z.string().max(2).nullish().openapi({ example: 'FR' }),
  })
  .strict()
  .openapi('Address');

const SubscriptionInputSchema = z.object({
  channel: z.enum(CHANNEL_NAMES),
  topic: z.string().min(1).max(64).openapi({ example: 'newsletter' }),
  status: z.enum(['subscribed', 'unsubscribed']).optional(),
  wording_version: z.string().max(100).optional(),
  ip: z.string().max(64).optional(),
  user_agent: z.string().max(500).optional(),
});

const ContactInputSchema = z
  .object({
    email: z.string().max(254).nullish().openapi({ example: 'marie.dupont@example.fr' }),
    phone: z.string().max(32).nullish().openapi({ example: '+33612345678' }),
    external_id: z.string().max(200).nullish().openapi({ example: 'C-00042' }),
    first_name: z.string().max(200).nullish().openapi({ example: 'Marie' }),
    last_name: z.string().max(200).nullish(),
    locale: z.string().max(10).nullish().openapi({ example: 'fr' }),
    timezone: z.string().max(64).nullish().openapi({ example: 'Europe/Paris' }),
    address: AddressSchema.nullish(),
    attributes: z.record(z.string(), AttributeValueSchema).optional().openapi({ example: { host: true, annual_revenue: 1254 } }),
    subscriptions: z.array(SubscriptionInputSchema).max(100).optional(),
  })
  .strict()
  .openapi('ContactInput');

const tag = ['Contacts'];

export const upsertContactRoute = createRoute({
  method: 'post', path: '/contacts', tags: tag, security,
  summary: 'Create a contact, or update the one with the same external_id (else email)',
  request: jsonBody(ContactInputSchema),
  responses: {
    200: jsonResponse(ContactSchema, 'Updated'),
    201: jsonResponse(ContactSchema, 'Created'),
    ...badRequest, ...commonErrors,
  },
});

export const getContactRoute = createRoute({
  method: 'get', path: '/contacts/{id}', tags: tag, security,
  request: { params: IdParam },
  responses: { 200: jsonResponse(ContactSchema, 'The contact with its subscriptions'), ...commonErrors, ...notFound },
});

export const patchContactRoute = createRoute({
  method: 'patch', path: '/contacts/{id}', tags: tag, security,
  summary: 'Change some fields; attributes are merged',
  request: { params: IdParam, ...jsonBody(ContactInputSchema) },
  responses: { 200: jsonResponse(ContactSchema, 'Updated'), ...badRequest, ...commonErrors, ...notFound },
});

export const listContactsRoute = createRoute({
  method: 'get', path: '/contacts', tags: tag, security,
  request: {
    query: pageQuery.extend({
      email: z.string().max(254).optional(),
      external_id: z.string().max(200).optional(),
      locale: z.string().max(10).optional(),
      q: z.string().max(200).optional().openapi({ description: 'Search in email, names and external id' }),
      topic: z.string().max(64).optional().openapi({ description: 'Only contacts subscribed to this topic…' }),
      channel: z.enum(CHANNEL_NAMES).optional().openapi({ description: '…on this channel (default email)' }),
    }),
  },
  responses: { 200: jsonResponse(pageSchema(ContactSchema), 'A page of contacts'), ...commonErrors },
});

const ImportReportSchema = z
  .object({
    created: z.number(),
    updated: z.number(),
    rejected: z.array(z.object({ line: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
    ignored_columns: z.array(z.string()),
  })
  .openapi('ImportReport');

export const importContactsRoute = createRoute({
  method: 'post', path: '/contacts/import', tags: tag, security,
  summary: 'Import a CSV customer file (streamed, idempotent)',
  description:
    'Header names map to contact fields (email, phone, external_id, first_name, last_name, locale, timezone, ' +
    'address_line1, address_line2, postal_code, city, region, country, with common French names) and to declared ' +
    'attributes. email_topics, sms_topics and postal_topics list consented topic keys separated by ; or |. ' +
    'Separator , or ; ; UTF-8 with or without BOM; decimal commas accepted.',
  request: { body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
  responses: { 200: jsonResponse(ImportReportSchema, 'What was created, updated and rejected'), ...notCsv, ...commonErrors },
});

const AttributeSchema = z
  .object({ name: z.string(), type: z.enum(ATTRIBUTE_TYPES), values: z.array(z.string()).nullable().optional() })
  .openapi('Attribute');

export const putAttributeRoute = createRoute({
  method: 'put', path: '/attributes/{name}', tags: ['Attributes'], security,
  summary: 'Declare (or change) a typed custom attribute',
  request: {
    params: z.object({ name: z.string().max(63).openapi({ param: { name: 'name', in: 'path' }, example: 'annual_revenue' }) }),
    ...jsonBody(z.object({ type: z.enum(ATTRIBUTE_TYPES), values: z.array(z.string().min(1).max(100)).max(200).optional() }).strict()),
  },
  responses: { 200: jsonResponse(AttributeSchema, 'Changed'), 201: jsonResponse(AttributeSchema, 'Declared'), ...badRequest, ...commonErrors },
});

export const listAttributesRoute = createRoute({
  method: 'get', path: '/attributes', tags: ['Attributes'], security,
  responses: { 200: jsonResponse(z.object({ data: z.array(AttributeSchema), next_cursor: z.null() }), 'All declared attributes'), ...commonErrors },
});

const EventSchema = z
  .object({
    contact_id: z.number().int().positive().optional(),
    external_id: z.string().max(200).optional(),
    email: z.string().max(254).optional(),
    type: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_.-]*$/, 'lower-case name such as purchase').openapi({ example: 'purchase' }),
    occurred_at: z.string().datetime({ offset: true }).optional(),
    value: z.number().finite().optional().openapi({ example: 89.9 }),
    properties: z.record(z.string(), z.unknown()).optional(),
    idempotency_key: z.string().max(200).optional().openapi({ description: 'A replay with the same key is ignored' }),
  })
  .strict()
  .openapi('Event');

export const postEventsRoute = createRoute({
  method: 'post', path: '/events', tags: ['Events'], security,
  summary: 'Record one event or a batch ({events: [...]}), e.g. purchases',
  request: jsonBody(z.union([EventSchema, z.object({ events: z.array(EventSchema).min(1).max(1000) }).strict()])),
  responses: {
    201: jsonResponse(
      z.object({
        accepted: z.number(),
        duplicates: z.number(),
        rejected: z.array(z.object({ index: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
      }),
      'Recorded',
    ),
    ...badRequest, ...commonErrors,
  },
});
