// One language of a template, checked before it is saved: the channel's fields, Handlebars, MJML compiled once
// (with the language in <html lang> and the subject as <title>), then merged with sample data on every renderer
// at hand, within the rendering budget. Problems name their field (`mjml`, `variants[1].subject`…).
import { CHANNELS, type SendableChannel } from '../channels/index.js';
import type { AttributeDefinition } from '../contacts/index.js';
import type { FieldProblem } from '../errors.js';
import { compileMjml, protectTokens, restoreTokens } from './render/mjml.js';
import type { MergeRenderer } from './render/types.js';
import { validateTemplateSource } from './render/validate.js';
import { renderContent, TemplateRenderError, textTemplate } from './rendering.js';
import { sampleMergeData } from './sample-data.js';

export interface ContentInput {
  subject?: string;
  preheader?: string;
  mjml?: string;
  text?: string;
}

export interface PreparedContent {
  locale: string;
  subject: string | null;
  preheader: string | null;
  mjml: string | null;
  text: string | null;
  compiled_html: string | null;
}

export interface Warning {
  field: string;
  line?: number;
  message: string;
}

export interface ContentChecks {
  knownFields: readonly string[];
  attributes: readonly AttributeDefinition[];
  /** The renderers the content must merge on: this runtime's, and the Worker's interpreter. */
  renderers: readonly MergeRenderer[];
  problems: FieldProblem[];
  warnings: Warning[];
}

/** The preheader becomes MJML's own <mj-preview>, so it is compiled (and merged) with the body. */
function withPreheader(mjml: string, preheader?: string): string {
  if (!preheader || /<mj-preview[\s>]/i.test(mjml)) return mjml;
  const preview = `<mj-preview>${preheader}</mj-preview>`;
  if (/<mj-head[^>]*>/i.test(mjml)) return mjml.replace(/<mj-head[^>]*>/i, (m) => `${m}${preview}`);
  return mjml.replace(/<mjml[^>]*>/i, (m) => `${m}<mj-head>${preview}</mj-head>`);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The subject as HTML: its text escaped, its merge fields kept (and escaped when merged, even if triple-stashed). */
function subjectAsHtml(subject: string): string {
  const { text, tokens } = protectTokens(subject);
  const escaped = tokens.map((t) => ({ ...t, token: t.token.replace(/^\{\{\{(~?)/, '{{$1').replace(/(~?)\}\}\}$/, '$1}}').replace(/^\{\{(~?)\s*&/, '{{$1') }));
  return restoreTokens(escapeHtml(text), escaped).text;
}

/** `<html lang>` is the content's language (MJML writes "und" without one) and the `<title>` is the subject. */
export function finishHtml(html: string, locale: string, subject: string): string {
  const lang = /<html\b[^>]*?\slang="[^"]*"/i.test(html)
    ? html.replace(/(<html\b[^>]*?\slang=")[^"]*"/i, (_m, start: string) => `${start}${locale}"`)
    : html.replace(/<html\b/i, () => `<html lang="${locale}"`);
  const title = `<title>${subjectAsHtml(subject)}</title>`;
  return /<title>[\s\S]*?<\/title>/i.test(lang) ? lang.replace(/<title>[\s\S]*?<\/title>/i, () => title) : lang.replace(/<head>/i, () => `<head>${title}`);
}

/** The language an MJML document declares (`<mjml lang="en">`), if any. */
export function declaredLanguage(mjml: string | undefined): string | undefined {
  return mjml ? /<mjml\b[^>]*?\slang="([^"]+)"/i.exec(mjml)?.[1] : undefined;
}

export async function prepareContent(
  channel: SendableChannel,
  locale: string,
  input: ContentInput,
  prefix: string,
  checks: ContentChecks,
): Promise<PreparedContent | undefined> {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: prefix + field, message });
  const check = (field: string, source: string | undefined) => {
    if (source === undefined) return;
    const result = validateTemplateSource(source, { knownFields: checks.knownFields });
    for (const e of result.errors) problem(field, `line ${e.line}: ${e.message}`);
    for (const w of result.warnings) checks.warnings.push({ field: prefix + field, line: w.line, message: w.message });
  };
  let compiled: string | null = null;
  if (CHANNELS[channel].content === 'email') {
    // A letter's subject is its object line ("Objet : …").
    if (!input.subject?.trim()) problem('subject', `a${channel === 'email' ? 'n' : ''} ${channel} template needs a subject`);
    if (!input.mjml?.trim()) problem('mjml', `a${channel === 'email' ? 'n' : ''} ${channel} template needs an MJML body`);
    if (input.text !== undefined) problem('text', `${channel} templates take mjml; the text part is generated`);
    check('subject', input.subject);
    check('preheader', input.preheader);
    check('mjml', input.mjml);
    if (input.mjml?.trim() && !problems.some((p) => p.field === prefix + 'mjml')) {
      const result = await compileMjml(withPreheader(input.mjml, input.preheader));
      for (const e of result.errors) problem('mjml', `line ${e.line}: ${e.message}`);
      compiled = finishHtml(result.html, locale, input.subject ?? '');
    }
  } else {
    if (!input.text?.trim()) problem('text', 'an SMS template needs a text');
    for (const f of ['subject', 'preheader', 'mjml'] as const) {
      if (input[f] !== undefined) problem(f, 'SMS templates take only text');
    }
    check('text', input.text);
  }
  checks.problems.push(...problems);
  if (problems.length) return undefined;
  const prepared: PreparedContent = {
    locale, subject: input.subject ?? null, preheader: input.preheader ?? null, mjml: input.mjml ?? null, text: input.text ?? null,
    compiled_html: compiled,
  };
  checks.problems.push(...tryWithSampleData(channel, prepared, prefix, checks));
  return prepared;
}

/** Merges the content with a generous sample contact on each renderer: what fails or blows the budget is refused now. */
function tryWithSampleData(channel: SendableChannel, content: PreparedContent, prefix: string, checks: ContentChecks): FieldProblem[] {
  const data = sampleMergeData(checks.attributes, content.locale);
  const renderable = { ...content, channel, text_template: content.compiled_html ? textTemplate(content.compiled_html) : null };
  const found = new Map<string, string>();
  for (const renderer of checks.renderers) {
    try {
      renderContent(renderer, renderable, data, { fieldPrefix: prefix });
    } catch (err) {
      if (!(err instanceof TemplateRenderError)) throw err;
      if (!found.has(err.field)) found.set(err.field, `with sample data (every field and attribute filled): ${err.reason}`);
    }
  }
  return [...found].map(([field, message]) => ({ field, message }));
}
