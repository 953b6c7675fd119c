import type { Database } from '../db/database.js';
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

/** Creates a key and returns it in clear: the only time it is ever shown. */
export async function createKey(db: Database, name: string, role: Role, key = generateKey()) {
  const row = await insertKey(db, { name, role, keyHash: await hashKey(key), prefix: key.slice(0, 8) });
  return { key, record: row };
}

/**
 * On a new data directory, makes the first admin key (ADMIN_API_KEY when given).
 * Returns the key in clear only when it was generated here, so it can be printed once.
 */
export async function ensureAdminKey(db: Database, configured?: string): Promise<{ key: string; generated: boolean } | undefined> {
  if (configured) {
    await createKey(db, 'admin (ADMIN_API_KEY)', 'admin', configured);
    return { key: configured, generated: false };
  }
  if ((await countKeys(db)) > 0) return undefined;
  const { key } = await createKey(db, 'admin (first start)', 'admin');
  return { key, generated: true };
}

export { listKeys };

export async function revoke(db: Database, id: number, at: Date) {
  if (!(await revokeKey(db, id, at))) throw new NotFoundError('API key', id);
}
