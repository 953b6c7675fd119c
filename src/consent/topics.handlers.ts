import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { ConflictError } from '../errors.js';
import { badRequest, commonErrors, conflict, jsonBody, jsonResponse, security } from '../http/schemas.js';
import { insertTopic, listTopics } from './consent.repository.js';

const TopicSchema = z.object({ id: z.number(), key: z.string(), name: z.string(), double_opt_in: z.boolean(), created_at: z.string() }).openapi('Topic');

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

export function topicsRouter() {
  const app = createRouter();
  app.openapi(createTopicRoute, async (c) => {
    const body = c.req.valid('json');
    const topic = await insertTopic(c.get('deps').db, body);
    if (!topic) throw new ConflictError(`Topic ${body.key} already exists`);
    return c.json(topic as never, 201);
  });
  app.openapi(listTopicsRoute, async (c) => c.json({ data: await listTopics(c.get('deps').db), next_cursor: null } as never, 200));
  return app;
}
