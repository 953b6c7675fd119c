// The content an A/B test campaign sends: its variants are frozen at launch beside the campaign's own content
// (`ab_variants` in campaigns.content, variant 1 first), and each message is rendered from its variant's.
import type { FrozenContent } from '../templates/index.js';

/** A campaign's frozen content; with an A/B test, every variant's too. */
export type CampaignContent = FrozenContent & { ab_variants?: FrozenContent[] };

/**
 * The frozen content of a message's variant: the variant's, or the campaign's own for a message of no variant (no
 * test). A variant the launch did not freeze is a bug, not a recipient's problem: it throws.
 */
export function contentOfVariant(content: FrozenContent, variant: number | null | undefined): FrozenContent {
  const { ab_variants: variants, ...own } = content as CampaignContent;
  if (variant == null) return own;
  const chosen = variants?.[variant - 1];
  if (!chosen) throw new Error(`variant ${variant} has no frozen content`);
  return chosen;
}

/** A variant's content with its subject replaced, in every language of the template. */
export function withSubject(content: FrozenContent, subject: string | undefined): FrozenContent {
  if (subject === undefined) return content;
  return { ...content, subject, variants: content.variants?.map((v) => ({ ...v, subject })) };
}
