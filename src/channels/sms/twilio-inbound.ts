// Twilio's inbound-message webhook: its form fields read into an InboundSms, and the TwiML that answers it.
import type { InboundSms } from '../types.js';

/** An empty TwiML response: answers go out through our own transport, so Twilio must send nothing itself. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** The message in Twilio's (already signature-checked) form parameters; undefined when there is no sender. */
export function parseTwilioInbound(params: Array<[string, string]>): InboundSms | undefined {
  const field = (name: string) => params.find(([k]) => k === name)?.[1];
  const from = field('From');
  if (!from) return undefined;
  const sid = field('MessageSid') ?? field('SmsMessageSid') ?? field('SmsSid');
  return { from, to: field('To'), text: field('Body') ?? '', ...(sid ? { providerEvent: { provider: 'twilio', id: sid } } : {}) };
}
