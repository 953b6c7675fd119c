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
