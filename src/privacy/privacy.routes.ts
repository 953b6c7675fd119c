import { createRoute, z } from '@hono/zod-openapi';
import { commonErrors, IdParam, jsonResponse, notFound, security } from '../http/schemas.js';

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
    lists: z.array(row),
    preferences: z.array(row),
    pressure_ledger: z.array(row),
    purchase_summary: row.nullable(),
    suppressions: z.array(row),
  })
  .openapi('ContactExport');

export const exportContactRoute = createRoute({
  method: 'get', path: '/contacts/{id}/export', tags, security,
  summary: 'Everything held about a contact (right of access); admins and marketers only, audited',
  request: { params: IdParam },
  responses: { 200: jsonResponse(ContactExportSchema, 'The contact’s data'), ...commonErrors, ...notFound },
});

export const runRetentionRoute = createRoute({
  method: 'post', path: '/privacy/retention/run', tags, security,
  summary: 'Erase prospects with no contact for the retention period now (admins only); it also runs on a schedule',
  responses: { 200: jsonResponse(z.object({ erased: z.number() }), 'How many contacts were erased'), ...commonErrors },
});

export const eraseContactRoute = createRoute({
  method: 'delete', path: '/contacts/{id}', tags: ['Contacts'], security,
  summary: 'Erase a contact (right to erasure): hashed suppressions stay, the ledger and consent proof lose their personal data',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound },
});
