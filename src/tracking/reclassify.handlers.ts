import { changedBy, createRouter } from '../http/app-env.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { campaignLaunch } from './reclassify.repository.js';
import { reclassifyRoute } from './reclassify.routes.js';
import { hitsAreComplete, reclassifyAndAudit } from './reclassify.js';

export function reclassifyRouter() {
  const app = createRouter();
  app.openapi(reclassifyRoute, async (c) => {
    const { campaign_id: id } = c.req.valid('json');
    const deps = c.get('deps');
    const campaign = await campaignLaunch(deps.db, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (!hitsAreComplete(campaign.launchedAt, deps.clock(), deps.config.trackingHitsRetentionDays)) {
      // Rebuilding its counts from what is left would lose the pruned hits' counts.
      throw new ConflictError(`The campaign's raw hits older than ${deps.config.trackingHitsRetentionDays} days were deleted: it cannot be reclassified`);
    }
    const { actor } = changedBy(c);
    deps.background.run('reclassify hits', async () => void (await reclassifyAndAudit(deps.db, id, deps.config.classifier, { actor, at: deps.clock })));
    return c.json({ campaign_id: id, status: 'started' as const }, 202);
  });
  return app;
}
