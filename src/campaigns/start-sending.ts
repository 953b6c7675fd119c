// Where a campaign's sending starts, whatever started it (a launch, a resume, a scheduled launch, an A/B winner):
// one place that knows how this runtime sends.
import type { Deps } from '../deps.js';
import { sendCampaign } from './sender.js';

/** Starts sending a campaign that is `sending`: on Node, a sender in this process unless SEND_IN_PROCESS=false. */
export function startSending(deps: Deps, campaignId: number) {
  if (deps.config.sendInProcess) deps.background.run(`campaign ${campaignId}`, () => sendCampaign(deps, campaignId));
}
