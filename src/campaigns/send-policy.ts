// When the sender waits, and when it stops: the backoff of a retryable failure, and the error rate past which a
// campaign pauses itself. Pure: no database, no clock.

/** Hand-overs per message, counting the first; a retryable failure on the last one is recorded as failed. */
export const MAX_ATTEMPTS = 5;
const RETRY_MIN_MS = 1_000;
const RETRY_BASE_MS = 30_000;
const RETRY_CAP_MS = 60 * 60_000;

/**
 * How long a message waits after its `attempt`-th hand-over failed retryably: full jitter, a random wait up to
 * 30 s × 2^(attempt − 1), at most an hour, so senders throttled together do not come back together; and at least a
 * second, so the sender that recorded the failure does not claim it again at once.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.max(RETRY_MIN_MS, Math.floor(random() * retryCeilingMs(attempt)));
}

/** The longest wait after the `attempt`-th failure. */
export function retryCeilingMs(attempt: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/** The error rate is judged over a campaign's last this many messages settled by one sender… */
export const ERROR_WINDOW = 200;
/** …once it has seen at least this many. */
export const ERROR_MINIMUM = 50;

/**
 * A sender's last outcomes (sent or failed) on one campaign. Kept in memory: each sender judges what it sends, which
 * several senders of one campaign see alike; a restarted sender needs ERROR_MINIMUM outcomes again before it judges.
 */
export class ErrorRate {
  private readonly outcomes: boolean[] = [];
  private failed = 0;

  constructor(private readonly limit: number) {}

  record(failed: boolean) {
    this.outcomes.push(failed);
    if (failed) this.failed++;
    if (this.outcomes.length > ERROR_WINDOW && this.outcomes.shift()) this.failed--;
  }

  /** Why the campaign should pause, or undefined while the share of failures is within the limit. */
  exceeded(): string | undefined {
    const seen = this.outcomes.length;
    if (seen < ERROR_MINIMUM || this.failed <= this.limit * seen) return undefined;
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return `error_rate: ${this.failed} of the last ${seen} messages failed (${pct(this.failed / seen)}, over the limit of ${pct(this.limit)})`;
  }
}
