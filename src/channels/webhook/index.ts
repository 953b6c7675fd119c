// The webhook channel: a campaign's messages pushed to an integrator's endpoint, one signed JSON POST per recipient,
// carrying the rendered text, the contact's fields the endpoint asked for, and the campaign. Every contact can be
// reached (the address is the contact itself); consent, caps and the ledger apply as on any channel.
import type { ChannelDefinition, Envelope, WebhookContent } from '../types.js';
import type { WebhookMessage } from './webhook.js';

export const webhook = {
  name: 'webhook' as const,
  address: { column: 'id' as const, normalise: (raw: string) => (/^\d{1,15}$/.test(raw.trim()) ? raw.trim() : undefined), loose: (raw: string) => raw.trim() },
  suppressible: false as const,
  // An integrator's system passes messages on to people (an app's notifications, a chat): a few a week at most.
  defaultCap: { max: 4, period: 'calendar_week' as const },
  content: 'text' as const,
  destination: 'endpoint' as const,
  compose(content: WebhookContent, envelope: Envelope): WebhookMessage {
    if (!envelope.webhook) throw new Error('A webhook message needs its campaign\'s endpoint');
    const { url, secret, contact, campaign } = envelope.webhook;
    return {
      messageId: envelope.messageId,
      url,
      secret,
      payload: {
        type: 'message',
        message: { id: envelope.messageId, text: content.text, ...(envelope.unsubscribeUrl ? { unsubscribe_url: envelope.unsubscribeUrl } : {}) },
        contact,
        campaign,
      },
    };
  },
} satisfies ChannelDefinition<WebhookContent, WebhookMessage>;

export { createWebhookTransport, type Post, type WebhookMessage, type WebhookTransport } from './webhook.js';
export { newWebhookSecret, signWebhook, verifyWebhook } from './signature.js';
export { targetProblem } from './target.js';
export { createFetchPost } from './fetch-post.js';
