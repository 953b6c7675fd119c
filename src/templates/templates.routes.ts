import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { TemplateSchema, TemplateSummarySchema } from './templates.views.js';

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

const PreviewSchema = z
  .union([
    z.object({ subject: z.string(), html: z.string(), text: z.string() }),
    z.object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number(), characters: z.number() }),
  ])
  .openapi('Preview');

export const createTemplateRoute = createRoute({
  method: 'post', path: '/templates', tags, security,
  summary: 'Create a template; MJML and Handlebars errors come back as 422 with line numbers',
  request: jsonBody(TemplateInputSchema),
  responses: { 201: jsonResponse(SavedSchema, 'Created, with warnings for unknown merge fields'), ...badRequest, ...commonErrors },
});

export const replaceTemplateRoute = createRoute({
  method: 'put', path: '/templates/{id}', tags, security,
  summary: 'Save a new version of a template',
  request: { params: IdParam, ...jsonBody(TemplateInputSchema) },
  responses: { 200: jsonResponse(SavedSchema, 'Saved'), ...badRequest, ...commonErrors, ...notFound },
});

export const getTemplateRoute = createRoute({
  method: 'get', path: '/templates/{id}', tags, security,
  request: { params: IdParam },
  responses: { 200: jsonResponse(TemplateSchema, 'The template'), ...commonErrors, ...notFound },
});

export const listTemplatesRoute = createRoute({
  method: 'get', path: '/templates', tags, security,
  request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(TemplateSummarySchema), 'Templates'), ...commonErrors },
});

export const deleteTemplateRoute = createRoute({
  method: 'delete', path: '/templates/{id}', tags, security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});

export const previewTemplateRoute = createRoute({
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
