// Data-subject rights over the API: a contact's export (staff handling an access request) and a manual run of the
// retention purge. Erasure is DELETE /v1/contacts/{id} (contacts.handlers.ts calls eraseContact).
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { commonErrors, IdParam, jsonResponse, notFound, security } from '../http/schemas.js';
import { DEFAULT_RETENTION_YEARS, eraseContact, exportContact, purgeInactiveProspects } from './privacy.service.js';

const tags = ['Privacy'];
const row = z.record(z.string(), z.unknown());

export const ContactExportSchema = z
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

const exportRoute = createRoute({
  method: 'get', path: '/contacts/{id}/export', tags, security,
  summary: 'Everything held about a contact (right of access); admins and marketers only, audited',
  request: { params: IdParam },
  responses: { 200: jsonResponse(ContactExportSchema, 'The contact’s data'), ...commonErrors, ...notFound },
});

const retentionRoute = createRoute({
  method: 'post', path: '/privacy/retention/run', tags, security,
  summary: 'Erase prospects with no contact for the retention period now (admins only); it also runs on a schedule',
  responses: { 200: jsonResponse(z.object({ erased: z.number() }), 'How many contacts were erased'), ...commonErrors },
});

const eraseRoute = createRoute({
  method: 'delete', path: '/contacts/{id}', tags: ['Contacts'], security,
  summary: 'Erase a contact (right to erasure): hashed suppressions stay, the ledger and consent proof lose their personal data',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound },
});

export function privacyRouter() {
  const app = createRouter();

  app.openapi(exportRoute, async (c) => {
    const key = c.get('apiKey');
    // Personal data: analysts read reports, not people.
    if (key.role !== 'admin' && key.role !== 'marketer') {
      return errorResponse(c, 403, 'forbidden', `The ${key.role} role cannot export personal data`) as never;
    }
    const { db, clock } = c.get('deps');
    return c.json((await exportContact(db, c.req.valid('param').id, key.name, clock())) as never, 200);
  });

  app.openapi(eraseRoute, async (c) => {
    const { db, clock } = c.get('deps');
    await eraseContact(db, c.req.valid('param').id, { actor: c.get('apiKey').name, at: clock() });
    return c.body(null, 204);
  });

  app.openapi(retentionRoute, async (c) => {
    const key = c.get('apiKey');
    if (key.role !== 'admin') return errorResponse(c, 403, 'forbidden', `The ${key.role} role cannot run the retention purge`) as never;
    const { db, clock } = c.get('deps');
    const { config } = c.get('deps');
    const result = await purgeInactiveProspects(db, { now: clock(), years: config.retentionYears ?? DEFAULT_RETENTION_YEARS, triggeredBy: key.name });
    return c.json(result, 200);
  });

  return app;
}
