// Data-subject rights (GDPR/CNIL, CASL, Québec Law 25): access (export), erasure, and the retention purge of
// prospects with no contact for a configurable number of years. Each one is written to the audit log.
import { exportContactCalls, scrubContactCalls } from '../campaigns/index.js';
import { writeAudit, type Actor } from '../audit/index.js';
import { CHANNELS, isChannel, SUPPRESSIBLE_CHANNELS, type SuppressibleChannel as SuppressionChannel } from '../channels/index.js';
import { addressOf } from '../contacts/index.js';
import { lockForErasure } from '../db/locks.js';
import { inTransaction, type Executor as Database, type Trx } from '../db/transaction.js';
import { contactMessageAddresses, contactMessages, scrubContactMessages } from '../delivery/index.js';
import { exportContactHits, exportContactResponses, scrubContactResponses, scrubContactTracking } from '../tracking/index.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { eraseAddress, hashAddress } from '../suppressions/index.js';
import {
  deleteContactRow, exportConsentRecords, exportEvents, exportListMemberships, exportPreferences, exportPressureLedger,
  exportPurchaseSummary, exportSubscriptions, findContactForExport, findInactiveProspects, heldByAnotherContact, isInactiveProspect,
  lockContact, stripConsentRecords, suppressionsByHash,
} from './privacy.repository.js';

/** The default retention of prospects, in years from collection or their last contact (CNIL). */
export const DEFAULT_RETENTION_YEARS = 3;
/** The actor of erasures and summaries written by the retention purge. */
export const RETENTION_ACTOR = 'retention';

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());
const num = (v: unknown) => (v == null ? null : Number(v));

export const contactSubject = (id: number) => `contact:${id}`;

// ---------------------------------------------------------------------------------------------------------------
// Access

/** Everything held about one contact, as plain JSON. Writes a 'contact.exported' audit entry. */
export async function exportContact(db: Database, id: number, actor: Actor, at: Date) {
  // One connection and one consistent snapshot for every section.
  const sections = await inTransaction(db, async (trx) => {
    const contact = await findContactForExport(trx, id);
    if (!contact) throw new NotFoundError('Contact', id);
    const own: Array<{ channel: SuppressionChannel; hash: string }> = [];
    for (const channel of SUPPRESSIBLE_CHANNELS) {
      const address = addressOf(contact, channel);
      if (address) own.push({ channel, hash: await hashAddress(channel, address) });
    }
    return {
      contact,
      subscriptions: await exportSubscriptions(trx, id),
      consents: await exportConsentRecords(trx, id),
      messages: await contactMessages(trx, id),
      events: await exportEvents(trx, id),
      responses: await exportContactResponses(trx, id),
      calls: await exportContactCalls(trx, id),
      hits: await exportContactHits(trx, id),
      lists: await exportListMemberships(trx, id),
      preferences: await exportPreferences(trx, id),
      ledger: await exportPressureLedger(trx, id),
      purchases: await exportPurchaseSummary(trx, id),
      suppressions: await suppressionsByHash(trx, own),
    };
  }, { isolation: 'repeatable read' });
  const { contact, subscriptions, consents, messages, events, responses, calls, hits, lists, preferences, ledger, purchases, suppressions } = sections;
  const data = {
    exported_at: at.toISOString(),
    contact: {
      id: Number(contact.id),
      external_id: contact.external_id,
      email: contact.email,
      phone: contact.phone,
      first_name: contact.first_name,
      last_name: contact.last_name,
      locale: contact.locale,
      timezone: contact.timezone,
      address: contact.address,
      attributes: contact.attributes,
      created_at: iso(contact.created_at),
      updated_at: iso(contact.updated_at),
    },
    subscriptions: subscriptions.map((s) => ({
      channel: s.channel, topic: s.topic, status: s.status, paused_until: iso(s.paused_until), updated_at: iso(s.updated_at),
    })),
    consent_records: consents.map((r) => ({
      id: Number(r.id), channel: r.channel, topic: r.topic, status: r.status, source: r.source, ip: r.ip,
      user_agent: r.user_agent, wording_version: r.wording_version, occurred_at: iso(r.occurred_at),
    })),
    messages: messages.map((m) => ({
      id: Number(m.id), campaign_id: m.campaign_id === null ? null : Number(m.campaign_id), campaign_name: m.campaign_name, purpose: m.purpose,
      channel: m.channel, status: m.status,
      skip_reason: m.skip_reason, address: m.address, created_at: iso(m.created_at), sent_at: iso(m.sent_at),
      opened_at: iso(m.opened_at), clicked_at: iso(m.clicked_at), replied_at: iso(m.replied_at), converted_at: iso(m.converted_at),
    })),
    events: events.map((e) => ({ id: Number(e.id), type: e.type, occurred_at: iso(e.occurred_at), value: num(e.value), properties: e.properties })),
    responses: responses.map((r) => ({ id: Number(r.id), message_id: r.message_id, channel: r.channel, kind: r.kind, body: r.body, code: r.code, occurred_at: iso(r.occurred_at) })),
    calls,
    tracked_hits: hits.map((h) => ({
      message_id: h.message_id, kind: h.kind, link: h.link_index, occurred_at: iso(h.occurred_at), method: h.method, user_agent: h.user_agent,
      ip_prefix: h.ip_prefix, class: h.class, rule: h.rule,
    })),
    lists: lists.map((l) => ({ id: Number(l.id), name: l.name, added_at: iso(l.added_at) })),
    preferences: preferences.map((p) => ({ channel: p.channel, max_messages: Number(p.max_messages), period: p.period, days: num(p.days) })),
    pressure_ledger: ledger.map((l) => ({ message_id: Number(l.message_id), channel: l.channel, counted_at: iso(l.counted_at) })),
    purchase_summary: purchases
      ? {
          first_purchase_at: iso(purchases.first_purchase_at), last_purchase_at: iso(purchases.last_purchase_at),
          purchase_count: Number(purchases.purchase_count), purchase_total: Number(purchases.purchase_total),
        }
      : null,
    suppressions: suppressions.map((s) => ({ channel: s.channel, address: s.address, reason: s.reason, created_at: iso(s.created_at) })),
  };
  await writeAudit(db, { actor, action: 'contact.exported', subject: contactSubject(id) }, at);
  return data;
}

export type ContactExport = Awaited<ReturnType<typeof exportContact>>;

// ---------------------------------------------------------------------------------------------------------------
// Erasure

export interface ErasureOptions {
  /** Who asked: an API key, or RETENTION_ACTOR. */
  actor: Actor;
  at: Date;
  /** 'request' (the person asked, through staff or the preference center) or 'retention' (the purge). */
  reason?: 'request' | 'retention';
  /** Checked inside the transaction once the contact row is locked; false leaves the contact untouched. */
  stillApplies?: (trx: Trx) => Promise<boolean>;
}

/**
 * Erases a contact's personal data in one transaction:
 * - each of the person's addresses (current email and phone, and the older ones the ledger holds) gets a hashed
 *   suppression entry with the clear address removed, so a re-import is never sent to again; an address another
 *   contact still holds (a shared family phone) is left alone, as suppressing it would stop that other person;
 * - the ledger keeps every message (campaign counts still add up) without the clear address or contact_id;
 *   messages not yet handed over are skipped;
 * - consent records stay as proof of consent and opt-out, without IP and user agent, contact_id set null;
 * - the contact row goes, and with it subscriptions, events, list memberships, preferences, stats, cap ledger;
 * - one 'contact.erased' audit entry, subject contact:<id>, with counts only (no personal data).
 * Returns false when `stillApplies` said no. Throws NotFoundError for an unknown contact.
 */
export async function eraseContact(db: Database, id: number, opts: ErasureOptions): Promise<boolean> {
  const reason = opts.reason ?? 'request';
  const source = reason === 'retention' ? 'retention' : 'erasure';
  return inTransaction(db, async (trx) => {
    await lockForErasure(trx);
    const contact = await lockContact(trx, id);
    if (!contact) throw new NotFoundError('Contact', id);
    if (opts.stillApplies && !(await opts.stillApplies(trx))) return false;

    const addresses = new Map<string, { channel: SuppressionChannel; address: string }>();
    const add = (channel: string, address: string | null) => {
      if (!address || !isChannel(channel) || !CHANNELS[channel].suppressible) return;
      addresses.set(`${channel}:${address}`, { channel: channel as SuppressionChannel, address });
    };
    for (const channel of SUPPRESSIBLE_CHANNELS) add(channel, addressOf({ ...contact, address: null }, channel));
    for (const m of await contactMessageAddresses(trx, id)) add(m.channel, m.address);

    let suppressed = 0;
    let keptShared = 0;
    for (const { channel, address } of addresses.values()) {
      if (await heldByAnotherContact(trx, id, channel, address)) {
        keptShared++;
        continue;
      }
      await eraseAddress(trx, channel, address, source);
      suppressed++;
    }
    // Before the ledger loses the contact: its hits keep their counts, not who, from where or with what; its
    // messages' recorded links (personalised URLs) go, and with them the redirects.
    await scrubContactTracking(trx, id);
    await scrubContactResponses(trx, id);
    await scrubContactCalls(trx, id);
    const messages = await scrubContactMessages(trx, id, [...addresses.values()].map((a) => a.address), opts.at);
    const consentRecords = await stripConsentRecords(trx, id);
    await deleteContactRow(trx, id);
    await writeAudit(
      trx,
      {
        actor: opts.actor,
        action: 'contact.erased',
        subject: contactSubject(id),
        details: {
          reason,
          suppressed_addresses: suppressed,
          ...(keptShared ? { addresses_shared_with_other_contacts: keptShared } : {}),
          messages_kept: messages,
          consent_records_kept: consentRecords,
        },
      },
      opts.at,
    );
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Retention

/** `now` minus `years` calendar years (UTC). */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

export interface PurgeOptions {
  now: Date;
  /** Years without contact before a prospect is erased; default 3. */
  years?: number;
  /** Recorded on the summary entry (e.g. the API key that triggered the run); erasures are by RETENTION_ACTOR. */
  triggeredBy?: { id: number; name: string };
  /** Contacts read per query. */
  batchSize?: number;
}

/**
 * The retention purge: erases every prospect (never purchased) with no contact for `years`. Contact means
 * collection (created_at), a click, a reply or conversion, any event other than an open, or a consent change by
 * the person; an open does not count. Each erasure is audited (actor 'retention'), then one 'retention.purge'
 * summary with the count. Idempotent and safe to run concurrently with itself (each contact is re-checked under
 * its row lock).
 */
export async function purgeInactiveProspects(db: Database, opts: PurgeOptions): Promise<{ erased: number }> {
  const years = opts.years ?? DEFAULT_RETENTION_YEARS;
  if (!Number.isInteger(years) || years < 1 || years > 100) {
    throw new InvalidInputError('Invalid retention period', [{ field: 'years', message: 'must be a whole number of years from 1 to 100' }]);
  }
  const cutoff = retentionCutoff(opts.now, years);
  const batchSize = opts.batchSize ?? 500;
  let erased = 0;
  let after = 0;
  for (;;) {
    const ids = await findInactiveProspects(db, cutoff, after, batchSize);
    for (const id of ids) {
      try {
        const done = await eraseContact(db, id, {
          actor: RETENTION_ACTOR, at: opts.now, reason: 'retention',
          stillApplies: (trx) => isInactiveProspect(trx, id, cutoff),
        });
        if (done) erased++;
      } catch (err) {
        // Erased meanwhile (by a request or a concurrent purge): nothing left to do.
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    if (ids.length < batchSize) break;
    after = ids[ids.length - 1];
  }
  await writeAudit(
    db,
    {
      actor: RETENTION_ACTOR,
      action: 'retention.purge',
      details: { erased, years, cutoff: cutoff.toISOString(), ...(opts.triggeredBy ? { triggered_by: opts.triggeredBy.name, triggered_by_key_id: opts.triggeredBy.id } : {}) },
    },
    opts.now,
  );
  return { erased };
}
