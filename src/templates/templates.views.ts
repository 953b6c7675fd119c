// What the API shows of a template: its schema, and the mappers from stored rows.
import { z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { iso, oneOf } from '../http/views.js';
import type { getTemplate, listTemplates } from './templates.service.js';

const VariantSchema = z
  .object({ locale: z.string(), subject: z.string().nullable(), preheader: z.string().nullable(), mjml: z.string().nullable(), text: z.string().nullable() })
  .openapi('TemplateVariant');

export const TemplateSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(SENDABLE_CHANNELS),
    locale: z.string().openapi({ description: 'The language of the default content' }), subject: z.string().nullable(),
    preheader: z.string().nullable(), mjml: z.string().nullable(), text: z.string().nullable(),
    variants: z.array(VariantSchema).openapi({ description: 'The same template in other languages' }), version: z.number(),
    created_at: z.string(), updated_at: z.string(),
  })
  .openapi('Template');

/** A template in a list: without its content. */
export const TemplateSummarySchema = TemplateSchema.omit({ mjml: true, text: true, preheader: true, variants: true });

export function toTemplateView(t: Awaited<ReturnType<typeof getTemplate>>): z.output<typeof TemplateSchema> {
  return {
    id: t.id, name: t.name, channel: oneOf(SENDABLE_CHANNELS, t.channel), locale: t.locale, subject: t.subject, preheader: t.preheader,
    mjml: t.mjml, text: t.text, variants: t.variants, version: t.version, created_at: iso(t.created_at), updated_at: iso(t.updated_at),
  };
}

export function toTemplateSummaryView(t: Awaited<ReturnType<typeof listTemplates>>[number]): z.output<typeof TemplateSummarySchema> {
  return {
    id: t.id, name: t.name, channel: oneOf(SENDABLE_CHANNELS, t.channel), locale: t.locale, subject: t.subject, version: t.version,
    created_at: iso(t.created_at), updated_at: iso(t.updated_at),
  };
}
