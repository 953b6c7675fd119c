// The channels layer: the registry, transports, and provider adapters. It knows nothing of the database or of
// other domains; domains consume what it normalises.
import type { Config } from '../config.js';
import { CHANNELS, type ChannelContent, type TransportChannel, type Transports } from './registry.js';
import type { PostalResult, PrintOptions } from './postal/types.js';
import type { EmailContent, Envelope, SendResult, Senders, Transport } from './types.js';

export * from './registry.js';
export * from './types.js';
export { normaliseEmail } from './email/address.js';
export { normalisePhone } from './sms/address.js';
export { smsSegments, type SmsSegments } from './sms/segments.js';
export { parseSesEvent } from './email/ses-events.js';
export { readInboundMail, type InboundMail } from './email/inbound.js';
export { createSnsVerifier, isSnsUrl, parseSnsMessage, CertificateUnavailableError, type Fetcher, type SnsMessage, type SnsVerifier } from './email/sns.js';
export { createSesEmailTransport } from './email/ses.js';
export { createNullEmailTransport, createNullPostalTransport, createNullSmsTransport, createUnconfiguredPostalTransport } from './null.js';
export { createTwilioSmsTransport, createUnconfiguredSmsTransport } from './sms/twilio.js';
export { createAwsSmsTransport } from './sms/aws-sms.js';
export { createTransports, type LocalTransports } from './transports.js';
export type { CallContent, CallTask } from './call/index.js';
export type { PostalBatch, PostalLetter, PostalResult, PostalTransport, PrintOptions } from './postal/index.js';
export { createPrintHouseTransport, readPrintHouseEvent, RETURNED_REASON, type PrintHouseEvent, type PrintHouseOptions } from './postal/index.js';
export { createFetchPost, createWebhookTransport, newWebhookSecret, signWebhook, targetProblem, verifyWebhook, type Post, type WebhookMessage, type WebhookTransport } from './webhook/index.js';
export { secretsEqual, verifyTwilioSignature } from './sms/twilio-signature.js';
export { EMPTY_TWIML, TWIML_CONTENT_TYPE, parseTwilioInbound } from './sms/twilio-inbound.js';

/** The sender identities messages go out with. */
export function sendersFrom(config: Config): Senders {
  return { email: { from: config.emailFrom, replyTo: config.emailReplyTo }, sms: { from: config.smsFrom, byCountry: config.smsFromByCountry } };
}

/** Hands one rendered message to its channel's transport: the channel composes it, the transport sends it. */
export async function handOver<K extends TransportChannel>(
  transports: Transports,
  channel: K,
  content: ChannelContent<K>,
  envelope: Envelope,
  senders: Senders,
): Promise<SendResult> {
  // One cast, where the registry's per-channel types meet: compose and transport agree by construction.
  const compose = CHANNELS[channel].compose as (c: unknown, e: Envelope, s: Senders) => unknown;
  return (transports[channel] as Transport<unknown>).send(compose(content, envelope, senders));
}

/** Hands a batch of rendered letters to the postal transport, printed as one PDF named by `key`. */
export async function handOverLetters(
  transports: Transports,
  key: string,
  letters: Array<{ content: EmailContent; envelope: Envelope }>,
  options: PrintOptions,
): Promise<PostalResult> {
  return transports.postal.send({ key, letters: letters.map((l) => CHANNELS.postal.compose(l.content, l.envelope)), options });
}
