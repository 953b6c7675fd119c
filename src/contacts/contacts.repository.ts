import { sql } from 'kysely';
import { subscribedNowSql } from '../consent/index.js';
import type { Executor as Db } from '../db/transaction.js';
import type { ContactFields } from './contact-fields.js';

export const contactColumns = [
  'id', 'external_id', 'email', 'phone', 'first_name', 'last_name', 'locale', 'timezone', 'address', 'attributes',
  'created_at', 'updated_at',
] as const;

export async function findContactById(db: Db, id: number) {
  return db.selectFrom('contacts').select(contactColumns).where('id', '=', id).executeTakeFirst();
}

/** Contacts matching any of the given external ids or emails: the import's upsert keys. */
export async function findContactsByKeys(db: Db, externalIds: string[], emails: string[], phones: string[] = []) {
  if (!externalIds.length && !emails.length && !phones.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'external_id', 'email', 'phone'])
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ...(emails.length ? [eb('email', 'in', emails)] : []),
        ...(phones.length ? [eb('phone', 'in', phones)] : []),
      ]),
    )
    .orderBy('id')
    .execute();
}

export type ContactWrite = ContactFields & { attributes?: Record<string, unknown> };

function toRow(c: ContactWrite) {
  const row: Record<string, unknown> = { ...c };
  if (c.address !== undefined) row.address = c.address === null ? null : JSON.stringify(c.address);
  if (c.attributes !== undefined) row.attributes = JSON.stringify(c.attributes);
  return row;
}

/** Inserts new contacts; rows whose email or external id appeared meanwhile come back missing. */
export async function insertContacts(db: Db, contacts: ContactWrite[], at: Date) {
  if (!contacts.length) return [];
  return db
    .insertInto('contacts')
    .values(contacts.map((c) => ({ ...toRow(c), created_at: at, updated_at: at }) as never))
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'external_id', 'email'])
    .execute();
}

/** Updates the given fields; attributes are merged into the existing ones, not replaced. */
export async function updateContact(db: Db, id: number, c: ContactWrite, at: Date) {
  const { attributes, ...fields } = toRow(c);
  return db
    .updateTable('contacts')
    .set({
      ...(fields as object),
      ...(attributes !== undefined ? { attributes: sql`contacts.attributes || ${attributes}::jsonb` } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .returning(contactColumns)
    .executeTakeFirst();
}

export interface ContactFilter {
  email?: string;
  external_id?: string;
  locale?: string;
  q?: string;
  topic?: string;
  channel?: string;
}

export async function listContacts(db: Db, filter: ContactFilter, page: { after?: number; limit: number }, at: Date) {
  let query = db.selectFrom('contacts').select(contactColumns).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  if (filter.email) query = query.where('email', '=', filter.email.toLowerCase());
  if (filter.external_id) query = query.where('external_id', '=', filter.external_id);
  if (filter.locale) {
    // A language matches its regional forms: `en` finds en and en-CA; `en-CA` finds only en-CA. Tags are case-blind.
    const locale = filter.locale.toLowerCase();
    const regional = `${locale.replace(/[\\%_]/g, (m) => '\\' + m)}-%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['locale']), '=', locale), eb(eb.fn('lower', ['locale']), 'like', regional)]));
  }
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    query = query.where((eb) =>
      eb.or([eb('email', 'ilike', like), eb('first_name', 'ilike', like), eb('last_name', 'ilike', like), eb('external_id', 'ilike', like)]),
    );
  }
  if (filter.topic) {
    const channel = filter.channel ?? 'email';
    query = query.where(sql<boolean>`exists (select 1 from subscriptions s join topics t on t.id = s.topic_id
      where s.contact_id = contacts.id and t.key = ${filter.topic} and s.channel = ${channel} and ${subscribedNowSql(at)})`);
  }
  return query.execute();
}

export async function insertEvents(
  db: Db,
  events: Array<{ contact_id: number; type: string; occurred_at: Date; value: number | null; properties: Record<string, unknown>; idempotency_key: string | null }>,
) {
  if (!events.length) return [];
  return db
    .insertInto('events')
    .values(events.map((e) => ({ ...e, properties: JSON.stringify(e.properties) })))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id', 'contact_id', 'type', 'occurred_at', 'value'])
    .execute();
}

/** Folds new purchases into each contact's summary (first, last, count, total) used by lifecycle and RFM. */
export async function addPurchasesToStats(db: Db, purchases: Array<{ contact_id: number; occurred_at: Date; value: number | null }>) {
  if (!purchases.length) return;
  await sql`
    insert into contact_stats (contact_id, first_purchase_at, last_purchase_at, purchase_count, purchase_total)
    select c, min(at), max(at), count(*), coalesce(sum(v), 0)
    from unnest(${purchases.map((p) => p.contact_id)}::bigint[], ${purchases.map((p) => p.occurred_at)}::timestamptz[],
                ${purchases.map((p) => p.value)}::numeric[]) as x(c, at, v)
    group by c
    on conflict (contact_id) do update set
      first_purchase_at = least(contact_stats.first_purchase_at, excluded.first_purchase_at),
      last_purchase_at = greatest(contact_stats.last_purchase_at, excluded.last_purchase_at),
      purchase_count = contact_stats.purchase_count + excluded.purchase_count,
      purchase_total = contact_stats.purchase_total + excluded.purchase_total
  `.execute(db);
}

/** Contacts named by id, external id or email; each list is one array parameter, whatever its length. */
export async function findContactIdsByRef(db: Db, refs: { ids: number[]; externalIds: string[]; emails: string[] }) {
  if (!refs.ids.length && !refs.externalIds.length && !refs.emails.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'external_id', 'email'])
    .where((eb) =>
      eb.or([
        ...(refs.ids.length ? [sql<boolean>`id = any(${[...new Set(refs.ids)]}::bigint[])`] : []),
        ...(refs.externalIds.length ? [sql<boolean>`external_id = any(${[...new Set(refs.externalIds)]}::text[])`] : []),
        ...(refs.emails.length ? [sql<boolean>`email = any(${[...new Set(refs.emails)]}::text[])`] : []),
      ]),
    )
    .execute();
}

export async function findContactsForMerge(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'external_id', 'email', 'phone', 'first_name', 'last_name', 'locale', 'timezone', 'address', 'attributes'])
    .where('id', 'in', ids)
    .execute();
}

/**
 * Updates many contacts in one statement (the import's re-import path). A null means "leave as is":
 * CSV cells that are empty never clear a field. Attributes and address are merged.
 */
export async function bulkUpdateContacts(db: Db, rows: Array<{ id: number; write: ContactWrite }>, at: Date) {
  if (!rows.length) return;
  const col = <T>(f: (w: ContactWrite) => T | null | undefined) => rows.map((r) => f(r.write) ?? null);
  await sql`
    update contacts set
      external_id = coalesce(x.external_id, contacts.external_id),
      email = coalesce(x.email, contacts.email),
      phone = coalesce(x.phone, contacts.phone),
      first_name = coalesce(x.first_name, contacts.first_name),
      last_name = coalesce(x.last_name, contacts.last_name),
      locale = coalesce(x.locale, contacts.locale),
      timezone = coalesce(x.timezone, contacts.timezone),
      address = case when x.address is null then contacts.address else coalesce(contacts.address, '{}'::jsonb) || x.address end,
      attributes = contacts.attributes || coalesce(x.attributes, '{}'::jsonb),
      updated_at = ${at}::timestamptz
    from unnest(
      ${rows.map((r) => r.id)}::bigint[], ${col((w) => w.external_id)}::text[], ${col((w) => w.email)}::text[],
      ${col((w) => w.phone)}::text[], ${col((w) => w.first_name)}::text[], ${col((w) => w.last_name)}::text[],
      ${col((w) => w.locale)}::text[], ${col((w) => w.timezone)}::text[],
      ${col((w) => (w.address ? JSON.stringify(w.address) : null))}::jsonb[],
      ${col((w) => (w.attributes ? JSON.stringify(w.attributes) : null))}::jsonb[]
    ) as x(id, external_id, email, phone, first_name, last_name, locale, timezone, address, attributes)
    where contacts.id = x.id
  `.execute(db);
}

/** Every contact with this E.164 phone (phones are not unique: a shared family number counts for each). */
export async function findContactsByPhone(db: Db, phone: string) {
  const rows = await db.selectFrom('contacts').select(['id', 'locale']).where('phone', '=', phone).orderBy('id').execute();
  return rows.map((r) => ({ id: Number(r.id), locale: r.locale }));
}
