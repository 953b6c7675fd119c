// Where a campaign's sending starts, whatever started it (a launch, a resume, a scheduled launch, an A/B winner):
// one place that knows how this runtime sends.
import type { Deps } from '../deps.js';
import { enqueueCampaign } from './queue-sender.js';
import { sendCampaign } from './sender.js';

/**
 * Starts sending a campaign that is `sending`. On the Worker (a send queue), its due messages are enqueued as
 * descriptors after the response (waitUntil); should that fail, the every-minute cron enqueues them. On Node, a sender
 * in this process, unless SEND_IN_PROCESS=false.
 */
export function startSending(deps: Deps, campaignId: number) {
  const queue = deps.sendQueue;
  if (queue) deps.background.run(`campaign ${campaignId}`, async () => void (await enqueueCampaign(deps, queue, campaignId)));
  else if (deps.config.sendInProcess) deps.background.run(`campaign ${campaignId}`, () => sendCampaign(deps, campaignId));
}
