import { createRouter } from '../http/app-env.js';
import { ConflictError } from '../errors.js';
import { insertTopic, listTopics } from './consent.repository.js';
import { createTopicRoute, listTopicsRoute } from './topics.routes.js';
import { toTopicView } from './topics.views.js';

export function topicsRouter() {
  const app = createRouter();
  app.openapi(createTopicRoute, async (c) => {
    const body = c.req.valid('json');
    const topic = await insertTopic(c.get('deps').db, body);
    if (!topic) throw new ConflictError(`Topic ${body.key} already exists`);
    return c.json(toTopicView(topic), 201);
  });
  app.openapi(listTopicsRoute, async (c) => c.json({ data: (await listTopics(c.get('deps').db)).map(toTopicView), next_cursor: null }, 200));
  return app;
}
