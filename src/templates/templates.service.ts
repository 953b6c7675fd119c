import type { SendableChannel } from '../channels/index.js';
import { CONTACT_FIELDS, findContactById, listAttributeDefinitions, normaliseLocale } from '../contacts/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { declaredLanguage, prepareContent, type ContentChecks, type ContentInput, type PreparedContent, type Warning } from './content.js';
import { MESSAGE_FIELDS, mergeData, type MergeContact } from './merge-data.js';
import { createInterpretedRenderer } from './render/interpreter.js';
import type { StopMentions } from './render/stop-mention.js';
import type { MergeRenderer } from './render/types.js';
import { contentFor, renderContent, TemplateRenderError, type FrozenContent } from './rendering.js';
import {
  deleteTemplate, findTemplate, findVariants, insertTemplate, isTemplateUsed, listTemplates, replaceVariants, updateTemplate,
  type TemplateWrite, type VariantWrite,
} from './templates.repository.js';

export type { Warning };

export interface TemplateInput extends ContentInput {
  name: string;
  channel: SendableChannel;
  /** The language of the default content; else the one its MJML declares, else French. */
  locale?: string;
  variants?: (ContentInput & { locale: string })[];
}

/** The language a template is in when nothing says: the platform's first language. */
export const DEFAULT_TEMPLATE_LOCALE = 'fr';

// Interpreters made for checking templates on Node, one per renderer (cheap, but not free to build per request).
const checkers = new WeakMap<MergeRenderer, MergeRenderer[]>();

/** The renderers a template is tried on before it is saved: this runtime's, and the Worker's interpreter. */
export function sampleRenderers(renderer: MergeRenderer): MergeRenderer[] {
  if (renderer.name === 'interpreted') return [renderer];
  let list = checkers.get(renderer);
  if (!list) checkers.set(renderer, (list = [renderer, createInterpretedRenderer()]));
  return list;
}

function localeProblem(field: string, raw: string): FieldProblem {
  return { field, message: `"${raw}" is not a supported language: fr or en, optionally with a region (fr-CA, en-CA)` };
}

/**
 * Validates a template and each of its variants alike, compiles their MJML once, and merges each with sample data
 * on every renderer given: errors carry their field and line, unknown merge fields are warnings.
 */
export async function prepareTemplate(db: Database, input: TemplateInput, renderers: readonly MergeRenderer[]) {
  const attributes = await listAttributeDefinitions(db);
  const checks: ContentChecks = {
    knownFields: [...CONTACT_FIELDS, ...MESSAGE_FIELDS, 'attributes', ...attributes.map((a) => `attributes.${a.name}`)],
    attributes, renderers, problems: [], warnings: [],
  };
  let locale = DEFAULT_TEMPLATE_LOCALE;
  const given = input.locale ?? declaredLanguage(input.mjml);
  if (given !== undefined) {
    const normalised = normaliseLocale(given);
    if (normalised) locale = normalised;
    else if (input.locale !== undefined) checks.problems.push(localeProblem('locale', input.locale));
  }
  const base = await prepareContent(input.channel, locale, input, '', checks);
  const seen = new Set([locale]);
  const variants: PreparedContent[] = [];
  for (const [i, variant] of (input.variants ?? []).entries()) {
    const prefix = `variants[${i}].`;
    const { locale: raw, ...content } = variant;
    const variantLocale = normaliseLocale(raw);
    if (!variantLocale) checks.problems.push(localeProblem(`${prefix}locale`, raw));
    else if (seen.has(variantLocale)) {
      const where = variantLocale === locale ? 'the default content' : 'another variant';
      checks.problems.push({ field: `${prefix}locale`, message: `${where} is already in ${variantLocale}` });
    }
    if (variantLocale) seen.add(variantLocale);
    const prepared = await prepareContent(input.channel, variantLocale ?? raw, content, prefix, checks);
    if (prepared) variants.push(prepared);
  }
  if (checks.problems.length || !base) throw new InvalidInputError('The template has errors', checks.problems);
  const write: TemplateWrite = { name: input.name, channel: input.channel, ...base };
  return { write, variants: variants as VariantWrite[], warnings: checks.warnings };
}

export async function createTemplate(db: Database, input: TemplateInput, at: Date, renderers: readonly MergeRenderer[]) {
  const { write, variants, warnings } = await prepareTemplate(db, input, renderers);
  return inTransaction(db, async (trx) => {
    const template = await insertTemplate(trx, write, at);
    await replaceVariants(trx, Number(template.id), variants);
    return { id: Number(template.id), version: template.version, warnings };
  });
}

/** A new version: the content and every variant are replaced. */
export async function replaceTemplate(db: Database, id: number, input: TemplateInput, at: Date, renderers: readonly MergeRenderer[]) {
  if (!(await findTemplate(db, id))) throw new NotFoundError('Template', id);
  const { write, variants, warnings } = await prepareTemplate(db, input, renderers);
  return inTransaction(db, async (trx) => {
    const template = await updateTemplate(trx, id, write, at);
    if (!template) throw new NotFoundError('Template', id);
    await replaceVariants(trx, id, variants);
    return { id, version: template.version, warnings };
  });
}

/** A template with its variants, as stored (compiled HTML included). */
export async function findTemplateWithVariants(db: Database, id: number) {
  const template = await findTemplate(db, id);
  if (!template) return undefined;
  return { ...template, variants: await findVariants(db, id) };
}

export async function getTemplate(db: Database, id: number) {
  const t = await findTemplateWithVariants(db, id);
  if (!t) throw new NotFoundError('Template', id);
  const { compiled_html: _compiled, variants, ...rest } = t;
  return { ...rest, variants: variants.map(({ compiled_html: _html, ...v }) => v) };
}

export { listTemplates };

export async function removeTemplate(db: Database, id: number) {
  if (await isTemplateUsed(db, id)) throw new ConflictError(`Template ${id} is used by a campaign`);
  if (!(await deleteTemplate(db, id))) throw new NotFoundError('Template', id);
}

/**
 * Renders the variant a contact (or sample data in a language) would get. A template that cannot be merged, or
 * that blows the rendering budget with this data, is a 422 naming the field.
 */
export async function previewTemplate(
  db: Database,
  renderer: MergeRenderer,
  id: number,
  source: { contact_id?: number; data?: Record<string, unknown>; locale?: string },
  links: { unsubscribe_url: string; preferences_url: string; brand_name: string },
  stopMentions?: StopMentions,
) {
  const template = await findTemplateWithVariants(db, id);
  if (!template) throw new NotFoundError('Template', id);
  let data: Record<string, unknown>;
  if (source.contact_id !== undefined) {
    const contact = await findContactById(db, source.contact_id);
    if (!contact) throw new InvalidInputError('Unknown contact', [{ field: 'contact_id', message: `contact ${source.contact_id} does not exist` }]);
    data = mergeData(contact as MergeContact, links);
  } else {
    // Sample data in a language: that language's variant, else (no language given) the default content.
    const given = source.locale ?? (typeof source.data?.locale === 'string' ? source.data.locale : undefined);
    data = { timezone: 'Europe/Paris', attributes: {}, address: {}, ...links, ...(source.data ?? {}), locale: given ?? template.locale };
  }
  const frozen: FrozenContent = { ...template, channel: template.channel as SendableChannel, template_version: template.version, variants: template.variants };
  const { variant, ...content } = contentFor(frozen, data.locale as string | null);
  const index = template.variants.findIndex((v) => v.locale === variant);
  try {
    // Templates have no kind: SMS previews show the marketing stop mention a campaign would add.
    const rendered = renderContent(renderer, content, data, { stopMentions, fieldPrefix: index >= 0 ? `variants[${index}].` : '' });
    return { rendered, locale: content.locale ?? template.locale };
  } catch (err) {
    if (err instanceof TemplateRenderError) throw new InvalidInputError('The template cannot be rendered with this data', [{ field: err.field, message: err.reason }]);
    throw err;
  }
}
