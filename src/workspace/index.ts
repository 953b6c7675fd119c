// Workspace settings: every domain keeps its workspace-wide choices here, under its own key.
import type { Executor } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import { writeAudit, type Actor } from '../audit/index.js';
import { readSetting, writeSetting, writeSettingOnce } from './settings.repository.js';

export { readSetting as getSetting, writeSettingOnce as putSettingOnce };

/** Saves a setting and records who changed it in the audit log (action `settings.<name>`), in one transaction. */
export async function changeSetting(
  db: Executor, key: string, value: unknown, change: { actor: Actor; action?: string; details?: Record<string, unknown> }, at: Date,
) {
  await inTransaction(db, async (trx) => {
    await writeSetting(trx, key, value, at);
    await writeAudit(trx, { actor: change.actor, action: change.action ?? `settings.${key}`, details: change.details ?? { value } }, at);
  });
}

/** Saves a setting the system keeps for itself (not a person's change): nothing is audited. */
export async function putSetting(db: Executor, key: string, value: unknown, at: Date) {
  await writeSetting(db, key, value, at);
}
