import { createRoute, z } from '@hono/zod-openapi';
import { badRequest, commonErrors, conflict, jsonBody, jsonResponse, security } from '../http/schemas.js';
import { TopicSchema } from './topics.views.js';

export const createTopicRoute = createRoute({
  method: 'post', path: '/topics', tags: ['Topics'], security,
  summary: 'Create a subscription topic such as newsletter or promotions',
  request: jsonBody(
    z.object({
      key: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _').openapi({ example: 'newsletter' }),
      name: z.string().min(1).max(200).openapi({ example: 'La lettre du mois' }),
      double_opt_in: z.boolean().optional().openapi({ description: 'Email consent from import or API stays pending until confirmed by a signed link' }),
    }).strict(),
  ),
  responses: { 201: jsonResponse(TopicSchema, 'Created'), ...badRequest, ...commonErrors, ...conflict },
});

export const listTopicsRoute = createRoute({
  method: 'get', path: '/topics', tags: ['Topics'], security,
  responses: { 200: jsonResponse(z.object({ data: z.array(TopicSchema), next_cursor: z.null() }), 'All topics'), ...commonErrors },
});
