// What the sending code hands to a transport, and what channels declare about themselves.
// Transports never see the database.

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

/** A retryable failure that means the provider wants us slower (throttling, HTTP 429): every sender slows down. */
export class ThrottledSendError extends RetryableSendError {
  override name = 'ThrottledSendError';
}

/**
 * The provider refuses every message until someone acts on the account (SES SendingPaused, AccountSuspended): this
 * message was not sent. Not a RetryableSendError, as retrying on a timer would not help: the campaign sender pauses
 * every campaign of the channel instead, with this message as the reason, and gives the message back.
 */
export class TransportPausedError extends Error {
  override name = 'TransportPausedError';
}

export interface Transport<M> {
  readonly name: string;
  send(message: M): Promise<SendResult>;
  /** The provider's own limit in messages per second (undefined: none), asked once; rejects when it cannot say. */
  maxSendRate?(): Promise<number | undefined>;
}

export type EmailTransport = Transport<EmailMessage>;
export type SmsTransport = Transport<SmsMessage>;

/** A message rendered for one recipient, before it is addressed. */
export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

export interface SmsContent {
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

/** Who a message goes to and from, as the sender knows it; each channel turns it into its transport's message. */
export interface Envelope {
  messageId: string;
  /** The address in the channel's own form (email address, E.164 phone). */
  to: string;
  toName?: string;
  /** Marketing messages carry it (email: List-Unsubscribe, RFC 8058); transactional ones do not. */
  unsubscribeUrl?: string;
  /** Overrides the configured sender (an SMS answered from the number it was sent to). */
  from?: string;
  /** Overrides the configured Reply-To: an address that names the message, so a reply is linked to it. */
  replyTo?: string;
  /** A webhook campaign's endpoint, and what the payload says of the contact and the campaign. */
  webhook?: { url: string; secret: string; contact: Record<string, unknown>; campaign: { id: number; name: string } };
  /** A letter's address block as printed, its language, and its reply coupon. */
  letter?: { contactId: number; lang: 'fr' | 'en'; lines: string[]; coupon?: { code: string; url: string } };
}

/** A webhook message rendered for one recipient: the template's text. */
export interface WebhookContent {
  text: string;
}

/** The workspace's sender identities, from configuration. */
export interface Senders {
  email: { from: { address: string; name: string }; replyTo?: string };
  /** The default sender id or number, and one per destination country where set. */
  sms: { from: string; byCountry?: Record<string, string> };
}

export type PressurePeriod = 'calendar_month' | 'calendar_week' | 'rolling_days';
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** What every channel declares; the registry lists them, and nothing else hard-wires a channel. */
export interface ChannelDefinition<Content = unknown, Message = unknown> {
  readonly name: string;
  /** Where a contact's address for this channel lives, and how a raw one is normalised (undefined: invalid). */
  readonly address: {
    /** The contact column: a text column, or `address` for the postal jsonb (complete with line1, postal_code, city). */
    column: 'email' | 'phone' | 'address' | 'id';
    normalise(raw: string, country?: string): string | undefined;
    /** A best-effort form for what does not validate (hashing a suppression entry never throws). */
    loose(raw: string): string;
  };
  /** Addresses of this channel can be put on the suppression list (matched by hash). */
  readonly suppressible: boolean;
  /** The default marketing-pressure cap, across campaigns. */
  readonly defaultCap: { max: number; period: PressurePeriod; days?: number };
  /** The default send window in the contact's zone, or none. */
  readonly defaultQuietHours?: { days: Weekday[]; from: string; to: string; breaks?: Array<{ from: string; to: string }>; skip_holidays: boolean };
  /** What a template for this channel holds: MJML email, or plain text. Undefined: no templates yet. */
  readonly content?: 'email' | 'text';
  /** Text counted in SMS segments, with the stop mention added to marketing messages. */
  readonly segmented?: true;
  /**
   * `batch`: its transport takes a whole batch at once (postal: one PDF per batch), not one message at a time.
   * `agents`: no transport; its messages go on a list that people work through (calls).
   */
  readonly delivery?: 'batch' | 'agents';
  /** Where its messages go is the campaign's (a webhook endpoint), not an address of the contact's. */
  readonly destination?: 'endpoint';
  /** Turns rendered content into the transport's message. Undefined: nothing can be sent on it yet. */
  readonly compose?: (content: Content, envelope: Envelope, senders: Senders) => Message;
}

/** What a provider says of the message it was given: its own id for it, and when the event happened. */
export interface ProviderMessageRef {
  /** The id the transport answered when the message was sent (messages.provider_message_id). */
  providerMessageId?: string;
  at?: Date;
}

/** A provider's delivery report, normalised: what happened to which addresses (already normalised). */
export type DeliveryEvent = ProviderMessageRef & (
  | { type: 'bounce'; permanent: boolean; recipients: string[] }
  | { type: 'complaint'; recipients: string[] }
  | { type: 'delivery'; recipients: string[] }
  | { type: 'reject'; reason: string | null }
  | { type: 'delay'; delayType: string | null }
  /** The provider's own open and click tracking: kept beside ours and classified the same way. */
  | { type: 'open' | 'click'; userAgent: string | null; ip: string | null; link: string | null }
  /** Mail received for us (SES inbound): replies to reply+<token>@ addresses; `raw` is the MIME message when included. */
  | { type: 'received'; recipients: string[]; raw: string | null }
  /** Send, rendering failure, subscription…: no effect here. */
  | { type: 'other'; name: string }
);

/** An SMS someone sent us, normalised from the provider's callback. */
export interface InboundSms {
  /** The sender's number, as the provider gives it (E.164 from Twilio; national numbers are read in a default country). */
  from: string;
  /** The number written to; answers go out from it so they reach the person on the same thread. */
  to?: string | null;
  text: string;
  /** The provider's message id, to process a redelivered webhook once. */
  providerEvent?: { provider: string; id: string };
}
