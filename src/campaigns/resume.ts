import type { Deps } from '../deps.js';
import { listSendingCampaignIds } from './campaigns.repository.js';
import { sendCampaign } from './sender.js';

/**
 * Starts a sender for every campaign still sending (after a restart, or with messages deferred by quiet
 * hours or caps), skipping those this process already runs. Node calls it every minute, the Worker's cron too.
 */
export async function resumeSending(deps: Deps, running: Set<number> = new Set()) {
  for (const id of await listSendingCampaignIds(deps.db)) {
    if (running.has(id)) continue;
    running.add(id);
    deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id).finally(() => running.delete(id)));
  }
}
