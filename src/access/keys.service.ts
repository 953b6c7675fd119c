import { writeAudit, type Actor } from '../audit/index.js';
import type { Database } from '../db/database.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { NotFoundError } from '../errors.js';
import { countKeys, findActiveKeyByHash, insertKey, listKeys, revokeKey } from './keys.repository.js';
import type { Role } from './roles.js';

const encoder = new TextEncoder();

export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function generateKey(): string {
  return `rk_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export async function authenticate(db: Database, key: string) {
  if (!key || key.length > 200) return undefined;
  const row = await findActiveKeyByHash(db, await hashKey(key));
  return row ? { id: Number(row.id), role: row.role as Role, name: row.name } : undefined;
}

/** Who creates or revokes a key, and when: recorded in the audit log with the key's name, role and prefix. */
export interface KeyChange {
  actor: Actor;
  at: Date;
}

/** Creates a key and returns it in clear: the only time it is ever shown. Audited when `change` says who made it. */
export async function createKey(db: Executor, name: string, role: Role, key = generateKey(), change?: KeyChange) {
  const hash = await hashKey(key);
  return inTransaction(db, async (trx) => {
    const row = await insertKey(trx, { name, role, keyHash: hash, prefix: key.slice(0, 8) });
    if (row && change) {
      await writeAudit(trx, { actor: change.actor, action: 'api_key.created', subject: `api_key:${row.id}`, details: { name, role, prefix: row.prefix } }, change.at);
    }
    return { key, record: row };
  });
}

/**
 * On a new data directory, makes the first admin key (ADMIN_API_KEY when given).
 * Returns the key in clear only when it was generated here, so it can be printed once.
 */
export async function ensureAdminKey(db: Database, configured: string | undefined, at: Date): Promise<{ key: string; generated: boolean } | undefined> {
  const change = { actor: 'system', at };
  if (configured) {
    await createKey(db, 'admin (ADMIN_API_KEY)', 'admin', configured, change);
    return { key: configured, generated: false };
  }
  if ((await countKeys(db)) > 0) return undefined;
  const { key } = await createKey(db, 'admin (first start)', 'admin', undefined, change);
  return { key, generated: true };
}

export { listKeys };

export async function revoke(db: Database, id: number, change: KeyChange) {
  await inTransaction(db, async (trx) => {
    const revoked = await revokeKey(trx, id, change.at);
    if (!revoked) throw new NotFoundError('API key', id);
    await writeAudit(trx, { actor: change.actor, action: 'api_key.revoked', subject: `api_key:${id}`, details: { name: revoked.name, role: revoked.role, prefix: revoked.prefix } }, change.at);
  });
}
