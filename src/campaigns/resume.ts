import type { Deps } from '../deps.js';
import { listSendingCampaignIds } from './campaigns.repository.js';
import { launchDueCampaigns } from './campaigns.service.js';
import { sendCampaign } from './sender.js';

/**
 * Launches the scheduled campaigns that are due, then starts a sender for every campaign sending (those, those after a
 * restart, or with messages deferred by quiet hours, caps or a local time), skipping those this process already runs.
 * Node calls it every minute (`npm run sender` too), the Worker's cron too.
 */
export async function resumeSending(deps: Deps, running: Set<number> = new Set()) {
  await launchDueCampaigns(deps);
  for (const id of await listSendingCampaignIds(deps.db)) {
    if (running.has(id)) continue;
    running.add(id);
    deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id).finally(() => running.delete(id)));
  }
}
