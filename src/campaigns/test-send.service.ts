// Test sends: a campaign's message, rendered for a chosen contact, sent to an address the marketer gives. It goes
// through the ledger as a message of no campaign (purpose 'test', the campaign named in its payload), so no campaign
// count or report includes it, and it reserves no cap slot. The contact's consent is not asked (the contact does not
// receive it), but a suppressed address is refused.
import { CHANNELS, type SendableChannel, type SuppressibleChannel, postsToEndpoint } from '../channels/index.js';
import { findContactById } from '../contacts/index.js';
import { deliverSystemMessages, findMessagesByIds, queueSystemMessage } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { suppressedSet } from '../suppressions/index.js';
import { findTemplateWithVariants, frozenContent, TemplateRenderError, type FrozenContent } from '../templates/index.js';
import { findCampaign } from './campaigns.repository.js';
import { renderForRecipient, type MessageLinks } from './render-message.js';

/**
 * Where a test's unsubscribe and preference links go: nowhere. A signed link would act on the contact, and a tester
 * clicking it would unsubscribe a real person; `#` keeps the layout and does nothing.
 */
export const INERT_LINKS: MessageLinks = { unsubscribe_url: '#', preferences_url: '#' };

export const TEST_SUBJECT_PREFIX = '[TEST] ';

export interface TestSendInput {
  contact_id: number;
  to: string;
}

/** Sends one test now (a retryable failure is retried by jobs.everyMinute); returns its ledger entry after the hand-over. */
export async function sendTest(deps: Deps, campaignId: number, input: TestSendInput) {
  const { db, clock } = deps;
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) throw new NotFoundError('Campaign', campaignId);
  const contact = await findContactById(db, input.contact_id);
  if (!contact) throw new NotFoundError('Contact', input.contact_id);
  const channel = campaign.channel as SendableChannel;
  // A webhook campaign's messages go to its endpoint, not to an address given here: a test would post there for real.
  if (postsToEndpoint(channel)) {
    throw new InvalidInputError('Test sends are for email and SMS campaigns', [{ field: 'to', message: 'a webhook campaign posts to its endpoint; preview it instead' }]);
  }
  const address = CHANNELS[channel].address.normalise(input.to, 'FR');
  if (!address) throw new InvalidInputError('Invalid test address', [{ field: 'to', message: `must be a valid ${channel === 'email' ? 'email address' : 'phone number'}` }]);
  if (CHANNELS[channel].suppressible && (await suppressedSet(db, channel as SuppressibleChannel, [address])).size) {
    throw new InvalidInputError('The test address is on the suppression list', [{ field: 'to', message: 'is suppressed; nothing is ever sent to it' }]);
  }
  const content = (campaign.content as unknown as FrozenContent | null) ?? (await currentContent(deps, campaign));
  const recipient = { ...contact, id: Number(contact.id) };
  let rendered;
  try {
    // Links stay as written: no /t/c redirect, no open pixel, no SMS short links (a test is not engagement).
    rendered = renderForRecipient(deps, campaign, recipient, { content, links: INERT_LINKS });
  } catch (err) {
    if (err instanceof TemplateRenderError) throw new InvalidInputError('The message cannot be rendered for this contact', [{ field: err.field, message: err.reason }]);
    throw err;
  }
  if ('subject' in rendered) rendered.subject = TEST_SUBJECT_PREFIX + rendered.subject;
  const id = await queueSystemMessage(db, { purpose: 'test', channel, contactId: recipient.id, address, testOf: campaignId, render: () => rendered }, clock());
  await deliverSystemMessages(deps, [id]);
  const [message] = await findMessagesByIds(db, [id]);
  return { message_id: message.publicId!, campaign_id: campaignId, contact_id: recipient.id, channel, to: address, status: message.status as 'pending' | 'sending' | 'sent' | 'failed' };
}

/** A campaign not launched yet shows its template as it is now, frozen the way a launch would freeze it. */
async function currentContent(deps: Deps, campaign: { template_id: number | string; kind: string }): Promise<FrozenContent> {
  const template = await findTemplateWithVariants(deps.db, Number(campaign.template_id));
  if (!template) throw new NotFoundError('Template', Number(campaign.template_id));
  return frozenContent(template, template.variants, { marketing: campaign.kind !== 'transactional' });
}
