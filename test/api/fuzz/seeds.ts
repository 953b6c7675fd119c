// Bodies each route accepts against the fuzz's own data, by route as the OpenAPI document names it. Most runs put
// one fault into one of them, so that the fault gets past every other check (a body generated from the schema alone
// rarely names a template or topic that exists). A route without seeds is still fuzzed from its schema.
import { mjml } from '../../support/fixtures.js';

export interface SeedData {
  contacts: number[];
  templates: { sms: number; email: number };
  lists: number[];
  segments: number[];
  /** A topic key every contact is subscribed to, and a declared boolean attribute. */
  topic: string;
  attribute: string;
}

export function seedBodies(d: SeedData): Record<string, unknown[]> {
  const contact = {
    email: 'seed@example.fr', phone: '+33612345699', external_id: 'SEED-1', first_name: 'Zoé', last_name: 'Martin', locale: 'fr-CA',
    timezone: 'America/Montreal', address: { line1: '1 rue de la Paix', postal_code: '75002', city: 'Paris', country: 'FR' },
    attributes: { [d.attribute]: true }, subscriptions: [{ channel: 'email', topic: d.topic, wording_version: 'v1', ip: '203.0.113.9' }],
  };
  const rule = {
    all: [
      { field: 'locale', op: 'in', value: ['fr', 'fr-CA'] },
      { field: `attributes.${d.attribute}`, op: 'eq', value: true },
      { any: [{ event: 'purchase', within_days: 30, where: [{ property: 'sku', op: 'eq', value: 'A1' }] }, { subscribed: { channel: 'email', topic: d.topic } }] },
      { not: { field: 'address.city', op: 'contains', value: 'Lyon' } },
      { field: 'created_at', op: 'gt', value: '2024-01-01T00:00:00Z' },
      { field: 'id', op: 'lte', value: 1000 },
      { event: 'purchase', within_days: 365, count: { op: 'gte', value: 2 }, sum: { property: 'value', op: 'gt', value: 10.5 } },
    ],
  };
  const sms = { name: 'Seed SMS', channel: 'sms', text: 'Bonjour {{first_name}}', locale: 'fr', variants: [{ locale: 'en', text: 'Hello {{first_name}}' }] };
  const email = { name: 'Seed email', channel: 'email', subject: 'Bonjour {{first_name}}', preheader: 'Nouveautés', mjml: mjml('Bonjour {{first_name}}') };
  const event = { contact_id: d.contacts[0], type: 'purchase', occurred_at: '2025-03-01T09:30:00+01:00', value: 89.9, properties: { sku: 'A1', items: [{ qty: 2 }] }, idempotency_key: 'seed-1' };
  return {
    'POST /v1/contacts': [contact, { external_id: 'SEED-2', attributes: { note: 'x' } }],
    'PATCH /v1/contacts/{id}': [contact, { first_name: 'Léa', address: { city: 'Montréal' } }],
    'PUT /v1/attributes/{name}': [{ type: 'text', aliases: ['Note interne'] }, { type: 'enum', values: ['bronze', 'argent', 'or'] }, { type: 'date' }],
    'POST /v1/events': [event, { events: [event, { email: 'fuzz@example.fr', type: 'visit' }] }],
    'POST /v1/topics': [{ key: 'seed-topic', name: 'Seed', double_opt_in: true }],
    'POST /v1/templates': [sms, email],
    'PUT /v1/templates/{id}': [sms],
    'POST /v1/templates/{id}/preview': [{ data: { first_name: 'Zoé', attributes: { vip: true } }, locale: 'en-CA' }, { contact_id: d.contacts[0] }],
    'POST /v1/campaigns': [
      { name: 'Seed', channel: 'sms', template_id: d.templates.sms, topic: d.topic, audience: { all: true } },
      {
        name: 'Seed email', channel: 'email', template_id: d.templates.email, topic: d.topic, kind: 'marketing', priority: 'low', on_cap: 'defer',
        deadline: '2030-01-01T00:00:00+01:00', audience: { include: [{ list_id: d.lists[0] }, { segment_id: d.segments[0] }], exclude: [{ list_id: d.lists[0] }] },
      },
    ],
    'POST /v1/lists': [{ name: 'Seed list' }],
    'POST /v1/lists/{id}/members': [{ contact_ids: d.contacts }],
    'POST /v1/segments': [{ name: 'Seed segment', rule }],
    'POST /v1/segments/preview': [{ rule, priority: 'high' }],
    'PATCH /v1/segments/{id}': [{ name: 'Seed segment', rule }],
    'POST /v1/segments/{id}/freeze': [{ name: 'Frozen' }],
    'PUT /v1/settings/lifecycle': [{ new_days: 30, slowing_days: 90, lapsed_days: 365 }],
    'POST /v1/suppressions': [{ channel: 'sms', address: '+33612345698' }],
    'POST /v1/api-keys': [{ name: 'Seed key', role: 'analyst' }],
  };
}
