// Twilio Programmable Messaging over its REST API (fetch works on Node and Workers; no SDK needed).
import { RetryableSendError, ThrottledSendError, TransportPausedError, type SmsTransport } from '../types.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Overridable so tests can point at a local stand-in. */
  apiUrl?: string;
  /** Per request. Default 15 s. */
  requestTimeoutMs?: number;
  messagingServiceSid?: string;
}

export function createTwilioSmsTransport(options: TwilioOptions): SmsTransport {
  const base = (options.apiUrl ?? 'https://api.twilio.com').replace(/\/$/, '');
  const auth = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;
  return {
    name: 'twilio',
    async send(message) {
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else form.set('From', message.from);
      let res: Response;
      try {
        res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
      } catch (err) {
        throw new RetryableSendError(`Twilio unreachable: ${(err as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as { sid?: string; message?: string; code?: number };
      // Accepted, though its answer could not be read (cut, or past the timeout): sending again would text twice.
      if (res.ok) return { providerMessageId: body.sid ?? `twilio-unread-${message.messageId}` };
      if (res.status === 429) throw new ThrottledSendError(`Twilio 429: ${body.message ?? 'too many requests'}`);
      // The account or its credentials refuse everything until someone acts: campaigns pause with the reason.
      if (res.status === 401 || res.status === 403) throw new TransportPausedError(`Twilio ${res.status} ${body.code ?? ''}: ${body.message ?? 'not authorised'}`);
      if (res.status >= 500) throw new RetryableSendError(`Twilio ${res.status}: ${body.message ?? 'try later'}`);
      if (!res.ok || !body.sid) throw new Error(`Twilio ${res.status} ${body.code ?? ''}: ${body.message ?? 'rejected'}`);
      return { providerMessageId: body.sid };
    },
  };
}

/** Where no SMS provider is configured (a Worker without Twilio): sending fails clearly, permanently. */
export function createUnconfiguredSmsTransport(): SmsTransport {
  return {
    name: 'none',
    async send() {
      throw new Error('No SMS provider is configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or SMS_TRANSPORT=aws and AWS_SMS_REGION)');
    },
  };
}
