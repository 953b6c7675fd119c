import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { exampleResponse } from '../http/examples.js';
import { commonErrors, DateTime, security } from '../http/schemas.js';

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
  summary: 'Read the audit log',
  description:
    'Admins only. Who changed API keys, attributes, topics, settings and suppressions, and every contact export, ' +
    'erasure request, erasure and retention run (consent history itself is in each contact\'s export). Newest first, in ' +
    'the order they were written; next_cursor continues with older entries. ' +
    'Filters combine: action (exact), subject (exact, e.g. contact:42), since (entries at or after this time).',
  request: {
    query: pageQuery.extend({
      action: z.string().min(1).max(100).optional().openapi({ example: 'contact.erased' }),
      subject: z.string().min(1).max(200).optional().openapi({ example: 'contact:42' }),
      since: DateTime.optional().openapi({ example: '2025-01-01T00:00:00Z' }),
    }),
  },
  responses: {
    200: exampleResponse(pageSchema(AuditEntrySchema), 'A page of entries', {
      data: [
        {
          id: 318, occurred_at: '2026-11-04T16:20:05.000Z', actor: 'Back office', action: 'contact.erased', subject: 'contact:42',
          details: { reason: 'request', suppressed_addresses: 2, messages_kept: 14, consent_records_kept: 3, actor_key_id: 3 },
        },
        {
          id: 317, occurred_at: '2026-11-04T09:12:44.000Z', actor: 'admin (first start)', action: 'settings.pressure', subject: null,
          details: { rules: [{ channel: 'sms', max: 2, period: 'calendar_month' }], actor_key_id: 1 },
        },
      ],
      next_cursor: 'aWQ6MzE3',
    }),
    ...commonErrors,
  },
});
