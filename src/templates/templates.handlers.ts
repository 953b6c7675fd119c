import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { createRouter } from '../http/app-env.js';
import { paginate, pageQuery, pageSchema, toPage } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { createTemplate, getTemplate, listTemplates, previewTemplate, removeTemplate, replaceTemplate } from './templates.service.js';

const tags = ['Templates'];

const TemplateInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    channel: z.enum(SENDABLE_CHANNELS),
    subject: z.string().max(998).optional().openapi({ example: 'Bonjour {{default first_name "cher client"}}' }),
    preheader: z.string().max(500).optional(),
    mjml: z.string().max(500_000).optional(),
    text: z.string().max(2000).optional().openapi({ example: '{{first_name}}, -20% ce week-end avec le code FETE20' }),
  })
  .strict()
  .openapi('TemplateInput');

const WarningSchema = z.object({ field: z.string(), line: z.number().optional(), message: z.string() });
const SavedSchema = z.object({ id: z.number(), version: z.number(), warnings: z.array(WarningSchema) }).openapi('TemplateSaved');

const TemplateSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(SENDABLE_CHANNELS), subject: z.string().nullable(),
    preheader: z.string().nullable(), mjml: z.string().nullable(), text: z.string().nullable(), version: z.number(),
    created_at: z.string(), updated_at: z.string(),
  })
  .openapi('Template');

const PreviewSchema = z
  .union([
    z.object({ subject: z.string(), html: z.string(), text: z.string() }),
    z.object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number(), characters: z.number() }),
  ])
  .openapi('Preview');

const createTemplateRoute = createRoute({
  method: 'post', path: '/templates', tags, security,
  summary: 'Create a template; MJML and Handlebars errors come back as 422 with line numbers',
  request: jsonBody(TemplateInputSchema),
  responses: { 201: jsonResponse(SavedSchema, 'Created, with warnings for unknown merge fields'), ...badRequest, ...commonErrors },
});
const replaceTemplateRoute = createRoute({
  method: 'put', path: '/templates/{id}', tags, security,
  summary: 'Save a new version of a template',
  request: { params: IdParam, ...jsonBody(TemplateInputSchema) },
  responses: { 200: jsonResponse(SavedSchema, 'Saved'), ...badRequest, ...commonErrors, ...notFound },
});
const getTemplateRoute = createRoute({
  method: 'get', path: '/templates/{id}', tags, security,
  request: { params: IdParam },
  responses: { 200: jsonResponse(TemplateSchema, 'The template'), ...commonErrors, ...notFound },
});
const listTemplatesRoute = createRoute({
  method: 'get', path: '/templates', tags, security,
  request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(TemplateSchema.omit({ mjml: true, text: true, preheader: true })), 'Templates'), ...commonErrors },
});
const deleteTemplateRoute = createRoute({
  method: 'delete', path: '/templates/{id}', tags, security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});
const previewTemplateRoute = createRoute({
  method: 'post', path: '/templates/{id}/preview', tags, security,
  summary: 'Render for one contact, or for sample data',
  description: 'Email: {subject, html, text}. SMS: {text, encoding, segments, characters}. Show the HTML in a sandboxed iframe.',
  request: {
    params: IdParam,
    ...jsonBody(
      z.union([
        z.object({ contact_id: z.number().int().positive() }).strict(),
        z.object({ data: z.record(z.string(), z.unknown()) }).strict(),
      ]),
    ),
  },
  responses: { 200: jsonResponse(PreviewSchema, 'The rendered message'), ...badRequest, ...commonErrors, ...notFound },
});

export function templatesRouter() {
  const app = createRouter();
  app.openapi(createTemplateRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await createTemplate(db, c.req.valid('json'), clock()), 201);
  });
  app.openapi(replaceTemplateRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await replaceTemplate(db, c.req.valid('param').id, c.req.valid('json'), clock()), 200);
  });
  app.openapi(getTemplateRoute, async (c) => c.json((await getTemplate(c.get('deps').db, c.req.valid('param').id)) as never, 200));
  app.openapi(listTemplatesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q);
    return c.json(paginate(await listTemplates(c.get('deps').db, page), page.limit) as never, 200);
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
    const result = await previewTemplate(db, renderer, c.req.valid('param').id, c.req.valid('json'), links, config.smsStopMention);
    // A preview is shown to marketers: forbid it from running anything if opened directly.
    c.header('Content-Security-Policy', "default-src 'none'; sandbox");
    return c.json(result, 200);
  });
  return app;
}
