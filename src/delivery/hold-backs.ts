// Why a recipient is held back: the one definition that the launch snapshot, the campaign and segment previews,
// the sender (at hand-over), the campaign's counts and its report all use.
//
// Before a message goes out, in this order: the contact needs an address on the channel, the address must not be
// suppressed, and a marketing message needs the contact's subscription to the topic to allow marketing now.
// Caps and quiet hours come after, per message (pressure/), and are recorded as `capped` (with the rule) or as a
// deferral; an erased contact's pending messages become `contact_deleted`, and a deferral past the campaign's
// deadline `deadline`.
import { sql, type RawBuilder } from 'kysely';
import { CHANNELS, type ChannelName } from '../channels/index.js';
import { addressSql } from '../contacts/index.js';
import { subscribedNowSql } from '../consent/index.js';
import { addressHashSql } from '../suppressions/index.js';

type Sql = RawBuilder<unknown>;

/** A subscription status that does not allow marketing, as the ledger records it. */
export const CONSENT_REASONS = ['not_subscribed', 'unsubscribed', 'pending', 'paused'] as const;
export type ConsentReason = (typeof CONSENT_REASONS)[number];
export type AddressReason = 'no_address' | 'suppressed';
/** Every skip reason the ledger holds. */
export type HoldBackReason = AddressReason | ConsentReason | 'capped' | 'deadline' | 'contact_deleted';

/** What is sent, for the questions above: on which channel, for which topic, and whether it is marketing. */
export interface SendTarget {
  channel: ChannelName;
  /** The topic whose consent a marketing message needs; transactional messages need none. */
  topicId: number | null;
  kind: 'marketing' | 'transactional';
}

/**
 * The joins and the reason expression for one target, over contacts `c`. The aliases carry the channel, so one
 * statement can ask for several channels at once (segment previews).
 */
export function holdBackParts(target: SendTarget, at: Date): { joins: Sql; reason: RawBuilder<string | null> } {
  const { channel } = target;
  const address = addressSql(channel);
  const s = `s_${channel}`;
  const sp = `sp_${channel}`;
  const joins: Sql[] = [];
  const cases: Sql[] = [sql`when ${address} is null then 'no_address'`];
  if (CHANNELS[channel].suppressible) {
    // (channel, address_hash) is unique: at most one row joins.
    joins.push(sql`left join suppressions ${sql.table(sp)} on ${sql.ref(`${sp}.channel`)} = ${channel} and ${sql.ref(`${sp}.address_hash`)} = ${addressHashSql(address)}`);
    cases.push(sql`when ${sql.ref(`${sp}.id`)} is not null then 'suppressed'`);
  }
  if (target.kind === 'marketing' && target.topicId !== null) {
    joins.push(sql`left join subscriptions ${sql.table(s)} on ${sql.ref(`${s}.contact_id`)} = c.id and ${sql.ref(`${s}.channel`)} = ${channel}
      and ${sql.ref(`${s}.topic_id`)} = ${target.topicId}`);
    cases.push(sql`when ${subscribedNowSql(at, s)} then null when ${sql.ref(`${s}.status`)} is null then 'not_subscribed' else ${sql.ref(`${s}.status`)}`);
  }
  return { joins: sql.join(joins, sql` `), reason: sql<string | null>`(case ${sql.join(cases, sql` `)} end)` };
}

/**
 * SQL: the audience's contacts (an SQL predicate over `c`) with `reason`, why each is held back (null: it may be
 * sent to), and the contact columns asked for.
 */
export function recipientsSql(target: SendTarget, audience: Sql, at: Date, columns: Sql = sql`c.id`): Sql {
  const { joins, reason } = holdBackParts(target, at);
  return sql`select ${columns}, ${reason} as reason from contacts c ${joins} where ${audience}`;
}

/** How the campaign counts and the report name a consent reason. */
export const CONSENT_LABELS: Record<ConsentReason, 'not_subscribed' | 'unsubscribed' | 'pending_confirmation' | 'paused'> = {
  not_subscribed: 'not_subscribed', unsubscribed: 'unsubscribed', pending: 'pending_confirmation', paused: 'paused',
};

export const isConsentReason = (reason: string | null): reason is ConsentReason => (CONSENT_REASONS as readonly (string | null)[]).includes(reason);

/** One group of ledger rows: a status, a skip reason, the cap that held them, whether deferred or retrying. */
export interface OutcomeRow {
  status: string;
  skip_reason: string | null;
  capped_by: string | null;
  /** Pending, never tried, held until a time (quiet hours, a cap, the recipient's local time). */
  deferred: boolean;
  /**
   * Why a pending message is held, when not by quiet hours or a cap: `local_time` (a launch at a local time) or
   * `ab_winner` (the rest of an A/B test's audience, until its winner is chosen).
   */
  deferred_by?: string | null;
  /** Pending after a try: a retryable failure waiting for its backoff, or a claim whose sender died. */
  retrying?: boolean;
  /** Sent since the start of the progress window (campaignOutcomes' `sentSince`). */
  recent?: boolean;
  n: number;
}

export interface Tally {
  audience: number;
  /** Everyone not skipped: sent, being sent, waiting, failed or cancelled. */
  targeted: number;
  status: { pending: number; sending: number; sent: number; failed: number; cancelled: number };
  /** Skipped, by the ledger's reason. */
  skipped: Record<string, number>;
  held_back: {
    consent: Record<(typeof CONSENT_LABELS)[ConsentReason], number>;
    no_address: number;
    suppressed: number;
    contact_deleted: number;
    deadline: number;
    /** Skipped by each cap rule (the contact's own frequency choice included). */
    capped: Record<string, number>;
  };
  /**
   * Pending until quiet hours end, or until a cap window reopens (on_cap: defer); never tried yet. `total` is those
   * two; `local_time` counts apart the messages held until their recipient's local time (a launch at a local time),
   * `ab_winner` those held until an A/B test's winner is chosen.
   */
  deferred: { total: number; quiet_hours: number; caps: Record<string, number>; local_time: number; ab_winner: number };
  /** Pending to be tried again: a retryable failure (throttling, 5xx, timeout) or a claim whose sender died. */
  retrying: number;
  /** Sent since the progress window's start, when asked for. */
  sent_recently: number;
  /** Held back by each cap rule, skipped or deferred. */
  capped_by: Record<string, number>;
}

const bump = (to: Record<string, number>, key: string, n: number) => (to[key] = (to[key] ?? 0) + n);

/** Reads the ledger's outcome groups into every count the API reports; the summary and the report both use it. */
export function tallyOutcomes(rows: OutcomeRow[]): Tally {
  const t: Tally = {
    audience: 0, targeted: 0,
    status: { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 },
    skipped: {},
    held_back: {
      consent: { not_subscribed: 0, unsubscribed: 0, pending_confirmation: 0, paused: 0 },
      no_address: 0, suppressed: 0, contact_deleted: 0, deadline: 0, capped: {},
    },
    deferred: { total: 0, quiet_hours: 0, caps: {}, local_time: 0, ab_winner: 0 },
    retrying: 0,
    sent_recently: 0,
    capped_by: {},
  };
  for (const r of rows) {
    const n = Number(r.n);
    t.audience += n;
    if (r.status === 'skipped') {
      const reason = r.skip_reason ?? 'unknown';
      bump(t.skipped, reason, n);
      if (isConsentReason(reason)) t.held_back.consent[CONSENT_LABELS[reason]] += n;
      else if (reason === 'capped') bump(t.held_back.capped, r.capped_by ?? 'cap', n);
      else if (reason in t.held_back) (t.held_back as unknown as Record<string, number>)[reason] += n;
      if (r.capped_by) bump(t.capped_by, r.capped_by, n);
      continue;
    }
    t.targeted += n;
    if (r.status in t.status) t.status[r.status as keyof Tally['status']] += n;
    if (r.retrying) t.retrying += n;
    if (r.recent) t.sent_recently += n;
    if (r.deferred && r.deferred_by === 'ab_winner') t.deferred.ab_winner += n;
    else if (r.deferred && r.deferred_by === 'local_time') t.deferred.local_time += n;
    else if (r.deferred) {
      t.deferred.total += n;
      if (r.capped_by) bump(t.deferred.caps, r.capped_by, n);
      else t.deferred.quiet_hours += n;
    }
    if (r.capped_by && r.status === 'pending') bump(t.capped_by, r.capped_by, n);
  }
  return t;
}
