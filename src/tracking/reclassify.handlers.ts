import { changedBy, createRouter } from '../http/app-env.js';
import { NotFoundError } from '../errors.js';
import { campaignExists } from './reclassify.repository.js';
import { reclassifyRoute } from './reclassify.routes.js';
import { reclassifyAndAudit } from './reclassify.js';

export function reclassifyRouter() {
  const app = createRouter();
  app.openapi(reclassifyRoute, async (c) => {
    const { campaign_id: id } = c.req.valid('json');
    const deps = c.get('deps');
    if (!(await campaignExists(deps.db, id))) throw new NotFoundError('Campaign', id);
    const { actor } = changedBy(c);
    deps.background.run('reclassify hits', async () => void (await reclassifyAndAudit(deps.db, id, deps.config.classifier, { actor, at: deps.clock })));
    return c.json({ campaign_id: id, status: 'started' as const }, 202);
  });
  return app;
}
