// The workspace's link-signing secret, created on first use. Rotating it revokes every link already sent.
import { writeAudit, type Actor } from '../audit/index.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { getSetting, putSetting, putSettingOnce } from '../workspace/index.js';
import { newSecret } from './tokens.js';

const KEY = 'signing_secret';

export async function getSigningSecret(db: Executor): Promise<string> {
  return (await getSetting<string>(db, KEY)) ?? putSettingOnce(db, KEY, newSecret(), new Date());
}

// The secret as last read, per database handle (the Node process's one; a Worker's per-request handle caches nothing).
const recent = new WeakMap<object, { secret: string; at: number }>();
const FRESH_MS = 60_000;

/**
 * The secret, read at most once a minute: for endpoints hit at volume (tracking). A token that fails with it should be
 * checked again with `getSigningSecret`, in case the secret was rotated meanwhile (`verifyWithFreshSecret`).
 */
export async function recentSigningSecret(db: Executor): Promise<{ secret: string; cached: boolean }> {
  const hit = recent.get(db);
  if (hit && Date.now() - hit.at < FRESH_MS) return { secret: hit.secret, cached: true };
  const secret = await getSigningSecret(db);
  recent.set(db, { secret, at: Date.now() });
  return { secret, cached: false };
}

/** Runs `check` with the recent secret, and once more with the current one if that failed on a cached secret. */
export async function withRecentSecret<T>(db: Executor, check: (secret: string) => Promise<T | undefined>): Promise<T | undefined> {
  const { secret, cached } = await recentSigningSecret(db);
  const result = await check(secret);
  if (result !== undefined || !cached) return result;
  const current = await getSigningSecret(db);
  // Cached again either way: a stream of forged tokens must not turn every request into a settings read.
  recent.set(db, { secret: current, at: Date.now() });
  return current === secret ? undefined : check(current);
}

/** A new secret, audited: links already sent stop working (in this process at once, in others within a minute). */
export async function rotateSigningSecret(db: Executor, change: { actor: Actor; at: Date }) {
  await inTransaction(db, async (trx) => {
    await putSetting(trx, KEY, newSecret(), change.at);
    await writeAudit(trx, { actor: change.actor, action: 'settings.signing_secret_rotated' }, change.at);
  });
  recent.delete(db);
}
