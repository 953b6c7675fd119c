import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, DateTime, notFound, security } from '../http/schemas.js';
import { RESPONSE_KINDS } from './responses.service.js';

const common = {
  body: z.string().max(10_000).optional().openapi({ description: 'What the person said or wrote' }),
  properties: z.record(z.string(), z.unknown()).optional(),
  occurred_at: DateTime.optional(),
  idempotency_key: z.string().min(1).max(200).optional().openapi({ description: 'A replay with the same key records nothing more' }),
};

const ResponseBody = z.union([
  z.object({ code: z.string().min(1).max(40).openapi({ description: 'A reply-coupon code as printed on a letter (case, spaces and hyphens ignored)', example: 'K7QM-4TXR' }), ...common })
    .strict(),
  z.object({
    message_id: z.string().min(1).max(64).openapi({ description: 'The message’s public id' }),
    kind: z.enum(RESPONSE_KINDS),
    ...common,
  }).strict(),
]);

const RecordedSchema = z.object({
  id: z.number(), duplicate: z.boolean(), message_id: z.string().nullable(), campaign_id: z.number().nullable(), contact_id: z.number().nullable(),
  kind: z.enum(RESPONSE_KINDS),
}).openapi('RecordedResponse');

export const postResponseRoute = createRoute({
  method: 'post', path: '/responses', tags: ['Reports'], security,
  summary: 'Record a response: a reply-coupon code, or a reply to a message',
  description:
    'A reply-coupon code (the postal channel prints one per letter) or a message and a kind: the response counts as a ' +
    'reply in its campaign’s report and the contact’s timeline. A code counts once however often it is entered; ' +
    'otherwise an idempotency_key makes a replay a no-op (200, duplicate true). An unknown code is a 422 on `code`; ' +
    'an unknown message a 404.',
  request: exampleBody(ResponseBody, { code: 'K7QM-4TXR', body: 'Je souhaite être rappelée', occurred_at: '2026-11-20T10:00:00+01:00' }),
  responses: {
    201: exampleResponse(RecordedSchema, 'Recorded', { id: 12, duplicate: false, message_id: 'm_3f9a2c', campaign_id: 7, contact_id: 42, kind: 'coupon' }),
    200: exampleResponse(RecordedSchema, 'Already recorded (same code or idempotency key)', { id: 12, duplicate: true, message_id: 'm_3f9a2c', campaign_id: 7, contact_id: 42, kind: 'coupon' }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});
