// Which provider each channel sends through, from configuration: one choice for Node and the Worker. What stands in
// where no provider is set differs by runtime (the outbox folder on Node), so the caller passes it.
import type { Config } from '../config.js';
import { createSesEmailTransport } from './email/ses.js';
import { createNullEmailTransport, createNullPostalTransport, createNullSmsTransport } from './null.js';
import { createPrintHouseTransport } from './postal/print-house.js';
import type { PostalTransport } from './postal/types.js';
import type { Transports } from './registry.js';
import { createAwsSmsTransport } from './sms/aws-sms.js';
import { createTwilioSmsTransport } from './sms/twilio.js';
import type { EmailTransport, SmsTransport } from './types.js';
import { createWebhookTransport, type Post } from './webhook/webhook.js';

export interface LocalTransports {
  email(): EmailTransport;
  sms(): SmsTransport;
  /** Letters without a print house: the outbox folder on Node; on the Worker, a clear failure. */
  postal(): PostalTransport;
  /** The webhook's POST: Node checks the address it connects to (safe-post.ts), the Worker posts through fetch. */
  webhookPost: Post;
}

export function createTransports(config: Config, local: LocalTransports): Transports {
  const email =
    config.emailTransport === 'null' ? createNullEmailTransport()
    : config.emailTransport === 'ses' && config.ses ? createSesEmailTransport({ ...config.ses, fromDomain: config.emailFrom.address.split('@')[1] ?? 'localhost' })
    : local.email();
  const sms =
    config.smsTransport === 'null' ? createNullSmsTransport()
    : config.smsTransport === 'twilio' && config.twilio ? createTwilioSmsTransport(config.twilio)
    : config.smsTransport === 'aws' && config.awsSms ? createAwsSmsTransport(config.awsSms)
    : local.sms();
  const postal =
    config.postalTransport === 'null' ? createNullPostalTransport()
    : config.postalTransport === 'print_house' && config.printHouse ? createPrintHouseTransport(config.printHouse)
    : local.postal();
  return { email, sms, webhook: createWebhookTransport(local.webhookPost), postal };
}
