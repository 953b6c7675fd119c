import { createRoute, z } from '@hono/zod-openapi';
import { exampleResponse } from '../http/examples.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';

const tags = ['Privacy'];
const row = z.record(z.string(), z.unknown());

const ContactExportSchema = z
  .object({
    exported_at: z.string(),
    contact: row,
    subscriptions: z.array(row),
    consent_records: z.array(row).openapi({ description: 'The full consent history, oldest first' }),
    messages: z.array(row).openapi({ description: 'Every message of every campaign, with its engagement times' }),
    events: z.array(row),
    responses: z.array(row).openapi({ description: 'Replies and other responses, with what the person wrote' }),
    tracked_hits: z.array(row).openapi({ description: 'Opens and clicks as kept (user agent, IP prefix, class and rule), the newest 10,000' }),
    lists: z.array(row),
    preferences: z.array(row),
    pressure_ledger: z.array(row),
    purchase_summary: row.nullable(),
    suppressions: z.array(row),
  })
  .openapi('ContactExport');

const at = '2026-03-01T08:30:00.000Z';
const sentAt = '2026-11-03T09:01:12.000Z';

export const exportContactRoute = createRoute({
  method: 'get', path: '/contacts/{id}/export', tags, security,
  summary: 'Export everything held about a contact (right of access)',
  description:
    'The contact\'s fields, subscriptions, full consent history, messages with their engagement, events, responses, ' +
    'tracked opens and clicks, lists, ' +
    'frequency preferences, pressure ledger, purchase summary and suppressions, read in one consistent snapshot. ' +
    'Admins and marketers only (403 for analysts); each export is recorded in the audit log. 404 for an unknown contact.',
  request: { params: IdParam },
  responses: {
    200: exampleResponse(ContactExportSchema, 'The contact’s data', {
      exported_at: '2026-11-04T16:00:00.000Z',
      contact: {
        id: 42, external_id: 'C-00042', email: 'marie.dupont@example.fr', phone: '+33612345678', first_name: 'Marie', last_name: 'Dupont',
        locale: 'fr', timezone: 'Europe/Paris', address: { city: 'Lyon', country: 'FR' }, attributes: { host: true }, created_at: at, updated_at: at,
      },
      subscriptions: [{ channel: 'email', topic: 'newsletter', status: 'subscribed', paused_until: null, updated_at: at }],
      consent_records: [{
        id: 7, channel: 'email', topic: 'newsletter', status: 'subscribed', source: 'api', ip: '203.0.113.7', user_agent: null,
        wording_version: 'signup-form-2026-01', occurred_at: at,
      }],
      messages: [{
        id: 901, campaign_id: 7, campaign_name: 'Lettre de novembre', purpose: 'campaign', channel: 'email', status: 'sent', skip_reason: null,
        address: 'marie.dupont@example.fr', created_at: '2026-11-03T09:00:00.000Z', sent_at: sentAt, opened_at: '2026-11-03T12:40:00.000Z',
        clicked_at: null, replied_at: null, converted_at: null,
      }],
      events: [{ id: 55, type: 'purchase', occurred_at: '2026-11-05T13:12:00.000Z', value: 89.9, properties: { order_id: '1001' } }],
      responses: [{ id: 3, message_id: '0193a1b2c3d4e5f60718293a', channel: 'email', kind: 'reply', body: 'Avez-vous la taille 38 ?', code: null, occurred_at: '2026-11-03T12:02:00.000Z' }],
      tracked_hits: [{
        message_id: '0193a1b2c3d4e5f60718293a', kind: 'open', link: null, occurred_at: '2026-11-03T12:40:00.000Z', method: 'GET',
        user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)', ip_prefix: '203.0.113.0/24', class: 'human', rule: 'default_human',
      }],
      lists: [{ id: 2, name: 'VIP', added_at: at }],
      preferences: [{ channel: 'email', max_messages: 1, period: 'calendar_week', days: null }],
      pressure_ledger: [{ message_id: 901, channel: 'email', counted_at: sentAt }],
      purchase_summary: {
        first_purchase_at: '2026-11-05T13:12:00.000Z', last_purchase_at: '2026-11-05T13:12:00.000Z', purchase_count: 1, purchase_total: 89.9,
      },
      suppressions: [],
    }),
    ...commonErrors, ...notFound,
  },
});

export const runRetentionRoute = createRoute({
  method: 'post', path: '/privacy/retention/run', tags, security,
  summary: 'Run the retention purge now',
  description:
    'Admins only; it also runs every day. Erases each prospect (a contact who never purchased) with no contact for ' +
    'RETENTION_YEARS (3 by default): being collected, a click, a reply, a conversion, another event or their own consent ' +
    'change counts, an open does not. Each erasure and the run itself are recorded in the audit log; a second run erases nothing more.',
  responses: { 200: exampleResponse(z.object({ erased: z.number() }), 'How many contacts were erased', { erased: 12 }), ...commonErrors },
});

export const eraseContactRoute = createRoute({
  method: 'delete', path: '/contacts/{id}', tags: ['Contacts'], security,
  summary: 'Erase a contact (right to erasure)',
  description:
    'Deletes the contact with their subscriptions, events, list memberships and preferences; messages not yet sent to ' +
    'them are skipped. Their addresses stay only as hashed suppression entries, so a later import is never sent to; ' +
    'sent messages and consent records are kept without personal data, so counts and proof of consent remain. Recorded ' +
    'in the audit log; 404 for an unknown contact.',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound },
});
