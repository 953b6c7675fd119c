// AWS End User Messaging SMS (the Pinpoint SMS and Voice v2 API, SendTextMessage). Runs on Node and workerd.
// The only file that imports its SDK.
// The SDK is loaded on the first message: every process builds its transports, few send SMS through AWS.
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
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

// Every message would be refused until someone acts: credentials AWS does not recognise, a spend limit reached, an
// account disabled. Campaigns of the channel pause with the reason. An AccessDeniedException for another reason (IAM
// scoped to some origination identities) fails that message only.
const PAUSING_NAMES = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ServiceQuotaExceededException', 'CredentialsProviderError']);
const PAUSING_ACCESS_REASONS = new Set(['ACCOUNT_DISABLED', 'INSUFFICIENT_ACCOUNT_REPUTATION']);

export function createAwsSmsTransport(opts: AwsSmsTransportOptions): SmsTransport {
  if (Boolean(opts.accessKeyId) !== Boolean(opts.secretAccessKey)) {
    throw new Error('AWS SMS needs both an access key id and a secret access key, or neither');
  }
  let sdk: Promise<{ client: PinpointSMSVoiceV2Client; SendTextMessageCommand: typeof import('@aws-sdk/client-pinpoint-sms-voice-v2').SendTextMessageCommand }> | undefined;
  const load = () =>
    (sdk ??= import('@aws-sdk/client-pinpoint-sms-voice-v2').then((m) => ({
      SendTextMessageCommand: m.SendTextMessageCommand,
      client: new m.PinpointSMSVoiceV2Client({
        region: opts.region,
        endpoint: opts.endpoint,
        credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
        // SendTextMessage takes no idempotency key: a timeout or a 5xx may follow an accepted message, and the SDK's
        // retry would text the person twice. The engine's ledger decides instead (a retry after its backoff).
        maxAttempts: 1,
        requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 15_000 },
      }),
    })));
  return {
    name: 'aws-sms',
    async send(message) {
      const { client, SendTextMessageCommand } = await load();
      let out: { MessageId?: string };
      try {
        out = await client.send(
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
      } catch (err) {
        throw classifyAwsSmsError(err);
      }
      // Accepted (HTTP 200) without an id: sending again would text the person twice.
      if (!out.MessageId) throw new Error('AWS SMS accepted the message but returned no MessageId');
      return { providerMessageId: out.MessageId };
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
  if (PAUSING_NAMES.has(e.name) || (e.name === 'AccessDeniedException' && PAUSING_ACCESS_REASONS.has(e.Reason ?? ''))) {
    return new TransportPausedError(text, { cause: err });
  }
  // No status: AWS never answered (refused, reset, timeout); the ledger retries.
  const retryable = e.name === 'InternalServerException' || (status !== undefined && status >= 500) || status === undefined;
  return retryable ? new RetryableSendError(text, { cause: err }) : new Error(text, { cause: err });
}
