// Data-subject rights: the reads behind a contact's export, the writes of an erasure, the retention query.
// The only privacy file that touches kysely.
import { sql } from 'kysely';
import { CHANNELS, type SuppressibleChannel } from '../channels/index.js';
import { contactColumns } from '../contacts/index.js';
import type { Executor as Db, Trx } from '../db/transaction.js';

// ---------------------------------------------------------------------------------------------------------------
// Export

export async function findContactForExport(db: Db, id: number) {
  return db.selectFrom('contacts').select(contactColumns).where('id', '=', id).executeTakeFirst();
}

export async function exportSubscriptions(db: Db, contactId: number) {
  return db
    .selectFrom('subscriptions')
    .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
    .select(['subscriptions.channel', 'topics.key as topic', 'subscriptions.status', 'subscriptions.paused_until', 'subscriptions.updated_at'])
    .where('subscriptions.contact_id', '=', contactId)
    .orderBy('topics.key')
    .orderBy('subscriptions.channel')
    .execute();
}

export async function exportConsentRecords(db: Db, contactId: number) {
  return db
    .selectFrom('consent_records as r')
    .leftJoin('topics as t', 't.id', 'r.topic_id')
    .select(['r.id', 'r.channel', 't.key as topic', 'r.status', 'r.source', 'r.ip', 'r.user_agent', 'r.wording_version', 'r.occurred_at'])
    .where('r.contact_id', '=', contactId)
    .orderBy('r.occurred_at')
    .orderBy('r.id')
    .execute();
}

export async function exportEvents(db: Db, contactId: number) {
  return db
    .selectFrom('events')
    .select(['id', 'type', 'occurred_at', 'value', 'properties'])
    .where('contact_id', '=', contactId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

export async function exportListMemberships(db: Db, contactId: number) {
  return db
    .selectFrom('list_members as lm')
    .innerJoin('lists as l', 'l.id', 'lm.list_id')
    .select(['l.id', 'l.name', 'lm.added_at'])
    .where('lm.contact_id', '=', contactId)
    .orderBy('l.id')
    .execute();
}

export async function exportPreferences(db: Db, contactId: number) {
  return db
    .selectFrom('contact_preferences')
    .select(['channel', 'max_messages', 'period', 'days'])
    .where('contact_id', '=', contactId)
    .orderBy('channel')
    .execute();
}

export async function exportPressureLedger(db: Db, contactId: number) {
  return db
    .selectFrom('pressure_ledger')
    .select(['message_id', 'channel', 'counted_at'])
    .where('contact_id', '=', contactId)
    .orderBy('counted_at')
    .orderBy('message_id')
    .execute();
}

export async function exportPurchaseSummary(db: Db, contactId: number) {
  return db
    .selectFrom('contact_stats')
    .select(['first_purchase_at', 'last_purchase_at', 'purchase_count', 'purchase_total'])
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

/** Suppression entries matching these hashes (the contact's own addresses). */
export async function suppressionsByHash(db: Db, entries: Array<{ channel: string; hash: string }>) {
  if (!entries.length) return [];
  return db
    .selectFrom('suppressions')
    .select(['channel', 'address', 'reason', 'created_at'])
    .where((eb) => eb.or(entries.map((e) => eb.and([eb('channel', '=', e.channel), eb('address_hash', '=', e.hash)]))))
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Erasure

/** Locks the contact row for the erasure (launches are kept out by lockForErasure, see db/locks.ts). */
export async function lockContact(trx: Trx, id: number) {
  return trx.selectFrom('contacts').select(['id', 'email', 'phone']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Whether another contact holds this address (phones are not unique: a shared family number; an email changed on
 * one contact may since belong to another). Suppressing it would stop sending to that other person.
 */
export async function heldByAnotherContact(trx: Trx, contactId: number, channel: SuppressibleChannel, address: string) {
  const row = await trx
    .selectFrom('contacts')
    .select('id')
    .where(CHANNELS[channel].address.column, '=', address)
    .where('id', '<>', contactId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Consent records stay as proof (the foreign key will set contact_id null) without the network identifiers. */
export async function stripConsentRecords(trx: Trx, contactId: number) {
  const result = await trx
    .updateTable('consent_records')
    .set({ ip: null, user_agent: null })
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes the contact: subscriptions, events, list memberships, preferences, stats and cap ledger cascade. */
export async function deleteContactRow(trx: Trx, id: number) {
  const result = await trx.deleteFrom('contacts').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Retention

/** Event types that record an open: an open is not a contact from the person. */
export const OPEN_EVENT_TYPES = ['open', 'opened', 'email_open', 'email_opened', 'email.open', 'email.opened', 'message_opened'];
/** Consent sources that are not the person acting: the company's own files and staff, and bounces. */
export const SYSTEM_CONSENT_SOURCES = ['import', 'admin', 'bounce'];
/** Purchase events: a buyer is a customer, not a prospect. */
const PURCHASE = 'purchase';

/**
 * SQL: true when the contact (alias c) is a prospect with no contact from them since `cutoff`: created before it,
 * never purchased, and since the cutoff no human click (a scanner's is no contact), reply or conversion, no event other than an open, and no consent
 * change made by the person ('api' records count only with an IP or user agent, i.e. a person's request relayed).
 */
function inactiveProspect(cutoff: Date) {
  return sql<boolean>`(
    c.created_at < ${cutoff}::timestamptz
    and not exists (select 1 from contact_stats s where s.contact_id = c.id)
    and not exists (select 1 from events e where e.contact_id = c.id and e.type = ${PURCHASE})
    and not exists (select 1 from events e where e.contact_id = c.id and e.occurred_at >= ${cutoff}::timestamptz
                    and e.type <> all(${OPEN_EVENT_TYPES}::text[]))
    and not exists (select 1 from message_engagement m where m.contact_id = c.id and m.first_click_human_at >= ${cutoff}::timestamptz)
    and not exists (select 1 from message_engagement m where m.contact_id = c.id and m.replied_at >= ${cutoff}::timestamptz)
    and not exists (select 1 from message_engagement m where m.contact_id = c.id and m.converted_at >= ${cutoff}::timestamptz)
    and not exists (select 1 from consent_records r where r.contact_id = c.id and r.occurred_at >= ${cutoff}::timestamptz
                    and r.source <> all(${SYSTEM_CONSENT_SOURCES}::text[])
                    and (r.source <> 'api' or r.ip is not null or r.user_agent is not null))
  )`;
}

/** A page of inactive prospects by id (keyset). */
export async function findInactiveProspects(db: Db, cutoff: Date, after: number, limit: number) {
  const rows = await sql<{ id: number }>`
    select c.id from contacts c where c.id > ${after} and ${inactiveProspect(cutoff)} order by c.id limit ${limit}
  `.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

/** Re-checks one contact inside the erasure's transaction, after its row is locked. */
export async function isInactiveProspect(trx: Trx, id: number, cutoff: Date) {
  const rows = await sql<{ id: number }>`select c.id from contacts c where c.id = ${id} and ${inactiveProspect(cutoff)}`.execute(trx);
  return rows.rows.length > 0;
}
