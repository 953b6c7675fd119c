import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_NAMES } from '../channels/index.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, DateTime, IdParam, notCsv, notFound, payloadTooLarge, security } from '../http/schemas.js';
import { ATTRIBUTE_TYPES } from './attribute-values.js';
import { CSV_ENCODINGS } from './csv-encoding.js';
import { ADDRESS_LIMITS, FIELD_LIMITS } from './contact-fields.js';
import { AttributeValueSchema, ContactSchema } from './contacts.views.js';

const AddressSchema = z
  .object({
    line1: z.string().max(ADDRESS_LIMITS.line1).nullish(),
    line2: z.string().max(ADDRESS_LIMITS.line2).nullish(),
    line3: z.string().max(ADDRESS_LIMITS.line3).nullish(),
    line4: z.string().max(ADDRESS_LIMITS.line4).nullish(),
    postal_code: z.string().max(ADDRESS_LIMITS.postal_code).nullish(),
    postcode: z.string().max(ADDRESS_LIMITS.postal_code).nullish().openapi({ description: 'Read as postal_code (postal_code wins when both are given)' }),
    city: z.string().max(ADDRESS_LIMITS.city).nullish(),
    region: z.string().max(ADDRESS_LIMITS.region).nullish(),
    country: z
      .string()
      .max(ADDRESS_LIMITS.country)
      .nullish()
      .openapi({ example: 'FR', description: 'An ISO code (FR, FRA) or a name in French or English (France, Royaume-Uni); stored as the two-letter code' }),
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
    email: z.string().max(FIELD_LIMITS.email).nullish().openapi({ example: 'marie.dupont@example.fr' }),
    phone: z.string().max(FIELD_LIMITS.phone).nullish().openapi({ example: '+33612345678' }),
    external_id: z.string().max(FIELD_LIMITS.external_id).nullish().openapi({ example: 'C-00042' }),
    first_name: z.string().max(FIELD_LIMITS.first_name).nullish().openapi({ example: 'Marie' }),
    last_name: z.string().max(FIELD_LIMITS.last_name).nullish(),
    locale: z.string().max(FIELD_LIMITS.locale).nullish().openapi({ example: 'fr' }),
    timezone: z.string().max(FIELD_LIMITS.timezone).nullish().openapi({ example: 'Europe/Paris' }),
    address: AddressSchema.nullish(),
    attributes: z.record(z.string(), AttributeValueSchema).optional().openapi({ example: { host: true, annual_revenue: 1254 } }),
    subscriptions: z.array(SubscriptionInputSchema).max(100).optional(),
  })
  .strict()
  .openapi('ContactInput');

const tag = ['Contacts'];

const contact: z.output<typeof ContactSchema> = {
  id: 42, external_id: 'C-00042', email: 'marie.dupont@example.fr', phone: '+33612345678', first_name: 'Marie', last_name: 'Dupont',
  locale: 'fr', timezone: 'Europe/Paris', address: { line1: '12 rue des Lilas', postal_code: '69003', city: 'Lyon', country: 'FR' },
  attributes: { host: true, annual_revenue: 1254.5 }, created_at: '2026-03-01T08:30:00.000Z', updated_at: '2026-03-01T08:30:00.000Z',
  subscriptions: [{ channel: 'email', topic: 'newsletter', status: 'subscribed', updated_at: '2026-03-01T08:30:00.000Z' }],
};
const { subscriptions: _subscriptions, ...listed } = contact;

export const upsertContactRoute = createRoute({
  method: 'post', path: '/contacts', tags: tag, security,
  summary: 'Create a contact, or update the one with the same external_id or email',
  description:
    'Matched by external_id, else email (else phone, when neither is given): 201 when created, 200 when updated, where ' +
    'a field sent as null is cleared and attributes are merged. A new contact needs an email, a phone or an external_id; ' +
    'attributes must be declared and topics exist. Each subscription is recorded as consent (a double opt-in topic\'s ' +
    'email consent stays pending and a confirmation email goes out); 422 names each invalid field, or an email another contact has.',
  request: exampleBody(ContactInputSchema, {
    external_id: 'C-00042', email: 'marie.dupont@example.fr', phone: '06 12 34 56 78', first_name: 'Marie', last_name: 'Dupont',
    locale: 'fr', timezone: 'Europe/Paris', address: { line1: '12 rue des Lilas', postal_code: '69003', city: 'Lyon', country: 'France' },
    attributes: { host: true, annual_revenue: 1254.5 },
    subscriptions: [{ channel: 'email', topic: 'newsletter', wording_version: 'signup-form-2026-01', ip: '203.0.113.7' }],
  }),
  responses: {
    200: exampleResponse(ContactSchema, 'Updated', contact),
    201: exampleResponse(ContactSchema, 'Created', contact),
    ...badRequest, ...commonErrors,
  },
});

export const getContactRoute = createRoute({
  method: 'get', path: '/contacts/{id}', tags: tag, security,
  summary: 'Get a contact',
  description: 'The contact\'s fields, attributes and subscriptions (channel, topic, status). 404 when there is no such contact, or it was erased.',
  request: { params: IdParam },
  responses: { 200: exampleResponse(ContactSchema, 'The contact with its subscriptions', contact), ...commonErrors, ...notFound },
});

export const patchContactRoute = createRoute({
  method: 'patch', path: '/contacts/{id}', tags: tag, security,
  summary: 'Change some of a contact\'s fields',
  description:
    'Only the fields given change: null clears a field, and attributes are merged into those the contact has. Each ' +
    'subscription given is recorded as a consent change (double opt-in topics stay pending until confirmed). 422 names ' +
    'each invalid field, or an email or external_id another contact already has; 404 for an unknown contact.',
  request: {
    params: IdParam,
    ...exampleBody(ContactInputSchema, {
      last_name: 'Dupont-Martin', attributes: { annual_revenue: 1890 },
      subscriptions: [{ channel: 'sms', topic: 'promotions', status: 'unsubscribed' }],
    }),
  },
  responses: {
    200: exampleResponse(ContactSchema, 'Updated', {
      ...contact, last_name: 'Dupont-Martin', attributes: { host: true, annual_revenue: 1890 }, updated_at: '2026-11-04T10:05:00.000Z',
      subscriptions: [
        ...contact.subscriptions!,
        { channel: 'sms', topic: 'promotions', status: 'unsubscribed', updated_at: '2026-11-04T10:05:00.000Z' },
      ],
    }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});

export const listContactsRoute = createRoute({
  method: 'get', path: '/contacts', tags: tag, security,
  summary: 'List and search contacts',
  description:
    'Contacts oldest first, a page at a time (next_cursor continues), without their subscriptions. Filters combine: ' +
    'email (in any case) and external_id match exactly, locale also finds a language\'s regional forms, q searches ' +
    'email, names and external id, and topic keeps those subscribed now on `channel` (email by default). An unknown ' +
    'filter is a 422.',
  request: {
    query: pageQuery.extend({
      email: z.string().max(254).optional(),
      external_id: z.string().max(200).optional(),
      locale: z.string().max(10).optional().openapi({ description: 'A language (`en`, also finding en-CA) or a language and region (`en-CA`)', example: 'fr' }),
      q: z.string().max(200).optional().openapi({ description: 'Search in email, names and external id' }),
      topic: z.string().max(64).optional().openapi({ description: 'Only contacts subscribed to this topic…' }),
      channel: z.enum(CHANNEL_NAMES).optional().openapi({ description: '…on this channel (default email)' }),
    }),
  },
  responses: { 200: exampleResponse(pageSchema(ContactSchema), 'A page of contacts', { data: [listed], next_cursor: 'aWQ6NDI' }), ...commonErrors },
});

const ImportReportSchema = z
  .object({
    created: z.number(),
    updated: z.number(),
    rejected: z.array(z.object({ line: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
    ignored_columns: z.array(z.string()),
    columns: z
      .array(z.object({ header: z.string(), target: z.string().nullable() }))
      .openapi({ description: 'Each column and what it filled (email, address.city, email_topics, attributes.<name>), or null when ignored' }),
    encoding: z.enum(CSV_ENCODINGS).openapi({ description: 'How the file was read (Latin-1 files are read as windows-1252, their superset)' }),
  })
  .openapi('ImportReport');

export const importContactsRoute = createRoute({
  method: 'post', path: '/contacts/import', tags: tag, security,
  summary: 'Import a CSV customer file (streamed, idempotent)',
  description:
    'Header names map to contact fields (email, phone, external_id, first_name, last_name, locale, timezone, ' +
    'address_line1, address_line2, postal_code, city, region, country, with common French names), to declared ' +
    'attributes by name or alias, or as `map[Header]=target` says. email_topics, sms_topics and postal_topics list ' +
    'consented topic keys separated by ; or |. Separator , ; tab or |; UTF-8 (with or without BOM), UTF-16 with a ' +
    'BOM, or Windows-1252 (what French Excel saves); decimal commas accepted. At most IMPORT_MAX_BYTES (50 MiB), ' +
    '256 KiB a line and 32,767 characters a cell; cells mapped to fields get the JSON API\'s limits.',
  request: {
    query: z.object({
      map: z
        .record(z.string(), z.string())
        .optional()
        .openapi({
          param: { name: 'map', in: 'query', style: 'deepObject', explode: true },
          description: "A column's target, by its header: `map[Chiffre d'affaires]=attributes.annual_revenue`, `map[Mail]=email`, `map[Notes]=ignore`",
          example: { "Chiffre d'affaires": 'attributes.annual_revenue' },
        }),
    }),
    body: {
      content: {
        'text/csv': {
          schema: z.string(),
          example: 'numero_client;email;prénom;host;annual_revenue;email_topics\nA1;anne@example.fr;Anne;oui;1 254,50;newsletter\n' +
            'A2;pas-un-email;Bruno;non;12;newsletter\n',
        },
      },
      required: true,
    },
  },
  responses: {
    200: exampleResponse(ImportReportSchema, 'What was created, updated and rejected, and where each column went', {
      created: 1, updated: 0,
      rejected: [{ line: 3, errors: [{ field: 'email', message: '"pas-un-email" is not a valid email address' }] }],
      ignored_columns: [],
      columns: [
        { header: 'numero_client', target: 'external_id' }, { header: 'email', target: 'email' }, { header: 'prénom', target: 'first_name' },
        { header: 'host', target: 'attributes.host' }, { header: 'annual_revenue', target: 'attributes.annual_revenue' },
        { header: 'email_topics', target: 'email_topics' },
      ],
      encoding: 'utf-8',
    }),
    ...notCsv, ...commonErrors, ...payloadTooLarge,
  },
});

const AttributeSchema = z
  .object({
    name: z.string(),
    type: z.enum(ATTRIBUTE_TYPES),
    values: z.array(z.string()).nullable().optional(),
    aliases: z.array(z.string()).openapi({ description: 'Other CSV header names for it' }),
  })
  .openapi('Attribute');

const DeclaredAttributeSchema = AttributeSchema.extend({
  converted: z.number().openapi({ description: 'Stored values rewritten to the new type' }),
});

const revenue = { name: 'annual_revenue', type: 'number' as const, values: null, aliases: ["Chiffre d'affaires", 'CA'] };

export const putAttributeRoute = createRoute({
  method: 'put', path: '/attributes/{name}', tags: ['Attributes'], security,
  summary: 'Declare (or change) a typed custom attribute',
  description:
    'A change of type (or of an enum\'s values) converts the values contacts already hold, e.g. "17/05/1990" to ' +
    '"1990-05-17"; when some cannot be converted nothing changes and the answer is 409 with their count and examples. ' +
    'aliases replace the previous ones.',
  request: {
    params: z.object({ name: z.string().max(63).openapi({ param: { name: 'name', in: 'path' }, example: 'annual_revenue' }) }),
    ...exampleBody(
      z
        .object({
          type: z.enum(ATTRIBUTE_TYPES),
          values: z.array(z.string().min(1).max(100)).max(200).optional(),
          aliases: z.array(z.string().trim().min(1).max(100)).max(20).optional().openapi({ example: ["Chiffre d'affaires", 'CA'] }),
        })
        .strict(),
      { type: 'number', aliases: ["Chiffre d'affaires", 'CA'] },
    ),
  },
  responses: {
    200: exampleResponse(DeclaredAttributeSchema, 'Changed', { ...revenue, converted: 214 }),
    201: exampleResponse(DeclaredAttributeSchema, 'Declared', { ...revenue, converted: 0 }),
    ...badRequest, ...commonErrors, ...conflict,
  },
});

export const listAttributesRoute = createRoute({
  method: 'get', path: '/attributes', tags: ['Attributes'], security,
  summary: 'List the declared attributes',
  description:
    'Every custom attribute by name, with its type, an enum\'s values and the CSV header names it also answers to. ' +
    'One page: next_cursor is always null.',
  responses: {
    200: exampleResponse(z.object({ data: z.array(AttributeSchema), next_cursor: z.null() }), 'All declared attributes', {
      data: [
        revenue, { name: 'host', type: 'boolean', values: null, aliases: ['Hôtesse'] },
        { name: 'tier', type: 'enum', values: ['silver', 'gold'], aliases: [] },
      ],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

const EventSchema = z
  .object({
    contact_id: z.number().int().positive().optional(),
    external_id: z.string().max(200).optional(),
    email: z.string().max(254).optional(),
    type: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_.-]*$/, 'lower-case name such as purchase').openapi({ example: 'purchase' }),
    occurred_at: DateTime.optional(),
    value: z.number().finite().optional().openapi({ example: 89.9 }),
    properties: z.record(z.string(), z.unknown()).optional(),
    idempotency_key: z.string().max(200).optional().openapi({ description: 'A replay with the same key is ignored' }),
  })
  .strict()
  .openapi('Event');

export const postEventsRoute = createRoute({
  method: 'post', path: '/events', tags: ['Events'], security,
  summary: 'Record events, such as purchases',
  description:
    'One event, or up to 1,000 as {events: [...]}. Each names its contact by contact_id, external_id or email: events of ' +
    'unknown contacts come back in `rejected` by index, and the others are recorded; an idempotency_key already seen ' +
    'counts as a duplicate, not again. occurred_at defaults to now. Purchases (type purchase, with a value) drive ' +
    'lifecycle stages, RFM and top-percent segments; other types serve event conditions in segments. Events of the ' +
    'conversion types (CONVERSION_EVENT_TYPES, purchase by default) are attributed to the campaign of the contact\'s last ' +
    'human click within ATTRIBUTION_CLICK_DAYS (5), else last human open within ATTRIBUTION_OPEN_DAYS (1); `attributed` ' +
    'counts them (docs/REPORTS.md).',
  request: exampleBody(z.union([EventSchema, z.object({ events: z.array(EventSchema).min(1).max(1000) }).strict()]), {
    external_id: 'C-00042', type: 'purchase', occurred_at: '2026-11-05T14:12:00+01:00', value: 89.9,
    properties: { order_id: '1001', shop: 'web' }, idempotency_key: 'order-1001',
  }),
  responses: {
    201: exampleResponse(
      z.object({
        accepted: z.number(),
        duplicates: z.number(),
        attributed: z.number().openapi({ description: 'Conversions among the accepted events attributed to a campaign' }),
        rejected: z.array(z.object({ index: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
      }),
      'Recorded',
      { accepted: 1, duplicates: 0, attributed: 1, rejected: [] },
    ),
    ...badRequest, ...commonErrors,
  },
});
