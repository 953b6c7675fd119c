// Sending on the Worker, through its send queue (delivery/send-queue.ts). A launch or a resume enqueues descriptors over
// the campaign's due pending messages; the queue's consumer sends each one's stretch of the ledger through the same
// sendNextBatch as Node's loop; the every-minute cron takes back expired claims and enqueues what is due and has no
// descriptor (deferred messages now due, retries, claims taken back).
//
// The cron must not enqueue every minute a campaign whose descriptors are still on the queue: a million messages are
// 10,000 descriptors, and a backlog that grows by as many each minute never drains. So an enqueue sets the campaign's
// `enqueued_until`, a hold: ENQUEUE_GRACE_MS plus PER_DESCRIPTOR_MS per descriptor (the queue handing them all over at
// a modest rate). While consumers make progress on the campaign they move it on (CONSUMER_HOLD_MS), since a large
// campaign at a slow send rate, or behind another on the queue, outlasts any estimate. The last consumer at work, who
// finds nothing due and nothing claimed left in the campaign, ends the hold: descriptors still on the queue have
// nothing to do, and what becomes due later (a deferral, a retry) is enqueued by the next cron run. The cron enqueues
// a campaign only when it holds none: then whatever is pending and due has no descriptor coming. Claims taken back
// wait for that too, as Node takes them back once a sender has nothing else to claim. Enqueuing twice is never wrong,
// only wasteful: a descriptor claims only what is still pending in its stretch.
import { descriptorOf, dueRanges, hasDueOrClaimed, rangeOf, recoverExpiredClaims, type SendDescriptor, type SendQueue } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { describeError } from '../http/log.js';
import { extendEnqueued, holdEnqueued, listSendingCampaignsEnqueued, releaseEnqueued, shortenEnqueued } from './send-queue.repository.js';
import { finishIfDone, openSender, sendNextBatch, type SenderContext } from './sender.js';

const ENQUEUE_GRACE_MS = 2 * 60_000;
const PER_DESCRIPTOR_MS = 1000;
const CONSUMER_HOLD_MS = 2 * 60_000;
/** A descriptor whose messages the transport asked to retry comes back this much later for them. */
export const RETRY_DELAY_SECONDS = 30;

/** How long an enqueue of `descriptors` holds the campaign from the cron. */
export function holdFor(descriptors: number): number {
  return ENQUEUE_GRACE_MS + descriptors * PER_DESCRIPTOR_MS;
}

/**
 * Enqueues descriptors over the campaign's due pending messages, and says how many. A launch or a resume always does;
 * with `ifNoHold` (the cron), only if the campaign holds none, so that of overlapping runs one enqueues. With nothing
 * due, a campaign with nothing left is `sent`.
 */
export async function enqueueCampaign(deps: Deps, queue: SendQueue, campaignId: number, options: { ifNoHold?: boolean } = {}): Promise<number> {
  const at = deps.clock();
  const ranges = await dueRanges(deps.db, campaignId, at, deps.config.sendBatchSize);
  if (!ranges.length) {
    await finishIfDone(deps, campaignId);
    return 0;
  }
  const until = new Date(at.getTime() + holdFor(ranges.length));
  if (!(await holdEnqueued(deps.db, campaignId, until, options.ifNoHold ? at : undefined))) return 0;
  try {
    await queue.enqueue(ranges.map((range) => descriptorOf(campaignId, range)));
  } catch (err) {
    await releaseEnqueued(deps.db, campaignId, until);
    throw err;
  }
  deps.log.info('campaign enqueued', { campaign_id: campaignId, descriptors: ranges.length, enqueued_until: until.toISOString() });
  return ranges.length;
}

/**
 * The Worker's every-minute pass over the campaigns sending: expired claims go back to pending, and a campaign that
 * holds no descriptors is enqueued (if anything is due). One campaign failing does not stop the others.
 */
export async function requeueSendingCampaigns(deps: Deps, queue: SendQueue) {
  for (const { id, enqueuedUntil } of await listSendingCampaignsEnqueued(deps.db)) {
    try {
      await recoverExpiredClaims(deps.db, id, deps.clock());
      if (enqueuedUntil && enqueuedUntil > deps.clock()) continue;
      await enqueueCampaign(deps, queue, id, { ifNoHold: true });
    } catch (err) {
      deps.log.error('campaign not enqueued', { campaign_id: id, ...describeError(err) });
    }
  }
}

/** A queue message as the consumer sees it: its body, acknowledged or retried on its own. */
export interface QueueMessage {
  readonly body: unknown;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * The send queue's consumer: each descriptor is sent in turn, then acknowledged, or retried on its own (after an
 * error: the queue's retry_delay; when the transport asked to retry some of its messages: RETRY_DELAY_SECONDS). A
 * sender is opened once per campaign in an invocation: its pace is its channel's, its error rate pauses its campaign.
 */
export async function consumeDescriptors(deps: Deps, messages: ReadonlyArray<QueueMessage & { body: SendDescriptor }>) {
  const senders = new Map<number, SenderContext>();
  for (const message of messages) {
    const descriptor = message.body;
    try {
      let sender = senders.get(descriptor.campaign_id);
      if (!sender) senders.set(descriptor.campaign_id, (sender = await openSender(deps)));
      const result = await sendDescriptor(deps, sender, descriptor);
      deps.log.info('send descriptor', { ...descriptor, ...result });
      if (result.outcome === 'retry_later') message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
      else message.ack();
    } catch (err) {
      deps.log.error('send descriptor failed, retried', { ...descriptor, ...describeError(err) });
      message.retry();
    }
  }
}

/**
 * Sends a descriptor's stretch, batch after batch, until nothing due is left in it (`done`; the campaign is `sent` if
 * nothing is left at all) or the campaign stops sending (`stopped`: a resume enqueues it again). `retry_later`: done,
 * but the transport asked to retry some of its messages, due again later in this stretch. `batches`: how many it sent.
 */
export async function sendDescriptor(deps: Deps, sender: SenderContext, descriptor: SendDescriptor) {
  const campaignId = descriptor.campaign_id;
  let batches = 0;
  let retryLater = false;
  for (;;) {
    const outcome = await sendNextBatch(deps, sender, campaignId, rangeOf(descriptor));
    if (outcome === 'stopped') return { outcome, batches } as const;
    if (outcome === 'empty') {
      await finishIfDone(deps, campaignId);
      // The last one at work: nothing due is left for the descriptors still on the queue; the cron may enqueue again.
      // Otherwise what is due may lie outside every queued stretch (a retry whose backoff is over, a deferral now due,
      // a claim taken back): the hold is brought down to a consumer's, so the cron enqueues it within minutes unless
      // consumers still at work keep extending it.
      const at = deps.clock();
      if (!(await hasDueOrClaimed(deps.db, campaignId, at))) await releaseEnqueued(deps.db, campaignId);
      else await shortenEnqueued(deps.db, campaignId, new Date(at.getTime() + CONSUMER_HOLD_MS));
      return { outcome: retryLater ? 'retry_later' : 'done', batches } as const;
    }
    batches++;
    // Progress: the campaign's other descriptors are likely still coming, and the cron leaves it be.
    const at = deps.clock();
    await extendEnqueued(deps.db, campaignId, at, new Date(at.getTime() + CONSUMER_HOLD_MS), CONSUMER_HOLD_MS / 2);
    if (outcome === 'retry_later') {
      retryLater = true;
      // The transport is throttling: back off before claiming again, as Node's loop does.
      await deps.sleep(1000);
    }
  }
}
