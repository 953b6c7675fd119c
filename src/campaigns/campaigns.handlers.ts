import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import { abTestRouter } from './ab-test.handlers.js';
import {
  cancelCampaignRoute, createCampaignRoute, getCampaignRoute, launchCampaignRoute, listCampaignsRoute, pauseCampaignRoute, previewCampaignRoute,
  resumeCampaignRoute,
} from './campaigns.routes.js';
import { cancelCampaign, createCampaign, findCampaigns, getCampaign, launchCampaign, pauseCampaign, resumeCampaign } from './campaigns.service.js';
import { toCampaignView } from './campaigns.views.js';
import { previewCampaign } from './preview.service.js';

export function campaignsRouter() {
  const app = createRouter();
  app.openapi(createCampaignRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toCampaignView(await createCampaign(db, c.req.valid('json'), clock())), 201);
  });
  app.openapi(getCampaignRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toCampaignView(await getCampaign(db, c.req.valid('param').id, clock())), 200);
  });
  app.openapi(listCampaignsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate((await findCampaigns(c.get('deps').db, page)).map(toCampaignView), page.limit), 200);
  });
  app.openapi(previewCampaignRoute, async (c) => {
    const { db, clock, config } = c.get('deps');
    return c.json(await previewCampaign(db, c.req.valid('param').id, clock(), { statementTimeoutMs: config.statementTimeoutMs.segment }), 200);
  });
  app.openapi(launchCampaignRoute, async (c) =>
    c.json(toCampaignView(await launchCampaign(c.get('deps'), c.req.valid('param').id, c.req.valid('json'))), 202));
  app.openapi(cancelCampaignRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toCampaignView(await cancelCampaign(db, c.req.valid('param').id, clock())), 200);
  });
  app.openapi(pauseCampaignRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toCampaignView(await pauseCampaign(db, c.req.valid('param').id, clock())), 200);
  });
  app.openapi(resumeCampaignRoute, async (c) => c.json(toCampaignView(await resumeCampaign(c.get('deps'), c.req.valid('param').id)), 200));
  app.route('/', abTestRouter());
  return app;
}
