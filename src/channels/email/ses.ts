// Sends email through Amazon SES v2 (SendEmail with raw MIME). Runs on Node and workerd: no fs here.
// The only file that imports the SES SDK.
import { GetAccountCommand, SendEmailCommand, SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { buildMime } from './mime.js';
import { RetryableSendError, ThrottledSendError, TransportPausedError, type EmailTransport } from '../types.js';

export interface SesEmailTransportOptions {
  region: string;
  /** e.g. the local aws-ses-v2-local server; AWS's own endpoint when absent. */
  endpoint?: string;
  /** Both or neither; without them the SDK's default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  configurationSet?: string;
  /** Right-hand side of our Message-IDs. */
  fromDomain: string;
  /** Attempts per send, counting the first; only throttled attempts are repeated. Default 4. */
  maxAttempts?: number;
  /** Base of the exponential backoff between throttled attempts. Default 1000 ms. */
  retryBaseDelayMs?: number;
  /** Per HTTP request. Default 30 s. */
  requestTimeoutMs?: number;
  clock?: () => Date;
}

// SES answered these: the message was not accepted, so sending it again later is safe. Throttling also slows every
// sender down; the daily quota (LimitExceededException) is retryable too, but a slower rate would not help it.
const THROTTLING_NAMES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);
const RETRYABLE_NAMES = new Set(['LimitExceededException']);

// SES refuses every message of the account (or of its configuration set) until someone acts: campaigns pause.
const PAUSING_NAMES = new Set(['SendingPausedException', 'AccountSuspendedException']);

export function createSesEmailTransport(opts: SesEmailTransportOptions): EmailTransport {
  if (Boolean(opts.accessKeyId) !== Boolean(opts.secretAccessKey)) {
    throw new Error('SES needs both accessKeyId and secretAccessKey, or neither');
  }
  const maxAttempts = opts.maxAttempts ?? 4;
  const clock = opts.clock ?? (() => new Date());
  const client = new SESv2Client({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials:
      opts.accessKeyId && opts.secretAccessKey
        ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
        : undefined,
    maxAttempts,
    retryStrategy: throttlingOnlyRetries(maxAttempts, opts.retryBaseDelayMs ?? 1000),
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000 },
  });
  const encoder = new TextEncoder();
  let quota: Promise<number | undefined> | undefined;

  return {
    name: 'ses',
    async send(message) {
      // Outside the try: a message we cannot build is our bug, not a sending failure.
      const mime = buildMime(message, { domain: opts.fromDomain, date: clock() });
      try {
        const out = await client.send(
          new SendEmailCommand({
            Destination: { ToAddresses: [message.to.address] },
            Content: { Raw: { Data: encoder.encode(mime) } },
            ConfigurationSetName: opts.configurationSet,
          }),
        );
        if (!out.MessageId) throw new Error('SES returned no MessageId');
        return { providerMessageId: out.MessageId };
      } catch (err) {
        throw classifySesError(err);
      }
    },
    maxSendRate() {
      // SendQuota.MaxSendRate: the account's limit, which AWS changes rarely; read once per transport.
      quota ??= client.send(new GetAccountCommand({})).then((out) => out.SendQuota?.MaxSendRate);
      return quota;
    },
  };
}

type SdkErrorShape = Error & { $metadata?: { httpStatusCode?: number } };

/**
 * RetryableSendError when trying again later may succeed; TransportPausedError when SES refuses everything until the
 * account is fixed; a plain Error naming the SES error otherwise.
 */
export function classifySesError(err: unknown): Error {
  const e = (err instanceof Error ? err : new Error(String(err))) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const text = `SES ${e.name}: ${e.message}`;
  if (PAUSING_NAMES.has(e.name)) return new TransportPausedError(text, { cause: err });
  if (THROTTLING_NAMES.has(e.name) || status === 429) return new ThrottledSendError(text, { cause: err });
  // No HTTP status means SES never answered (refused, reset, timeout, DNS): the mail may or may not have
  // left, which the caller's ledger must decide. Credentials that cannot load are a setup error though.
  const retryable =
    RETRYABLE_NAMES.has(e.name) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (status === undefined && e.name !== 'CredentialsProviderError');
  return retryable ? new RetryableSendError(text, { cause: err }) : new Error(text, { cause: err });
}

type RetryStrategyV2 = Extract<NonNullable<SESv2ClientConfig['retryStrategy']>, { recordSuccess: unknown }>;

// SendEmail has no idempotency key. The SDK's default strategy also retries timeouts, resets and 5xx, any of
// which can follow an accepted send and would mail the person twice. A throttled call was refused, so only
// throttling is retried here; everything else goes back to the caller.
function throttlingOnlyRetries(maxAttempts: number, baseDelayMs: number): RetryStrategyV2 {
  const token = (retries: number, delay: number) => ({
    getRetryCount: () => retries,
    getRetryDelay: () => delay,
  });
  return {
    async acquireInitialRetryToken() {
      return token(0, 0);
    },
    async refreshRetryTokenForRetry(previous, info) {
      const retries = previous.getRetryCount();
      if (info.errorType !== 'THROTTLING' || retries + 1 >= maxAttempts) throw new Error('No retry');
      // Exponential with equal jitter, so concurrent senders spread out but still wait.
      const ceiling = Math.min(baseDelayMs * 2 ** retries, 20_000);
      let delay = ceiling / 2 + Math.random() * (ceiling / 2);
      if (info.retryAfterHint) delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - Date.now(), 20_000));
      return token(retries + 1, delay);
    },
    recordSuccess() {},
  };
}
