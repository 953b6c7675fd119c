// The Worker's send queue: a campaign's due messages are cut into descriptors, stretches of its ledger by message id
// of at most SEND_BATCH_SIZE messages each, and each descriptor is sent by a queue consumer (campaigns/queue-sender.ts).
// Node has no send queue: its senders claim from the ledger directly (SKIP LOCKED).
//
// Delivery is at least once: a descriptor may come twice (a lost ack, a cron that enqueued it again). That is harmless,
// as a descriptor only names where to look: its consumer claims what is still `pending` in its stretch, nothing else.
import type { IdRange } from './ledger.repository.js';

/** A queue message: send what is due and pending in this stretch of the campaign's ledger (both ends included). */
export interface SendDescriptor {
  campaign_id: number;
  from_id: number;
  to_id: number;
}

export interface SendQueue {
  enqueue(descriptors: SendDescriptor[]): Promise<void>;
}

/** A Cloudflare Queue's producer, as the Worker's binding offers it (the part used here). */
export interface SendQueueBinding {
  sendBatch(messages: Iterable<{ body: SendDescriptor }>): Promise<void>;
}

/** Cloudflare takes at most 100 messages per sendBatch. */
export const QUEUE_SEND_BATCH_LIMIT = 100;

export function createCloudflareSendQueue(binding: SendQueueBinding): SendQueue {
  return {
    async enqueue(descriptors) {
      for (let i = 0; i < descriptors.length; i += QUEUE_SEND_BATCH_LIMIT) {
        await binding.sendBatch(descriptors.slice(i, i + QUEUE_SEND_BATCH_LIMIT).map((body) => ({ body })));
      }
    },
  };
}

export function descriptorOf(campaignId: number, range: IdRange): SendDescriptor {
  return { campaign_id: campaignId, from_id: range.fromId, to_id: range.toId };
}

export function rangeOf(descriptor: SendDescriptor): IdRange {
  return { fromId: descriptor.from_id, toId: descriptor.to_id };
}

/** A body from the queue that is a descriptor: positive integer ids, the range in order. */
export function isSendDescriptor(body: unknown): body is SendDescriptor {
  const d = body as Partial<SendDescriptor> | null;
  const id = (n: unknown) => Number.isSafeInteger(n) && (n as number) > 0;
  return typeof d === 'object' && d !== null && id(d.campaign_id) && id(d.from_id) && id(d.to_id) && d.from_id! <= d.to_id!;
}
