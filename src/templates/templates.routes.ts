import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, conflict, IdParam, notFound, security } from '../http/schemas.js';
import { TemplateSchema, TemplateSummarySchema } from './templates.views.js';

const tags = ['Templates'];

const content = {
  subject: z.string().max(998).optional().openapi({ example: 'Bonjour {{default first_name "cher client"}}' }),
  preheader: z.string().max(500).optional(),
  mjml: z.string().max(500_000).optional(),
  text: z.string().max(2000).optional().openapi({ example: '{{first_name}}, -20% ce week-end avec le code FETE20' }),
};
const localeField = z.string().min(1).max(10);

const VariantInputSchema = z
  .object({ locale: localeField.openapi({ example: 'en' }), ...content })
  .strict()
  .openapi('TemplateVariantInput', { description: 'The same template in another language, checked like the default content' });

const TemplateInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    channel: z.enum(SENDABLE_CHANNELS),
    locale: localeField.optional().openapi({
      description: 'The language of the default content (fr, en, fr-CA, en-CA…); else the one its MJML declares, else fr', example: 'fr',
    }),
    ...content,
    variants: z.array(VariantInputSchema).max(20).optional().openapi({
      description: 'Other languages. Each contact gets the variant for their locale: fr-CA, else fr, else another fr variant, else the default',
    }),
  })
  .strict()
  .openapi('TemplateInput');

const WarningSchema = z.object({ field: z.string(), line: z.number().optional(), message: z.string() });
const SavedSchema = z.object({ id: z.number(), version: z.number(), warnings: z.array(WarningSchema) }).openapi('TemplateSaved');

const PreviewSchema = z
  .union([
    z.object({ subject: z.string(), html: z.string(), text: z.string() }),
    z.object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number(), characters: z.number() }),
    z.object({ text: z.string() }).openapi({ description: 'A webhook template: the text its payload carries' }),
  ])
  .openapi('Preview');

const mjml = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const lettre = {
  name: 'Lettre de novembre', channel: 'email' as const, locale: 'fr',
  subject: 'Bonjour {{default first_name "cher client"}}', preheader: 'Nos nouveautés',
  mjml: mjml('Bonjour {{first_name}}, {{attributes.ambassador}} vous présente nos nouveautés. <a href="{{unsubscribe_url}}">Se désabonner</a>'),
};
const letter = {
  locale: 'en', subject: 'Hello {{default first_name "dear customer"}}', preheader: 'What is new',
  mjml: mjml('Hello {{first_name}}, here is what is new. <a href="{{unsubscribe_url}}">Unsubscribe</a>'),
};
const stored = { id: 9, created_at: '2026-11-02T08:00:00.000Z', updated_at: '2026-11-02T08:10:00.000Z' };

export const createTemplateRoute = createRoute({
  method: 'post', path: '/templates', tags, security,
  summary: 'Create a template',
  description:
    'An email template has a subject and MJML (its text part is generated), an SMS template a text; both use Handlebars ' +
    'merge fields, and `variants` give the same message in other languages. The default content and every variant are ' +
    'validated, compiled, then merged with a sample contact (every field and declared attribute filled) on both renderers: ' +
    'MJML or Handlebars errors, or a template that cannot render or exceeds the rendering budget, are a 422 naming the field and line.',
  request: exampleBody(TemplateInputSchema, { ...lettre, variants: [letter] }),
  responses: {
    201: exampleResponse(SavedSchema, 'Created, with warnings for unknown merge fields', {
      id: 9, version: 1, warnings: [{ field: 'mjml', line: 1, message: '"attributes.ambassador" is not a declared attribute: it will render empty' }],
    }),
    ...badRequest, ...commonErrors,
  },
});

export const replaceTemplateRoute = createRoute({
  method: 'put', path: '/templates/{id}', tags, security,
  summary: 'Save a new version of a template',
  description:
    'Checked like a new template (422 naming the field and line); the version goes up by one and the variants are ' +
    'replaced by those given, so leaving one out removes it. Campaigns already launched keep the content they froze at ' +
    'launch. 404 for an unknown template.',
  request: { params: IdParam, ...exampleBody(TemplateInputSchema, { ...lettre, subject: 'Dernier jour, {{first_name}} !', variants: [letter] }) },
  responses: { 200: exampleResponse(SavedSchema, 'Saved', { id: 9, version: 2, warnings: [] }), ...badRequest, ...commonErrors, ...notFound },
});

export const getTemplateRoute = createRoute({
  method: 'get', path: '/templates/{id}', tags, security,
  summary: 'Get a template',
  description:
    'The template as saved: its default content and language, its variants in other languages, and its version. 404 for an unknown template.',
  request: { params: IdParam },
  responses: {
    200: exampleResponse(TemplateSchema, 'The template', {
      ...stored, ...lettre, text: null, version: 2, variants: [{ ...letter, text: null }],
    }),
    ...commonErrors, ...notFound,
  },
});

export const listTemplatesRoute = createRoute({
  method: 'get', path: '/templates', tags, security,
  summary: 'List templates',
  description: 'Templates oldest first, with their name, channel, language, subject and version but not their content; next_cursor continues.',
  request: { query: pageQuery },
  responses: {
    200: exampleResponse(pageSchema(TemplateSummarySchema), 'Templates', {
      data: [
        { ...stored, name: lettre.name, channel: 'email', locale: 'fr', subject: lettre.subject, version: 2 },
        { ...stored, id: 10, name: 'Promo SMS', channel: 'sms', locale: 'fr', subject: null, version: 1 },
      ],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

export const deleteTemplateRoute = createRoute({
  method: 'delete', path: '/templates/{id}', tags, security,
  summary: 'Delete a template',
  description: 'Deletes the template and its variants. 409 while any campaign, of whatever status, uses it; 404 for an unknown template.',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound, ...conflict },
});

export const previewTemplateRoute = createRoute({
  method: 'post', path: '/templates/{id}/preview', tags, security,
  summary: 'Render for one contact, or for sample data in a language',
  description:
    'Renders the variant the contact (or `locale`, else `data.locale`) would get; the Content-Language header names its language. ' +
    'Email: {subject, html, text}. SMS: {text, encoding, segments, characters}, with the stop mention in that language. Webhook: {text}. ' +
    'Data the template cannot be merged with, or that exceeds the rendering budget, is a 422 naming the field. Show the HTML in a sandboxed iframe.',
  request: {
    params: IdParam,
    ...exampleBody(
      z.union([
        z.object({ contact_id: z.number().int().positive() }).strict(),
        z.object({ data: z.record(z.string(), z.unknown()), locale: localeField.optional().openapi({ example: 'en-CA' }) }).strict(),
      ]),
      { contact_id: 42 },
    ),
  },
  responses: {
    200: exampleResponse(PreviewSchema, 'The rendered message', {
      subject: 'Bonjour Marie',
      html: '<!doctype html><html lang="fr"><head><title>Bonjour Marie</title>…</head>' +
        '<body>…Bonjour Marie, Maryse vous présente nos nouveautés…</body></html>',
      text: 'Bonjour Marie, Maryse vous présente nos nouveautés. Se désabonner [https://mail.example.com/u/preview]',
    }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});
