// Workspace-wide settings, one JSON value per key (caps, quiet hours, lifecycle, the link-signing secret…).
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';

export async function readSetting<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('workspace_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

export async function writeSetting(db: Executor, key: string, value: unknown, at: Date) {
  const json = JSON.stringify(value);
  await db
    .insertInto('workspace_settings')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value`, updated_at: at }))
    .execute();
}

/** Writes the value only if the key has none yet; returns the value that stands. */
export async function writeSettingOnce<T>(db: Executor, key: string, value: T, at: Date): Promise<T> {
  await db
    .insertInto('workspace_settings')
    .values({ key, value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await readSetting<T>(db, key)) as T;
}
