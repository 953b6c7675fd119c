import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { newSecret } from './tokens.js';

/** The workspace's link-signing secret, created on first use. Rotating it revokes every link already sent. */
export async function getSigningSecret(db: Database): Promise<string> {
  await db
    .insertInto('workspace_settings')
    .values({ key: 'signing_secret', value: JSON.stringify(newSecret()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('workspace_settings').select('value').where('key', '=', 'signing_secret').executeTakeFirstOrThrow();
  return row.value as string;
}

export async function rotateSigningSecret(db: Database, at: Date) {
  await db
    .updateTable('workspace_settings')
    .set({ value: sql`${JSON.stringify(newSecret())}::jsonb`, updated_at: at })
    .where('key', '=', 'signing_secret')
    .execute();
}

export async function getSetting<T>(db: Database, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('workspace_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

export async function putSetting(db: Database, key: string, value: unknown, at: Date) {
  const json = JSON.stringify(value);
  await db
    .insertInto('workspace_settings')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value`, updated_at: at }))
    .execute();
}
