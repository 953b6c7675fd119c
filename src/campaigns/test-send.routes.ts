import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';

const tags = ['Campaigns'];

export const TestSendSchema = z.object({
  message_id: z.string().openapi({ description: 'The test message’s id in the ledger (its Message-ID, its outbox file name)' }),
  campaign_id: z.number(),
  contact_id: z.number().openapi({ description: 'The contact whose fields it was rendered with' }),
  channel: z.string(),
  to: z.string().openapi({ description: 'The address it was sent to, normalised' }),
  status: z.enum(['pending', 'sending', 'sent', 'failed']).openapi({
    description: 'sent once handed to the transport; pending when a retryable failure will be tried again; failed otherwise',
  }),
}).openapi('TestSend');

export const testSendRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/test', tags, security,
  summary: 'Send a test of a campaign’s message to an address',
  description:
    'Renders the campaign’s message for the contact `contact_id` (their fields, their language variant) and sends it ' +
    'to `to`: an email address for an email campaign, a phone number for SMS (a national number is read as French). ' +
    'A draft shows its template as it is now; a launched campaign, the content frozen at launch. The email subject ' +
    'starts with "[TEST] ". Links are not tracked (no open pixel, no /t/c redirect, no SMS short links), and the ' +
    'unsubscribe and preference links are inert (`#`), so a tester cannot unsubscribe the contact. A test is a message ' +
    'of no campaign (purpose `test`): no campaign count or report includes it and it reserves no pressure cap. The ' +
    'contact’s consent is not checked (the contact does not receive it), but an address on the suppression list is ' +
    'refused (422 naming `to`), as is an invalid one. 404 for an unknown campaign or contact.',
  request: {
    params: IdParam,
    ...exampleBody(
      z.object({
        contact_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        to: z.string().min(1).max(254).openapi({ description: 'Email address or phone number, by the campaign’s channel' }),
      }).strict(),
      { contact_id: 42, to: 'marketing@example.fr' },
    ),
  },
  responses: {
    200: exampleResponse(TestSendSchema, 'Handed over (or waiting for a retry)', {
      message_id: '019a4c2e8f31a7c05d2e9b41f0c3', campaign_id: 7, contact_id: 42, channel: 'email', to: 'marketing@example.fr', status: 'sent',
    }),
    ...commonErrors, ...notFound,
  },
});
