import { describe, expect, it } from 'vitest';
import { messageState, type LedgerState } from './message-state.js';

const row = (over: Partial<LedgerState>): LedgerState => ({ status: 'pending', skip_reason: null, capped_by: null, attempts: 0, not_before: null, deferred_by: null, ...over });

describe('messageState', () => {
  it.each([
    [{}, 'queued', null],
    [{ attempts: 1, not_before: '2026-12-02T10:00:00Z' }, 'retrying', null],
    [{ not_before: '2026-12-02T08:00:00Z' }, 'deferred', 'quiet_hours'],
    [{ not_before: '2026-12-02T08:00:00Z', capped_by: 'sms: 2 per calendar month' }, 'deferred', 'sms: 2 per calendar month'],
    [{ not_before: '2026-12-02T08:00:00Z', deferred_by: 'local_time' }, 'deferred', 'local_time'],
    [{ not_before: 'infinity', deferred_by: 'ab_winner' }, 'deferred', 'ab_winner'],
    [{ status: 'skipped', skip_reason: 'capped', capped_by: 'email: 4 per calendar week' }, 'capped', 'email: 4 per calendar week'],
    [{ status: 'skipped', skip_reason: 'unsubscribed' }, 'suppressed', 'unsubscribed'],
    [{ status: 'skipped', skip_reason: 'suppressed' }, 'suppressed', 'suppressed'],
    [{ status: 'sending', attempts: 1 }, 'sending', null],
    [{ status: 'sent', attempts: 1 }, 'sent', null],
    [{ status: 'failed', attempts: 1 }, 'failed', null],
    [{ status: 'cancelled' }, 'cancelled', null],
  ] as const)('%o is %s (%s)', (over, state, reason) => {
    expect(messageState(row(over as Partial<LedgerState>))).toEqual({ state, reason });
  });
});
