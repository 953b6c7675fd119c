import { createRoute, z } from '@hono/zod-openapi';
import { exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';
import { TimelineItemSchema } from './timeline.views.js';

export const contactTimelineRoute = createRoute({
  method: 'get', path: '/contacts/{id}/timeline', tags: ['Contacts'], security,
  summary: 'Get a contact\'s timeline: their messages and what they did with each',
  description:
    'Every message of the contact in the ledger, newest first (by message), a page at a time (next_cursor continues; ' +
    '50 by default, 200 at most): its campaign, channel, outcome and when it was sent, with its events newest first: ' +
    'delivered, bounced, complained, opened and clicked by a person (with the links followed), replied (the start of ' +
    'each reply), converted (type and value) and unsubscribed. Messages held back are listed with their reason. 404 ' +
    'for an unknown or erased contact.',
  request: {
    params: IdParam,
    query: pageQuery.extend({
      limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'Page size, 1 to 200' }),
    }),
  },
  responses: {
    200: exampleResponse(pageSchema(TimelineItemSchema), 'A page of the contact\'s messages, newest first', {
      data: [{
        message_id: '019a4c2e8f31a7c05d2e9b41f0c3', campaign: { id: 7, name: 'Lettre de novembre' }, purpose: 'campaign', channel: 'email',
        status: 'sent', skip_reason: null, sent_at: '2026-11-03T09:00:12.000Z',
        events: [
          { type: 'converted', at: '2026-11-04T18:02:00.000Z', conversion_type: 'purchase', value: 89.9 },
          { type: 'clicked', at: '2026-11-03T12:41:40.000Z', count: 2, urls: ['https://shop.example/promo'] },
          { type: 'opened', at: '2026-11-03T12:41:05.000Z', count: 3 },
          { type: 'delivered', at: '2026-11-03T09:00:14.000Z' },
        ],
      }, {
        message_id: null, campaign: { id: 6, name: 'Soldes d\'octobre' }, purpose: 'campaign', channel: 'sms', status: 'skipped',
        skip_reason: 'capped', sent_at: null, events: [],
      }],
      next_cursor: 'aWQ6NDI',
    }),
    ...commonErrors, ...notFound,
  },
});
