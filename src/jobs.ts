// Work that runs on a schedule, outside any request: Node's timers and the Worker's cron call these.
import { resumeSending, runDueSchedules } from './campaigns/index.js';
import { deliverSystemMessages } from './delivery/index.js';
import type { Deps } from './deps.js';
import { sendConfirmations } from './preference-center/index.js';
import { purgeInactiveProspects } from './privacy/index.js';
import { pruneOldHits } from './tracking/index.js';

/**
 * Every minute: the runs of recurring schedules that have come (each a new campaign, scheduled at its occurrence and so
 * launched by resumeSending right after), scheduled campaigns that are due, campaigns still sending (after a restart,
 * or deferred by quiet hours, caps or a local time), double opt-in confirmations not yet asked, and messages of no
 * campaign waiting for a retry.
 */
export async function everyMinute(deps: Deps, running?: Set<number>) {
  deps.background.run('double opt-in confirmations', async () => void (await sendConfirmations(deps)));
  deps.background.run('messages of no campaign', async () => void (await deliverSystemMessages(deps)));
  await runDueSchedules(deps);
  await resumeSending(deps, running);
}

/** Once a day: prospects with no contact for RETENTION_YEARS are erased; raw hits past their retention deleted. */
export async function daily(deps: Deps) {
  await purgeInactiveProspects(deps.db, { now: deps.clock(), years: deps.config.retentionYears });
  const { deleted } = await pruneOldHits(deps.db, deps.clock(), deps.config.trackingHitsRetentionDays);
  if (deleted) deps.log.info('raw hits pruned', { deleted, retention_days: deps.config.trackingHitsRetentionDays });
}
