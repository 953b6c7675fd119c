// What the sending code hands to a transport. Transports never see the database.

export interface EmailMessage {
  /** Our own id for the message; becomes the RFC 5322 Message-ID local part and the outbox file name. */
  messageId: string;
  from: { address: string; name?: string };
  to: { address: string; name?: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers such as List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>;
}

export interface SmsMessage {
  messageId: string;
  from: string;
  to: string;
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export interface SendResult {
  /** The provider's id for the message (SES MessageId, or the outbox file name). */
  providerMessageId: string;
}

/** Thrown for failures worth retrying (throttling, network). Anything else is permanent. */
export class RetryableSendError extends Error {
  override name = 'RetryableSendError';
}

export interface EmailTransport {
  readonly name: string;
  send(message: EmailMessage): Promise<SendResult>;
}

export interface SmsTransport {
  readonly name: string;
  send(message: SmsMessage): Promise<SendResult>;
}
