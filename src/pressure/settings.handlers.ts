import { createRouter } from '../http/app-env.js';
import { pressureRules, quietHoursRules, setPressureRules, setQuietHoursRules } from './pressure.service.js';
import { getPressureRoute, getQuietHoursRoute, putPressureRoute, putQuietHoursRoute } from './settings.routes.js';

export function settingsRouter() {
  const app = createRouter();
  app.openapi(getPressureRoute, async (c) => c.json({ rules: await pressureRules(c.get('deps').db) }, 200));
  app.openapi(putPressureRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const rules = await setPressureRules(db, c.req.valid('json').rules, c.get('apiKey'), clock());
    return c.json({ rules }, 200);
  });
  app.openapi(getQuietHoursRoute, async (c) => c.json({ rules: await quietHoursRules(c.get('deps').db) }, 200));
  app.openapi(putQuietHoursRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { rules } = c.req.valid('json');
    await setQuietHoursRules(db, rules, c.get('apiKey'), clock());
    return c.json({ rules }, 200);
  });
  return app;
}
