import type { Deps } from '../deps.js';
import { listSendingCampaignIds } from './campaigns.repository.js';
import { decideDueAbTests } from './ab-test.service.js';
import { launchDueCampaigns } from './campaigns.service.js';
import { requeueSendingCampaigns } from './queue-sender.js';
import { sendCampaign } from './sender.js';

/**
 * Launches the scheduled campaigns that are due, chooses the winners of the A/B tests that are due (releasing their
 * rest), then starts a sender for every campaign sending (those, those after a restart, or with messages deferred by
 * quiet hours, caps or a local time), skipping those this process already runs.
 * Node calls it every minute (`npm run sender` too), the Worker's cron too: there, with a send queue, the campaigns
 * sending are enqueued again instead, when their descriptors are done (queue-sender.ts).
 */
export async function resumeSending(deps: Deps, running: Set<number> = new Set()) {
  await launchDueCampaigns(deps);
  // A/B tests whose time has come: their winner chosen and the rest released (the senders below send it).
  await decideDueAbTests(deps);
  if (deps.sendQueue) return requeueSendingCampaigns(deps, deps.sendQueue);
  for (const id of await listSendingCampaignIds(deps.db)) {
    if (running.has(id)) continue;
    running.add(id);
    deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id).finally(() => running.delete(id)));
  }
}
