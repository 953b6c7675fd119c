import { changedBy, createRouter } from '../http/app-env.js';
import { listTopics } from './consent.repository.js';
import { createTopicRoute, listTopicsRoute, updateTopicRoute } from './topics.routes.js';
import { createTopic, renameTopic } from './topics.service.js';
import { toTopicView } from './topics.views.js';

export function topicsRouter() {
  const app = createRouter();
  app.openapi(createTopicRoute, async (c) => c.json(toTopicView(await createTopic(c.get('deps').db, c.req.valid('json'), changedBy(c))), 201));
  app.openapi(listTopicsRoute, async (c) => c.json({ data: (await listTopics(c.get('deps').db)).map(toTopicView), next_cursor: null }, 200));
  app.openapi(updateTopicRoute, async (c) => c.json(toTopicView(await renameTopic(c.get('deps').db, c.req.valid('param').key, c.req.valid('json'), changedBy(c))), 200));
  return app;
}
