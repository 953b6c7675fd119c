import { createRouter } from '../http/app-env.js';
import { toPage } from '../http/pagination.js';
import { contactTimelineRoute } from './timeline.routes.js';
import { contactTimeline } from './timeline.service.js';
import { toTimelineItemView } from './timeline.views.js';

export function timelineRouter() {
  const app = createRouter();
  app.openapi(contactTimelineRoute, async (c) => {
    const { data, next_cursor } = await contactTimeline(c.get('deps').db, c.req.valid('param').id, toPage(c.req.valid('query')));
    return c.json({ data: data.map(toTimelineItemView), next_cursor }, 200);
  });
  return app;
}
