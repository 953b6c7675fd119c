import { createRouter } from '../http/app-env.js';
import { chooseWinnerRoute } from './ab-test.routes.js';
import { chooseWinner } from './ab-test.service.js';
import { getCampaign } from './campaigns.service.js';
import { toCampaignView } from './campaigns.views.js';

export function abTestRouter() {
  const app = createRouter();
  app.openapi(chooseWinnerRoute, async (c) => {
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    await chooseWinner(deps, id, c.req.valid('json').variant);
    return c.json(toCampaignView(await getCampaign(deps.db, id, deps.clock())), 200);
  });
  return app;
}
