// AWS End User Messaging SMS (the Pinpoint SMS and Voice v2 API, SendTextMessage). Runs on Node and workerd.
// The only file that imports its SDK.
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { RetryableSendError, ThrottledSendError, TransportPausedError, type SmsTransport } from '../types.js';

export interface AwsSmsTransportOptions {
  region: string;
  /** A local stand-in in tests; AWS's own endpoint when absent. */
  endpoint?: string;
  /** Both or neither; without them the SDK's default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  configurationSet?: string;
  /** Per HTTP request. Default 15 s. */
  requestTimeoutMs?: number;
}

// The account refuses every message until someone acts (disabled, spend limit reached): campaigns pause.
const PAUSING_NAMES = new Set(['AccessDeniedException', 'ServiceQuotaExceededException']);

export function createAwsSmsTransport(opts: AwsSmsTransportOptions): SmsTransport {
  if (Boolean(opts.accessKeyId) !== Boolean(opts.secretAccessKey)) {
    throw new Error('AWS SMS needs both an access key id and a secret access key, or neither');
  }
  const client = new PinpointSMSVoiceV2Client({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
    // SendTextMessage takes no idempotency key: a timeout or a 5xx may follow an accepted message, and the SDK's retry
    // would text the person twice. The engine's ledger decides instead (a retry after its backoff).
    maxAttempts: 1,
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 15_000 },
  });
  return {
    name: 'aws-sms',
    async send(message) {
      try {
        const out = await client.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: message.to,
            OriginationIdentity: message.from,
            MessageBody: message.text,
            ConfigurationSetName: opts.configurationSet,
            // Delivery events name our message: a message sent twice (a kill before the answer was recorded) is
            // recognisable as one.
            Context: { message_id: message.messageId },
          }),
        );
        if (!out.MessageId) throw new Error('AWS SMS returned no MessageId');
        return { providerMessageId: out.MessageId };
      } catch (err) {
        throw classifyAwsSmsError(err);
      }
    },
  };
}

type SdkErrorShape = Error & { $metadata?: { httpStatusCode?: number }; Reason?: string };

/** ThrottledSendError or RetryableSendError when later may work; TransportPausedError for the account; else permanent. */
export function classifyAwsSmsError(err: unknown): Error {
  const e = (err instanceof Error ? err : new Error(String(err))) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const text = `AWS SMS ${e.name}${e.Reason ? ` (${e.Reason})` : ''}: ${e.message}`;
  if (e.name === 'ThrottlingException' || status === 429) return new ThrottledSendError(text, { cause: err });
  if (PAUSING_NAMES.has(e.name)) return new TransportPausedError(text, { cause: err });
  // No status: AWS never answered (refused, reset, timeout); the ledger retries. Missing credentials are setup.
  const retryable = e.name === 'InternalServerException' || (status !== undefined && status >= 500) || (status === undefined && e.name !== 'CredentialsProviderError');
  return retryable ? new RetryableSendError(text, { cause: err }) : new Error(text, { cause: err });
}
