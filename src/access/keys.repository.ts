import type { Database } from '../db/database.js';
import type { Executor } from '../db/transaction.js';
import type { Role } from './roles.js';

export async function findActiveKeyByHash(db: Database, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function insertKey(db: Executor, key: { name: string; role: Role; keyHash: string; prefix: string }) {
  return db
    .insertInto('api_keys')
    .values({ name: key.name, role: key.role, key_hash: key.keyHash, prefix: key.prefix })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .returning(['id', 'name', 'role', 'prefix', 'created_at'])
    .executeTakeFirst();
}

export async function countKeys(db: Database): Promise<number> {
  const row = await db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listKeys(db: Database) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'revoked_at'])
    .orderBy('id')
    .execute();
}

/** The key revoked, or undefined when there is no such active key. */
export async function revokeKey(db: Executor, id: number, at: Date) {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(['name', 'role', 'prefix'])
    .executeTakeFirst();
}
