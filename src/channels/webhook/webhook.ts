// The webhook transport: a signed JSON POST (Standard Webhooks headers) to the endpoint's URL. The message's id is the
// `webhook-id`, the same when it is sent again, so a receiver keeps one copy of a redelivery.
import { RetryableSendError, ThrottledSendError, type Transport } from '../types.js';
import { signWebhook } from './signature.js';

export interface WebhookMessage {
  messageId: string;
  url: string;
  /** The endpoint's `whsec_…` secret. */
  secret: string;
  payload: unknown;
}

export type WebhookTransport = Transport<WebhookMessage>;

/** The POST itself (safe-post.ts on Node); it throws UnsafeTargetError for a refused target, PostFailedError for no answer. */
export type Post = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number; body: string }>;

export function createWebhookTransport(post: Post, clock: () => Date = () => new Date()): WebhookTransport {
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify(message.payload);
      const headers = signWebhook(message.secret, message.messageId, clock(), body);
      let answer: { status: number; body: string };
      try {
        answer = await post(message.url, { ...headers, 'user-agent': 'Relais-Webhooks/1' }, body);
      } catch (err) {
        const e = err as Error;
        // No answer: the receiver may have it; the ledger sends it again after a backoff, with the same webhook-id.
        if (e.name === 'PostFailedError') throw new RetryableSendError(`Webhook: ${e.message}`, { cause: err });
        throw new Error(`Webhook: ${e.message}`, { cause: err });
      }
      const { status } = answer;
      const said = answer.body.slice(0, 200);
      if (status >= 200 && status < 300) return { providerMessageId: message.messageId };
      if (status === 429) throw new ThrottledSendError(`Webhook 429: ${said}`);
      if (status === 408 || status >= 500) throw new RetryableSendError(`Webhook ${status}: ${said}`);
      if (status >= 300 && status < 400) throw new Error(`Webhook ${status}: redirects are not followed (point the endpoint at the final URL)`);
      throw new Error(`Webhook ${status}: ${said}`);
    },
  };
}
