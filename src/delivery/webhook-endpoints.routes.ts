import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { commonErrors, conflict, IdParam, notFound, security } from '../http/schemas.js';
import { ENDPOINT_FIELDS } from './webhook-endpoints.service.js';

const tags = ['Webhook endpoints'];

export const EndpointSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    url: z.string(),
    fields: z.array(z.enum(ENDPOINT_FIELDS)).openapi({ description: 'The contact\'s fields each payload carries' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WebhookEndpoint');

const Created = EndpointSchema.extend({
  secret: z.string().openapi({ description: 'whsec_…, shown this once: verify each delivery\'s webhook-signature with it (Standard Webhooks)' }),
}).openapi('WebhookEndpointCreated');

const example = { id: 3, name: 'Application mobile', url: 'https://hooks.shop.example/relais', fields: ['id', 'external_id', 'first_name', 'locale'] as Array<(typeof ENDPOINT_FIELDS)[number]>, created_at: '2026-12-02T10:00:00.000Z' };

export const createEndpointRoute = createRoute({
  method: 'post', path: '/webhook-endpoints', tags, security,
  summary: 'Create a webhook endpoint',
  description:
    'Where a webhook campaign (`channel: "webhook"`, `endpoint_id`) posts each recipient\'s message: a JSON POST signed ' +
    'with Standard Webhooks headers (webhook-id, the message\'s id, the same on a retry; webhook-timestamp; webhook-signature). ' +
    'The secret is answered once. 422 for a URL that is not https, names a private, loopback or link-local address, or ' +
    'localhost (allowed with WEBHOOK_ALLOW_PRIVATE=true, for development only). Redirects are never followed.',
  request: exampleBody(z.object({
    name: z.string().min(1).max(120),
    url: z.string().min(1).max(2000),
    fields: z.array(z.enum(ENDPOINT_FIELDS)).max(ENDPOINT_FIELDS.length).optional().openapi({ description: 'Default: id, external_id, first_name, last_name, locale' }),
  }).strict(), { name: 'Application mobile', url: 'https://hooks.shop.example/relais' }),
  responses: { 201: exampleResponse(Created, 'Created', { ...example, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), ...commonErrors },
});

export const listEndpointsRoute = createRoute({
  method: 'get', path: '/webhook-endpoints', tags, security, request: { query: pageQuery },
  summary: 'List webhook endpoints', description: 'Oldest first, without their secrets; next_cursor continues.',
  responses: { 200: exampleResponse(pageSchema(EndpointSchema), 'Endpoints', { data: [example], next_cursor: null }), ...commonErrors },
});

export const getEndpointRoute = createRoute({
  method: 'get', path: '/webhook-endpoints/{id}', tags, security, request: { params: IdParam },
  summary: 'Get a webhook endpoint', description: 'Without its secret. 404 for an unknown endpoint.',
  responses: { 200: exampleResponse(EndpointSchema, 'The endpoint', example), ...commonErrors, ...notFound },
});

export const patchEndpointRoute = createRoute({
  method: 'patch', path: '/webhook-endpoints/{id}', tags, security,
  summary: 'Change a webhook endpoint, or rotate its secret',
  description:
    'Only what is given changes: a new URL is checked as at creation (422 on `url`); `rotate_secret: true` makes a new ' +
    'secret, answered this once, and the old one signs nothing more (give the receiver the new one first). Campaigns ' +
    'that name the endpoint use the change from their next message. 404 for an unknown endpoint.',
  request: {
    params: IdParam,
    ...exampleBody(z.object({
      name: z.string().min(1).max(120).optional(),
      url: z.string().min(1).max(2000).optional(),
      fields: z.array(z.enum(ENDPOINT_FIELDS)).max(ENDPOINT_FIELDS.length).optional(),
      rotate_secret: z.literal(true).optional(),
    }).strict(), { rotate_secret: true }),
  },
  responses: {
    200: exampleResponse(Created.partial({ secret: true }), 'Changed; the secret only when rotated', { ...example, secret: 'whsec_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4' }),
    ...commonErrors, ...notFound,
  },
});

export const deleteEndpointRoute = createRoute({
  method: 'delete', path: '/webhook-endpoints/{id}', tags, security, request: { params: IdParam },
  summary: 'Delete a webhook endpoint', description: '409 while a campaign names it; 404 for an unknown endpoint.',
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});
