// Content compiled once, merged per recipient: the variant a contact gets, in its language, within the budget.
import { CHANNELS, type ChannelContent, type EmailContent, type SendableChannel, type SmsContent, isSegmented } from '../channels/index.js';
import { RenderBudgetError } from './render/budget.js';
import { smsWithStopMention, stopMentionFor, type StopMentions } from './render/stop-mention.js';
import { htmlToText } from './render/text.js';
import type { MergeRenderer, RenderOptions } from './render/types.js';
import { withUnsubscribeFooter } from './unsubscribe-footer.js';
import { chooseVariant, DEFAULT_VARIANT, formatFor } from './variants.js';

/** One language of a template, ready to merge. */
export interface RenderableContent {
  channel: SendableChannel;
  /** The language of this content; absent in content frozen before templates had languages. */
  locale?: string | null;
  subject: string | null;
  compiled_html: string | null;
  text: string | null;
  /** The plain-text part with merge fields still in, made once from compiled_html (see textTemplate). */
  text_template?: string | null;
}

type Language = Omit<RenderableContent, 'channel'> & { locale: string };

/** What a launch stores: the default content and every variant, each ready to merge. */
export type FrozenContent = Omit<RenderableContent, 'locale'> & {
  template_version: number;
  locale?: string;
  variants?: Language[];
};

/** A template's content could not be merged: the field it comes from, and why (the budget, or an error). */
export class TemplateRenderError extends Error {
  constructor(readonly field: string, readonly reason: string, readonly budget: boolean) {
    super(`${field}: ${reason}`);
    this.name = 'TemplateRenderError';
  }
}

/** html-to-text costs milliseconds; run it once per template version, keeping merge fields intact. */
export function textTemplate(compiledHtml: string): string {
  return htmlToText(compiledHtml);
}

/** Email content, or text content with its encoding and length: what previews show, what transports get. */
export type Rendered = EmailContent | (SmsContent & { characters: number });

function merge(renderer: MergeRenderer, field: string, source: string, data: Record<string, unknown>, options: RenderOptions): string {
  try {
    return renderer.render(source, data, options);
  } catch (err) {
    if (err instanceof RenderBudgetError) throw new TemplateRenderError(field, err.message, true);
    throw new TemplateRenderError(field, `cannot be rendered: ${(err as Error)?.message ?? String(err)}`, false);
  }
}

/**
 * Merges one recipient into content compiled once, as the channel's kind of content (MJML email, or text), with
 * dates and money in the content's language and the recipient's region. Subjects and texts are not HTML, so they
 * are not escaped. Throws TemplateRenderError, naming the field, when the content cannot be merged.
 */
export function renderContent<K extends SendableChannel>(
  renderer: MergeRenderer,
  content: RenderableContent & { channel: K },
  data: Record<string, unknown>,
  options: { stopMentions?: StopMentions; fieldPrefix?: string } = {},
): ChannelContent<K> & Rendered {
  const format = formatFor(content.locale, data);
  const prefix = options.fieldPrefix ?? '';
  const fields = { subject: `${prefix}subject`, body: prefix + (CHANNELS[content.channel].content === 'email' ? 'mjml' : 'text') };
  if (CHANNELS[content.channel].content === 'email') {
    // The subject first: the <title> in the body repeats it, and a problem there is the subject's.
    const subject = merge(renderer, fields.subject, content.subject ?? '', data, { escape: false, format }).replace(/\s+/g, ' ').trim();
    const html = merge(renderer, fields.body, content.compiled_html ?? '', data, { escape: true, format });
    const text = content.text_template != null ? merge(renderer, fields.body, content.text_template, data, { escape: false, format }) : htmlToText(html);
    const email: EmailContent = { subject, html, text };
    return email as ChannelContent<K> & Rendered;
  }
  if (!isSegmented(content.channel)) {
    return { text: merge(renderer, fields.body, content.text ?? '', data, { escape: false, format }) } as ChannelContent<K> & Rendered;
  }
  // The stop mention goes on after merging, so merge data can't remove it; segments count it. It is in the
  // content's language, and not added when the text already has one (in either language).
  const mentions = options.stopMentions;
  const mention = mentions ? stopMentionFor(content.locale, mentions) : undefined;
  const text = merge(renderer, fields.body, content.text ?? '', data, { escape: false, format });
  return smsWithStopMention(text, mention, mentions ? [mentions.default, mentions.en] : []) as ChannelContent<K> & Rendered;
}

/**
 * The template as a launch freezes it, with every variant: later edits do not change a running campaign. Marketing
 * email gets an unsubscribe footer if the template has no link, and the plain-text part is made once, merge fields intact.
 */
export function frozenContent(
  template: { channel: string; version: number; locale: string; subject: string | null; compiled_html: string | null; text: string | null },
  variants: readonly { locale: string; subject: string | null; compiled_html: string | null; text: string | null }[],
  options: { marketing: boolean },
): FrozenContent {
  const freeze = (c: { locale: string; subject: string | null; compiled_html: string | null; text: string | null }): Language => {
    const html = c.compiled_html ? (options.marketing ? withUnsubscribeFooter(c.compiled_html) : c.compiled_html) : null;
    return { locale: c.locale, subject: c.subject, compiled_html: html, text_template: html ? textTemplate(html) : null, text: c.text };
  };
  return { channel: template.channel as SendableChannel, template_version: template.version, ...freeze(template), variants: variants.map(freeze) };
}

/** The content a contact gets from frozen (or stored) content: their variant, or the default. */
export function contentFor(content: FrozenContent, contactLocale: string | null | undefined): RenderableContent & { variant: string } {
  const chosen = chooseVariant(content, contactLocale);
  const { variants: _variants, template_version: _version, ...base } = content;
  return chosen ? { ...base, ...chosen, variant: chosen.locale } : { ...base, variant: DEFAULT_VARIANT };
}
