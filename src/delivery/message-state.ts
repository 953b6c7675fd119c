// A message's state in the words of the delivery engine, read off the ledger row. The ledger keeps fewer statuses
// (pending, sending, sent, failed, skipped, cancelled) and says the rest with columns: what holds a pending message
// (not_before, deferred_by, capped_by), whether it was tried (attempts), why it was skipped (skip_reason).
export const MESSAGE_STATES = ['queued', 'sending', 'sent', 'failed', 'retrying', 'deferred', 'capped', 'suppressed', 'cancelled'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export interface LedgerState {
  status: string;
  skip_reason: string | null;
  capped_by: string | null;
  attempts: number;
  not_before: unknown;
  deferred_by: string | null;
}

/**
 * - queued: pending, due, never tried; retrying: pending after a try (a retryable failure, or a dead sender's claim);
 * - deferred: pending until a time, with why: quiet_hours, a cap's rule, local_time or ab_winner;
 * - capped: skipped by a cap, with its rule; suppressed: any other hold-back (consent, suppression, no address,
 *   an erased contact, a deadline), with the reason.
 */
export function messageState(m: LedgerState): { state: MessageState; reason: string | null } {
  switch (m.status) {
    // As the campaign's counts tell them apart (campaignOutcomes).
    case 'pending':
      if (m.attempts > 0) return { state: 'retrying', reason: null };
      if (m.not_before !== null) return { state: 'deferred', reason: m.deferred_by ?? m.capped_by ?? 'quiet_hours' };
      return { state: 'queued', reason: null };
    case 'skipped':
      return m.skip_reason === 'capped' ? { state: 'capped', reason: m.capped_by } : { state: 'suppressed', reason: m.skip_reason };
    case 'sending': case 'sent': case 'failed': case 'cancelled':
      return { state: m.status, reason: null };
    default:
      return { state: 'queued', reason: null };
  }
}
