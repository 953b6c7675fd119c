import { CHANNELS, type ChannelContent, type EmailContent, type SendableChannel, type SmsContent } from '../channels/index.js';
import { CONTACT_FIELDS, findContactById, listAttributeDefinitions } from '../contacts/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { InvalidInputError, NotFoundError, ConflictError, type FieldProblem } from '../errors.js';
import { MESSAGE_FIELDS, mergeData, type MergeContact } from './merge-data.js';
import { compileMjml } from './render/mjml.js';
import { htmlToText } from './render/text.js';
import { smsWithStopMention } from './render/stop-mention.js';
import type { MergeRenderer } from './render/types.js';
import { validateTemplateSource } from './render/validate.js';
import { withUnsubscribeFooter } from './unsubscribe-footer.js';
import {
  deleteTemplate, findTemplate, insertTemplate, isTemplateUsed, listTemplates, updateTemplate, type TemplateWrite,
} from './templates.repository.js';

export interface TemplateInput {
  name: string;
  channel: SendableChannel;
  subject?: string;
  preheader?: string;
  mjml?: string;
  text?: string;
}

export interface Warning {
  field: string;
  line?: number;
  message: string;
}

/** The preheader becomes MJML's own <mj-preview>, so it is compiled (and merged) with the body. */
function withPreheader(mjml: string, preheader?: string): string {
  if (!preheader || /<mj-preview[\s>]/i.test(mjml)) return mjml;
  const preview = `<mj-preview>${preheader}</mj-preview>`;
  if (/<mj-head[^>]*>/i.test(mjml)) return mjml.replace(/<mj-head[^>]*>/i, (m) => `${m}${preview}`);
  return mjml.replace(/<mjml[^>]*>/i, (m) => `${m}<mj-head>${preview}</mj-head>`);
}

async function knownFields(db: Database) {
  const attributes = await listAttributeDefinitions(db);
  return [...CONTACT_FIELDS, ...MESSAGE_FIELDS, 'attributes', ...attributes.map((a) => `attributes.${a.name}`)];
}

/** Validates a template and compiles its MJML once; errors carry line numbers, unknown merge fields are warnings. */
export async function prepareTemplate(db: Database, input: TemplateInput): Promise<{ write: TemplateWrite; warnings: Warning[] }> {
  const problems: FieldProblem[] = [];
  const warnings: Warning[] = [];
  const fields = await knownFields(db);
  const check = (field: string, source: string | undefined) => {
    if (source === undefined) return;
    const result = validateTemplateSource(source, { knownFields: fields });
    for (const e of result.errors) problems.push({ field, message: `line ${e.line}: ${e.message}` });
    for (const w of result.warnings) warnings.push({ field, line: w.line, message: w.message });
  };
  let compiled: string | null = null;
  if (CHANNELS[input.channel].content === 'email') {
    if (!input.subject?.trim()) problems.push({ field: 'subject', message: 'an email template needs a subject' });
    if (!input.mjml?.trim()) problems.push({ field: 'mjml', message: 'an email template needs an MJML body' });
    if (input.text !== undefined) problems.push({ field: 'text', message: 'email templates take mjml; the text part is generated' });
    check('subject', input.subject);
    check('preheader', input.preheader);
    check('mjml', input.mjml);
    if (input.mjml?.trim() && !problems.some((p) => p.field === 'mjml')) {
      const result = await compileMjml(withPreheader(input.mjml, input.preheader));
      for (const e of result.errors) problems.push({ field: 'mjml', message: `line ${e.line}: ${e.message}` });
      compiled = result.html;
    }
  } else {
    if (!input.text?.trim()) problems.push({ field: 'text', message: 'an SMS template needs a text' });
    for (const f of ['subject', 'preheader', 'mjml'] as const) {
      if (input[f] !== undefined) problems.push({ field: f, message: 'SMS templates take only text' });
    }
    check('text', input.text);
  }
  if (problems.length) throw new InvalidInputError('The template has errors', problems);
  return {
    write: {
      name: input.name,
      channel: input.channel,
      subject: input.subject ?? null,
      preheader: input.preheader ?? null,
      mjml: input.mjml ?? null,
      text: input.text ?? null,
      compiled_html: compiled,
    },
    warnings,
  };
}

export async function createTemplate(db: Database, input: TemplateInput, at: Date) {
  const { write, warnings } = await prepareTemplate(db, input);
  const template = await insertTemplate(db, write, at);
  return { id: Number(template.id), version: template.version, warnings };
}

export async function replaceTemplate(db: Database, id: number, input: TemplateInput, at: Date) {
  const existing = await findTemplate(db, id);
  if (!existing) throw new NotFoundError('Template', id);
  const { write, warnings } = await prepareTemplate(db, input);
  const template = await updateTemplate(db, id, write, at);
  return { id, version: template!.version, warnings };
}

export async function getTemplate(db: Database, id: number) {
  const t = await findTemplate(db, id);
  if (!t) throw new NotFoundError('Template', id);
  const { compiled_html: _compiled, ...rest } = t;
  return rest;
}

export { listTemplates };

export async function removeTemplate(db: Database, id: number) {
  if (await isTemplateUsed(db, id)) throw new ConflictError(`Template ${id} is used by a campaign`);
  if (!(await deleteTemplate(db, id))) throw new NotFoundError('Template', id);
}

export interface RenderableContent {
  channel: SendableChannel;
  subject: string | null;
  compiled_html: string | null;
  text: string | null;
  /** The plain-text part with merge fields still in, made once from compiled_html (see textTemplate). */
  text_template?: string | null;
}

/** html-to-text costs milliseconds; run it once per template version, keeping merge fields intact. */
export function textTemplate(compiledHtml: string): string {
  return htmlToText(compiledHtml);
}

/** Email content, or text content with its encoding and length: what previews show, what transports get. */
export type Rendered = EmailContent | (SmsContent & { characters: number });

/**
 * Merges one recipient into content compiled once, as the channel's kind of content (MJML email, or text).
 * Subjects and texts are not HTML, so they are not escaped.
 */
export function renderContent<K extends SendableChannel>(
  renderer: MergeRenderer,
  content: RenderableContent & { channel: K },
  data: Record<string, unknown>,
  options: { stopMention?: string } = {},
): ChannelContent<K> & Rendered {
  if (CHANNELS[content.channel].content === 'email') {
    const html = renderer.render(content.compiled_html ?? '', data, { escape: true });
    const text = content.text_template != null ? renderer.render(content.text_template, data, { escape: false }) : htmlToText(html);
    const email: EmailContent = { subject: renderer.render(content.subject ?? '', data, { escape: false }).replace(/\s+/g, ' ').trim(), html, text };
    return email as ChannelContent<K> & Rendered;
  }
  // The stop mention goes on after merging, so merge data can't remove it; segments count it.
  return smsWithStopMention(renderer.render(content.text ?? '', data, { escape: false }), options.stopMention) as ChannelContent<K> & Rendered;
}

/**
 * The template as a launch freezes it: later edits do not change a running campaign. Marketing email gets an
 * unsubscribe footer if the template has no link, and the plain-text part is made once, merge fields intact.
 */
export function frozenContent(template: { channel: string; version: number; subject: string | null; compiled_html: string | null; text: string | null }, options: { marketing: boolean }) {
  const html = template.compiled_html ? (options.marketing ? withUnsubscribeFooter(template.compiled_html) : template.compiled_html) : null;
  return {
    channel: template.channel as SendableChannel,
    template_version: template.version,
    subject: template.subject,
    compiled_html: html,
    text_template: html ? textTemplate(html) : null,
    text: template.text,
  };
}

export async function previewTemplate(
  db: Database,
  renderer: MergeRenderer,
  id: number,
  source: { contact_id?: number; data?: Record<string, unknown> },
  links: { unsubscribe_url: string; preferences_url: string; brand_name: string },
  stopMention?: string,
) {
  const template = await findTemplate(db, id);
  if (!template) throw new NotFoundError('Template', id);
  let data: Record<string, unknown>;
  if (source.contact_id !== undefined) {
    const contact = await findContactById(db, source.contact_id);
    if (!contact) throw new InvalidInputError('Unknown contact', [{ field: 'contact_id', message: `contact ${source.contact_id} does not exist` }]);
    data = mergeData(contact as MergeContact, links);
  } else {
    data = { locale: 'fr', timezone: 'Europe/Paris', attributes: {}, address: {}, ...links, ...(source.data ?? {}) };
  }
  // Templates have no kind: SMS previews show the marketing stop mention a campaign would add.
  return renderContent(renderer, template as RenderableContent, data, { stopMention });
}
