import { applyConsentChanges, listSubscriptions, listTopics, requireConfirmation } from '../consent/index.js';
import { inTransaction, type Executor as Database, type Trx } from '../db/transaction.js';
import { InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { prepareContact, saveContacts, type Catalogue, type ContactInput } from './contact-records.js';
import { listAttributeDefinitions } from './attributes.repository.js';
import {
  findContactById,
  findContactsByPhone,
  findContactIdsByRef,
  addPurchasesToStats,
  insertEvents,
  listContacts,
  updateContact,
  type ContactFilter,
} from './contacts.repository.js';
import { paginate, type Page } from '../http/pagination.js';

export async function loadCatalogue(db: Database): Promise<Catalogue> {
  const [attributes, topics] = await Promise.all([listAttributeDefinitions(db), listTopics(db)]);
  return {
    attributes: new Map(attributes.map((a) => [a.name, a])),
    topics: new Map(topics.map((t) => [t.key, Number(t.id)])),
  };
}

export { listAttributeDefinitions as listAttributes };

export type ContactView = Awaited<ReturnType<typeof getContact>>;

export async function getContact(db: Database, id: number) {
  const contact = await findContactById(db, id);
  if (!contact) throw new NotFoundError('Contact', id);
  const subscriptions = await listSubscriptions(db, id);
  return { ...contact, subscriptions };
}

/** POST /v1/contacts: create, or update the contact with the same external_id (else email). */
export async function upsertContact(db: Database, input: ContactInput, at: Date) {
  const catalogue = await loadCatalogue(db);
  const { prepared, problems } = prepareContact(input, catalogue, { creating: true });
  if (!prepared) throw new InvalidInputError('Invalid contact', problems);
  const [outcome] = await inTransaction(db, (trx) => saveContacts(trx, [prepared], 'api', at));
  if ('problems' in outcome) throw new InvalidInputError('Contact conflicts with an existing one', outcome.problems);
  return { created: outcome.created, contact: await getContact(db, outcome.id) };
}

export async function patchContact(db: Database, id: number, input: ContactInput, at: Date) {
  const existing = await findContactById(db, id);
  if (!existing) throw new NotFoundError('Contact', id);
  const catalogue = await loadCatalogue(db);
  const { prepared, problems } = prepareContact(input, catalogue, { creating: false });
  if (!prepared) throw new InvalidInputError('Invalid contact', problems);
  try {
    await inTransaction(db, async (trx) => {
      await updateContact(trx, id, prepared.write, at);
      await applyConsentChanges(trx, await requireConfirmation(trx, prepared.consents.map((c) => ({ ...c, contactId: id, source: 'api' }))), at);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new InvalidInputError('Another contact already has this email or external_id', [
        { field: prepared.write.email ? 'email' : 'external_id', message: 'already used by another contact' },
      ]);
    }
    throw err;
  }
  return getContact(db, id);
}

/** A page of contacts; `topic` keeps those subscribed to it now (on `channel`, email by default). */
export async function findContacts(db: Database, filter: ContactFilter, page: Page, at: Date) {
  return paginate(await listContacts(db, filter, page, at), page.limit);
}

/** The event type that drives lifecycle stages, RFM scores and purchase value. */
export const PURCHASE_EVENT = 'purchase';

export interface EventInput {
  contact_id?: number;
  external_id?: string;
  email?: string;
  type: string;
  occurred_at?: string;
  value?: number;
  properties?: Record<string, unknown>;
  idempotency_key?: string;
}

/** Records events; each one names its contact by id, external_id or email. Unknown contacts are rejected, not guessed. */
/**
 * Records events; `afterInsert` runs in the same transaction with the rows that were new (not replays), for the
 * layers above to act on them (conversion attribution), all or nothing.
 */
export async function recordEvents(
  db: Database, events: EventInput[], now: Date,
  afterInsert?: (trx: Trx, rows: Array<{ id: number; contact_id: number; type: string; occurred_at: Date; value: number | null }>) => Promise<number>,
) {
  const refs = {
    ids: events.flatMap((e) => (e.contact_id !== undefined ? [e.contact_id] : [])),
    externalIds: events.flatMap((e) => (e.external_id ? [e.external_id] : [])),
    emails: events.flatMap((e) => (e.email ? [e.email.trim().toLowerCase()] : [])),
  };
  const found = await findContactIdsByRef(db, refs);
  const byId = new Set(found.map((c) => Number(c.id)));
  const byExternal = new Map(found.filter((c) => c.external_id).map((c) => [c.external_id!, Number(c.id)]));
  const byEmail = new Map(found.filter((c) => c.email).map((c) => [c.email!, Number(c.id)]));
  const rejected: Array<{ index: number; errors: FieldProblem[] }> = [];
  const rows: Parameters<typeof insertEvents>[1] = [];
  events.forEach((e, index) => {
    const contactId =
      e.contact_id !== undefined ? (byId.has(e.contact_id) ? e.contact_id : undefined)
      : e.external_id ? byExternal.get(e.external_id)
      : e.email ? byEmail.get(e.email.trim().toLowerCase())
      : undefined;
    const errors: FieldProblem[] = [];
    if (contactId === undefined) {
      const field = e.contact_id !== undefined ? 'contact_id' : e.external_id ? 'external_id' : e.email ? 'email' : 'contact_id';
      errors.push({ field, message: e.contact_id === undefined && !e.external_id && !e.email ? 'give contact_id, external_id or email' : 'no such contact' });
    }
    const occurredAt = e.occurred_at ? new Date(e.occurred_at) : now;
    if (Number.isNaN(occurredAt.getTime())) errors.push({ field: 'occurred_at', message: 'must be an ISO 8601 date-time' });
    if (errors.length) return rejected.push({ index, errors });
    rows.push({
      contact_id: contactId!,
      type: e.type,
      occurred_at: occurredAt,
      value: e.value ?? null,
      properties: e.properties ?? {},
      idempotency_key: e.idempotency_key ?? null,
    });
  });
  const inserted = await inTransaction(db, async (trx) => {
    const rows_ = await insertEvents(trx, rows);
    // Only rows actually inserted count: a replayed idempotency key must not count twice.
    await addPurchasesToStats(trx, rows_.filter((r) => r.type === PURCHASE_EVENT).map((r) => ({ ...r, contact_id: Number(r.contact_id), occurred_at: new Date(r.occurred_at) })));
    const attributed = afterInsert
      ? await afterInsert(trx, rows_.map((r) => ({
        id: Number(r.id), contact_id: Number(r.contact_id), type: r.type, occurred_at: new Date(r.occurred_at), value: r.value === null ? null : Number(r.value),
      })))
      : 0;
    return { rows: rows_, attributed };
  });
  return { accepted: inserted.rows.length, duplicates: rows.length - inserted.rows.length, attributed: inserted.attributed, rejected };
}

/** Free text a contact sent us (an SMS that is no keyword), kept as an `sms_reply` event on each contact. */
export async function recordSmsReply(trx: Database, contactIds: number[], reply: { text: string; to?: string | null }, at: Date) {
  await insertEvents(trx, contactIds.map((id) => ({
    contact_id: id, type: 'sms_reply', occurred_at: at, value: null,
    properties: { text: reply.text, ...(reply.to ? { to: reply.to } : {}) }, idempotency_key: null,
  })));
}

export { findContactById, findContactsByPhone };

/** A person correcting their own name and language (the preference center). */
export async function setNameAndLanguage(db: Database, id: number, c: { first_name: string | null; last_name: string | null; locale: string }, at: Date) {
  await updateContact(db, id, c, at);
}
