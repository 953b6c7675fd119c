// A campaign's message rendered for one recipient: their language variant, merged with their fields and the
// message's links. The sender and test sends share it; instrumenting links and handing over stay with each caller.
import type { SendableChannel } from '../channels/index.js';
import type { Deps } from '../deps.js';
import { contentFor, mergeData, renderContent, stopMentionsFrom, type FrozenContent, type MergeContact } from '../templates/index.js';

/** The links a message carries besides the template's own: signed for a real recipient, inert for a test. */
export interface MessageLinks {
  unsubscribe_url: string;
  preferences_url: string;
}

export interface CampaignToRender {
  name: string;
  kind: string;
  channel: string;
}

/**
 * Merges `recipient` into `content` (the campaign's content frozen at launch, or its template's now). A template that
 * cannot be merged for this recipient (the rendering budget, say) throws TemplateRenderError.
 */
export function renderForRecipient(
  deps: Pick<Deps, 'config' | 'renderer'>,
  campaign: CampaignToRender,
  recipient: MergeContact,
  options: { content: FrozenContent; links: MessageLinks },
) {
  const { config, renderer } = deps;
  const marketing = campaign.kind !== 'transactional';
  const data = mergeData(recipient, { ...options.links, brand_name: config.brandName, campaign_name: campaign.name });
  // The recipient's language variant (fr-CA, else fr, else the default).
  const { variant: _variant, ...chosen } = contentFor(options.content, recipient.locale);
  return renderContent(renderer, { ...chosen, channel: campaign.channel as SendableChannel }, data, {
    stopMentions: marketing ? stopMentionsFrom(config) : undefined,
  });
}
