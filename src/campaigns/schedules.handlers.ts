import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import {
  createScheduleRoute, deleteScheduleRoute, getScheduleRoute, listSchedulesRoute, patchScheduleRoute, pauseScheduleRoute, resumeScheduleRoute,
} from './schedules.routes.js';
import { changeSchedule, createSchedule, findSchedules, getSchedule, pauseSchedule, removeSchedule, resumeSchedule } from './schedules.service.js';
import { toScheduleView } from './schedules.views.js';

export function schedulesRouter() {
  const app = createRouter();
  app.openapi(createScheduleRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toScheduleView(await createSchedule(db, c.req.valid('json'), clock())), 201);
  });
  app.openapi(listSchedulesRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate((await findSchedules(c.get('deps').db, page)).map(toScheduleView), page.limit), 200);
  });
  app.openapi(getScheduleRoute, async (c) => c.json(toScheduleView(await getSchedule(c.get('deps').db, c.req.valid('param').id)), 200));
  app.openapi(patchScheduleRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toScheduleView(await changeSchedule(db, c.req.valid('param').id, c.req.valid('json'), clock())), 200);
  });
  app.openapi(pauseScheduleRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toScheduleView(await pauseSchedule(db, c.req.valid('param').id, clock())), 200);
  });
  app.openapi(resumeScheduleRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toScheduleView(await resumeSchedule(db, c.req.valid('param').id, clock())), 200);
  });
  app.openapi(deleteScheduleRoute, async (c) => {
    await removeSchedule(c.get('deps').db, c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
