import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import {
  createSegmentRoute, deleteSegmentRoute, freezeSegmentRoute, getLifecycleRoute, getSegmentRoute, listSegmentsRoute, patchSegmentRoute,
  previewRuleRoute, previewSegmentRoute, putLifecycleRoute,
} from './segments.routes.js';
import {
  createSegment, freezeSegment, getSegment, lifecycleSettings, listSegments, patchSegment, previewRule, previewSegment, removeSegment,
  setLifecycleSettings,
} from './segments.service.js';
import { toSegmentView } from './segments.views.js';

export function segmentsRouter() {
  const app = createRouter();
  app.openapi(createSegmentRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toSegmentView(await createSegment(db, c.req.valid('json'), clock())), 201);
  });
  app.openapi(listSegmentsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate((await listSegments(c.get('deps').db, page)).map(toSegmentView), page.limit), 200);
  });
  app.openapi(previewRuleRoute, async (c) => {
    const { db, clock, config } = c.get('deps');
    const body = c.req.valid('json');
    return c.json(await previewRule(db, body.rule, clock(), body.priority, { statementTimeoutMs: config.statementTimeoutMs.segment }), 200);
  });
  app.openapi(getSegmentRoute, async (c) => c.json(toSegmentView(await getSegment(c.get('deps').db, c.req.valid('param').id)), 200));
  app.openapi(patchSegmentRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toSegmentView(await patchSegment(db, c.req.valid('param').id, c.req.valid('json'), clock())), 200);
  });
  app.openapi(deleteSegmentRoute, async (c) => {
    await removeSegment(c.get('deps').db, c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(previewSegmentRoute, async (c) => {
    const { db, clock, config } = c.get('deps');
    return c.json(await previewSegment(db, c.req.valid('param').id, clock(), c.req.valid('query').priority, { statementTimeoutMs: config.statementTimeoutMs.segment }), 200);
  });
  app.openapi(freezeSegmentRoute, async (c) => {
    const { db, clock, config } = c.get('deps');
    const body = (await c.req.json().catch(() => ({}))) as { name?: unknown };
    const name = typeof body?.name === 'string' && body.name.trim() ? body.name.slice(0, 200) : undefined;
    return c.json(await freezeSegment(db, c.req.valid('param').id, name, clock(), { statementTimeoutMs: config.statementTimeoutMs.segment }), 201);
  });
  app.openapi(getLifecycleRoute, async (c) => c.json(await lifecycleSettings(c.get('deps').db), 200));
  app.openapi(putLifecycleRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await setLifecycleSettings(db, c.req.valid('json'), c.get('apiKey'), clock()), 200);
  });
  return app;
}
