import { createRouter } from '../http/app-env.js';
import { paginate, toPage } from '../http/pagination.js';
import {
  createTemplateRoute, deleteTemplateRoute, getTemplateRoute, listTemplatesRoute, previewTemplateRoute, replaceTemplateRoute,
} from './templates.routes.js';
import { stopMentionsFrom } from './stop-mentions.js';
import {
  createTemplate, getTemplate, listTemplates, previewTemplate, removeTemplate, replaceTemplate, sampleRenderers,
} from './templates.service.js';
import { toTemplateSummaryView, toTemplateView } from './templates.views.js';

export function templatesRouter() {
  const app = createRouter();
  app.openapi(createTemplateRoute, async (c) => {
    const { db, clock, renderer } = c.get('deps');
    return c.json(await createTemplate(db, c.req.valid('json'), clock(), sampleRenderers(renderer)), 201);
  });
  app.openapi(replaceTemplateRoute, async (c) => {
    const { db, clock, renderer } = c.get('deps');
    return c.json(await replaceTemplate(db, c.req.valid('param').id, c.req.valid('json'), clock(), sampleRenderers(renderer)), 200);
  });
  app.openapi(getTemplateRoute, async (c) => c.json(toTemplateView(await getTemplate(c.get('deps').db, c.req.valid('param').id)), 200));
  app.openapi(listTemplatesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q);
    return c.json(paginate((await listTemplates(c.get('deps').db, page)).map(toTemplateSummaryView), page.limit), 200);
  });
  app.openapi(deleteTemplateRoute, async (c) => {
    await removeTemplate(c.get('deps').db, c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(previewTemplateRoute, async (c) => {
    const { db, renderer, config } = c.get('deps');
    const links = {
      unsubscribe_url: `${config.publicUrl}/u/preview`,
      preferences_url: `${config.publicUrl}/p/preview`,
      brand_name: config.brandName,
    };
    const { rendered, locale } = await previewTemplate(db, renderer, c.req.valid('param').id, c.req.valid('json'), links, stopMentionsFrom(config));
    // A preview is shown to marketers: forbid it from running anything if opened directly.
    c.header('Content-Security-Policy', "default-src 'none'; sandbox");
    c.header('Content-Language', locale);
    return c.json(rendered, 200);
  });
  return app;
}
