// The suppression list: addresses never sent to, transactional mail included. Rows are keyed by a hash of the
// normalised address, so an erased person's entry still matches after the clear address is gone.
import { sql, type RawBuilder } from 'kysely';
import { CHANNELS, SUPPRESSIBLE_CHANNELS, type SuppressibleChannel as SuppressionChannel } from '../channels/index.js';
import type { Executor as Db } from '../db/transaction.js';

export { SUPPRESSIBLE_CHANNELS as SUPPRESSION_CHANNELS, type SuppressionChannel };
// bloctel: a number on the French opposition list to canvassing calls (calls only).
export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'soft_bounces', 'sms_stop', 'erased', 'manual', 'bloctel'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** The valid normalised form (lower-cased email, E.164 phone read as French when national), or undefined. */
export function normaliseAddress(channel: SuppressionChannel, address: string): string | undefined {
  return CHANNELS[channel].address.normalise(address, 'FR');
}

/** The form that is hashed: the normalised address, or a best effort for what does not validate (never throws). */
function canonical(channel: SuppressionChannel, address: string): string {
  const valid = normaliseAddress(channel, address);
  if (valid) return valid;
  return CHANNELS[channel].address.loose(address);
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** sha-256 hex of the normalised address. */
export async function hashAddress(channel: SuppressionChannel, address: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical(channel, address))));
}

/**
 * SQL: hashAddress() of an address column. Contacts hold addresses already normalised (lower-cased email, E.164
 * phone), so hashing the stored text matches the suppression entries.
 */
export function addressHashSql(address: RawBuilder<unknown>) {
  return sql<string>`encode(sha256(convert_to(${address}, 'UTF8')), 'hex')`;
}

/** SQL: true when the address column is on the suppression list for the channel. */
export function isSuppressedSql(channel: SuppressionChannel, address: RawBuilder<unknown>) {
  return sql<boolean>`exists (select 1 from suppressions sp where sp.channel = ${channel} and sp.address_hash = ${addressHashSql(address)})`;
}

const columns = ['id', 'channel', 'address', 'address_hash', 'reason', 'source', 'created_at'] as const;

export interface NewSuppression {
  channel: SuppressionChannel;
  address: string;
  reason: SuppressionReason;
  source?: string | null;
}

/**
 * Suppresses an address; idempotent on (channel, hash): an existing entry keeps its reason and is returned with
 * created = false. The clear address is stored normalised.
 */
export async function addSuppression(db: Db, s: NewSuppression) {
  const address_hash = await hashAddress(s.channel, s.address);
  const inserted = await db
    .insertInto('suppressions')
    .values({ channel: s.channel, address_hash, address: canonical(s.channel, s.address), reason: s.reason, source: s.source ?? null })
    .onConflict((oc) => oc.columns(['channel', 'address_hash']).doNothing())
    .returning(columns)
    .executeTakeFirst();
  if (inserted) return { suppression: inserted, created: true };
  const existing = await db
    .selectFrom('suppressions')
    .select(columns)
    .where('channel', '=', s.channel)
    .where('address_hash', '=', address_hash)
    .executeTakeFirstOrThrow();
  return { suppression: existing, created: false };
}

export async function findSuppression(db: Db, id: number) {
  return db.selectFrom('suppressions').select(columns).where('id', '=', id).executeTakeFirst();
}

/** Deletes one entry and returns it (undefined when there was none). */
export async function removeSuppression(db: Db, id: number) {
  return db.deleteFrom('suppressions').where('id', '=', id).returning(columns).executeTakeFirst();
}

/** Which of these addresses are suppressed, in one query; the set holds the addresses as given. */
export async function suppressedSet(db: Db, channel: SuppressionChannel, addresses: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!addresses.length) return out;
  const hashes = await Promise.all(addresses.map((a) => hashAddress(channel, a)));
  // One array parameter whatever the batch size.
  const rows = await db
    .selectFrom('suppressions')
    .select('address_hash')
    .where('channel', '=', channel)
    .where(sql<boolean>`address_hash = any(${[...new Set(hashes)]}::text[])`)
    .execute();
  const hit = new Set(rows.map((r) => r.address_hash));
  addresses.forEach((a, i) => hit.has(hashes[i]) && out.add(a));
  return out;
}

export interface SuppressionFilter {
  channel?: SuppressionChannel;
  reason?: SuppressionReason;
  address?: string;
}

export async function listSuppressions(db: Db, filter: SuppressionFilter, page: { after?: number; limit: number }) {
  let q = db.selectFrom('suppressions').select(columns).orderBy('id').limit(page.limit + 1);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.reason) q = q.where('reason', '=', filter.reason);
  if (filter.address !== undefined) {
    // By hash, so erased entries are found too; without a channel, the address is tried as both.
    const channels = filter.channel ? [filter.channel] : SUPPRESSIBLE_CHANNELS;
    const hashes = await Promise.all(channels.map((ch) => hashAddress(ch, filter.address!)));
    q = q.where('address_hash', 'in', hashes);
  }
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

/**
 * Erasure: the hash stays (so a re-import is not mailed), the clear address goes, an existing reason stays.
 * An address not yet suppressed gets an entry with reason 'erased'.
 */
export async function eraseAddress(db: Db, channel: SuppressionChannel, address: string, source: string | null = 'erasure') {
  const address_hash = await hashAddress(channel, address);
  return db
    .insertInto('suppressions')
    .values({ channel, address_hash, address: null, reason: 'erased', source })
    .onConflict((oc) => oc.columns(['channel', 'address_hash']).doUpdateSet({ address: null }))
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Adds one to an address's consecutive soft bounces and returns the new count. */
export async function countSoftBounce(db: Db, addressHash: string, at: Date): Promise<number> {
  const row = await db
    .insertInto('soft_bounces')
    .values({ address_hash: addressHash, consecutive: 1, updated_at: at })
    .onConflict((oc) =>
      oc.column('address_hash').doUpdateSet({ consecutive: sql`soft_bounces.consecutive + 1`, updated_at: at }),
    )
    .returning('consecutive')
    .executeTakeFirstOrThrow();
  return Number(row.consecutive);
}

export async function resetSoftBounces(db: Db, addressHashes: string[]) {
  if (!addressHashes.length) return;
  await db.deleteFrom('soft_bounces').where('address_hash', 'in', addressHashes).execute();
}

export async function softBounceCount(db: Db, addressHash: string): Promise<number> {
  const row = await db.selectFrom('soft_bounces').select('consecutive').where('address_hash', '=', addressHash).executeTakeFirst();
  return row ? Number(row.consecutive) : 0;
}
