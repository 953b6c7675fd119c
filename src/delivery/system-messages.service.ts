// Messages no campaign sends (double opt-in confirmations, answers to SMS keywords) go through the ledger too:
// queued with their rendered content in the caller's transaction, then handed over like any message, with the
// same states, attempts and retries. A crash between the two leaves them pending, and the next run sends them.
import { handOver, hasTransport, isSendable, RetryableSendError, sendersFrom, type ChannelContent, type SendableChannel } from '../channels/index.js';
import type { Executor } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { claimSystemMessages, insertSystemMessage, markMessage, publicIdAt, recoverExpiredClaims, type SystemPurpose } from './ledger.repository.js';

const MAX_ATTEMPTS = 5;
const BATCH = 100;

interface Payload {
  content: unknown;
  /** Sent from this sender instead of the configured one (an SMS answered from the number written to). */
  from?: string;
  /** A test send: the campaign it shows (a test has no campaign_id, so no campaign counts it). */
  campaign_id?: number;
}

export interface SystemMessage<K extends SendableChannel> {
  purpose: SystemPurpose;
  channel: K;
  contactId: number;
  /** The address in the channel's form. */
  address: string;
  toName?: string;
  from?: string;
  /** A test send: the campaign whose message it is. */
  testOf?: number;
  /** Renders the content once the message has its public id (links carry it). */
  render(publicId: string): Promise<ChannelContent<K>> | ChannelContent<K>;
}

/** Queues a message in the ledger (in the caller's transaction, if any). Returns its ledger id. */
export async function queueSystemMessage<K extends SendableChannel>(db: Executor, m: SystemMessage<K>, at: Date): Promise<number> {
  const publicId = publicIdAt(at);
  const payload: Payload = { content: await m.render(publicId), ...(m.from ? { from: m.from } : {}), ...(m.testOf ? { campaign_id: m.testOf } : {}) };
  return insertSystemMessage(db, { purpose: m.purpose, channel: m.channel, contactId: m.contactId, address: m.address, publicId, payload }, at);
}

/**
 * Hands due messages of no campaign to their transports: these ids only, or every due one. Retryable failures wait
 * with an exponential backoff (1, 2, 4… minutes), up to 5 attempts; other failures are recorded as failed.
 */
export async function deliverSystemMessages(deps: Deps, ids?: number[]): Promise<{ sent: number; failed: number; retrying: number }> {
  const { db, clock, transports, config } = deps;
  const senders = sendersFrom(config);
  const outcome = { sent: 0, failed: 0, retrying: 0 };
  // A periodic run (no ids) first takes back what a dead process claimed and never settled.
  if (!ids) await recoverExpiredClaims(db, null, clock());
  for (;;) {
    const batch = await claimSystemMessages(db, BATCH, clock(), config.sendLeaseMs, ids);
    if (!batch.length) return outcome;
    for (const m of batch) {
      const payload = m.payload as unknown as Payload;
      try {
        if (!isSendable(m.channel) || !hasTransport(m.channel)) throw new Error(`Nothing can be sent on the ${m.channel} channel by itself`);
        if (!m.address) throw new Error('The message has no address (its contact was erased)');
        const result = await handOver(transports, m.channel, payload.content as ChannelContent<typeof m.channel>, {
          messageId: m.public_id, to: m.address, from: payload.from,
        }, senders);
        await markMessage(db, m.id, { status: 'sent', provider_message_id: result.providerMessageId }, clock());
        outcome.sent++;
      } catch (err) {
        const retryable = err instanceof RetryableSendError && m.attempts < MAX_ATTEMPTS;
        const error = String((err as Error).message).slice(0, 1000);
        if (retryable) {
          const wait = 60_000 * 2 ** (m.attempts - 1);
          await markMessage(db, m.id, { status: 'pending', error, not_before: new Date(clock().getTime() + wait) }, clock());
          outcome.retrying++;
        } else {
          await markMessage(db, m.id, { status: 'failed', error }, clock());
          outcome.failed++;
        }
      }
    }
    if (ids) return outcome;
  }
}
