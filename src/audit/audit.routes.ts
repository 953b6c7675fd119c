import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { commonErrors, jsonResponse, security } from '../http/schemas.js';

const AuditEntrySchema = z
  .object({
    id: z.number(),
    occurred_at: z.string(),
    actor: z.string().openapi({ description: 'The API key’s name, or a system actor such as retention' }),
    action: z.string().openapi({ example: 'contact.erased' }),
    subject: z.string().nullable().openapi({ example: 'contact:42' }),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

export const listAuditLogRoute = createRoute({
  method: 'get', path: '/audit-log', tags: ['Audit'], security,
  summary: 'Consent and administrative changes, newest first (admins only)',
  description:
    'Entries come newest first, in the order they were written; next_cursor continues with older entries. ' +
    'Filters combine: action (exact), subject (exact, e.g. contact:42), since (entries at or after this time).',
  request: {
    query: pageQuery.extend({
      action: z.string().min(1).max(100).optional().openapi({ example: 'contact.erased' }),
      subject: z.string().min(1).max(200).optional().openapi({ example: 'contact:42' }),
      since: z.string().datetime({ offset: true }).optional().openapi({ example: '2025-01-01T00:00:00Z' }),
    }),
  },
  responses: { 200: jsonResponse(pageSchema(AuditEntrySchema), 'A page of entries'), ...commonErrors },
});
