import { createRoute, z } from '@hono/zod-openapi';
import { orCsv } from '../http/csv.js';
import { exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';
import { ENGAGEMENTS, MESSAGE_STATUSES } from './recipients.repository.js';
import { RecipientSchema, type RecipientView } from './recipients.views.js';

const example: RecipientView = {
  message_id: '019a4c2e8f31a7c05d2e9b41f0c3', contact_id: 42, address: 'marie.dupont@example.fr', channel: 'email', status: 'sent',
  state: 'sent', state_reason: null, skip_reason: null, capped_by: null, sent_at: '2026-11-03T09:00:12.000Z', delivered_at: '2026-11-03T09:00:14.000Z', bounced_at: null,
  bounce: null, complained_at: null, opened_at: '2026-11-03T12:41:05.000Z', clicked_at: '2026-11-03T12:41:40.000Z',
  machine_opened_at: '2026-11-03T09:00:20.000Z', machine_clicked_at: null, opens_human: 2, opens_machine: 1, clicks_human: 1, clicks_machine: 0,
  replied_at: null, replies: 0, converted_at: '2026-11-04T18:02:00.000Z', conversions: 1, revenue: 89.9, unsubscribed_at: null,
  sms_encoding: null, sms_segments: null,
};

const CSV_EXAMPLE = [
  'message_id,contact_id,address,channel,status,state,state_reason,skip_reason,capped_by,sent_at,delivered_at,bounced_at,bounce,complained_at,opened_at,'
    + 'clicked_at,machine_opened_at,machine_clicked_at,opens_human,opens_machine,clicks_human,clicks_machine,replied_at,replies,converted_at,'
    + 'conversions,revenue,unsubscribed_at,sms_encoding,sms_segments',
  '019a4c2e8f31a7c05d2e9b41f0c3,42,marie.dupont@example.fr,email,sent,sent,,,,2026-11-03T09:00:12.000Z,2026-11-03T09:00:14.000Z,,,,'
    + '2026-11-03T12:41:05.000Z,2026-11-03T12:41:40.000Z,2026-11-03T09:00:20.000Z,,2,1,1,0,,0,2026-11-04T18:02:00.000Z,1,89.9,,,',
  '',
].join('\r\n');

export const listRecipientsRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/recipients', tags: ['Reports'], security,
  summary: 'List a campaign\'s recipients and what each did with their message',
  description:
    'One item per audience member, in message order, a page at a time (next_cursor continues): the ledger\'s outcome ' +
    '(status, why held back, when sent, the address it went to) and the person\'s engagement (delivered, bounced, ' +
    'complained, first open and click by a person and by a machine, counts of each, replied, converted with revenue, ' +
    'unsubscribed). `status` keeps one outcome; `engaged` keeps the messages a person opened, clicked, replied to, ' +
    'converted on or unsubscribed through, or that bounced. With `Accept: text/csv`, every matching recipient as a CSV ' +
    'attachment (the same fields as columns; limit and cursor are ignored), streamed. An unknown parameter is a 422; ' +
    '404 for an unknown campaign.',
  request: {
    params: IdParam,
    query: pageQuery.extend({
      status: z.enum(MESSAGE_STATUSES).optional().openapi({ description: 'Only messages with this outcome', example: 'sent' }),
      engaged: z.enum(ENGAGEMENTS).optional().openapi({ description: 'Only messages with this engagement (opens and clicks: by a person)', example: 'clicked' }),
    }),
  },
  responses: {
    200: orCsv(
      exampleResponse(pageSchema(RecipientSchema), 'A page of recipients', { data: [example], next_cursor: 'aWQ6NDI' }),
      CSV_EXAMPLE,
      'With Accept: text/csv: every matching recipient, a header row then one row per recipient (UTF-8 with a BOM, CRLF lines; a text cell starting with =, +, -, @, tab or CR is prefixed with \')',
    ),
    ...commonErrors, ...notFound,
  },
});
