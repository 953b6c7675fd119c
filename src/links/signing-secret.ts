// The workspace's link-signing secret, created on first use. Rotating it revokes every link already sent.
import type { Executor } from '../db/transaction.js';
import { getSetting, putSetting, putSettingOnce } from '../workspace/index.js';
import { newSecret } from './tokens.js';

const KEY = 'signing_secret';

export async function getSigningSecret(db: Executor): Promise<string> {
  return (await getSetting<string>(db, KEY)) ?? putSettingOnce(db, KEY, newSecret(), new Date());
}

export async function rotateSigningSecret(db: Executor, at: Date) {
  await putSetting(db, KEY, newSecret(), at);
}
