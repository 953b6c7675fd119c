// A campaign's report: what was sent, what consent, suppression, caps and quiet hours held back (and why), and
// the engagement of what was sent. Read from the ledger, so it is the same whether the campaign is running or done.
import { getCampaign } from '../campaigns/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { campaignOutcomes, tallyOutcomes } from '../delivery/index.js';
import { clicksByLink, hitCounts } from '../tracking/index.js';

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

export async function campaignReport(db: Database, id: number) {
  const campaign = await getCampaign(db, id);
  const t = tallyOutcomes(await campaignOutcomes(db, id));
  const { sent } = t.status;
  const e = t.engagement;
  const [hits, byLink] = await Promise.all([hitCounts(db, id), clicksByLink(db, id)]);
  const tracked = (kind: 'open' | 'click') => {
    const of = (c: 'human' | 'machine') => hits.find((h) => h.kind === kind && h.class === c) ?? { hits: 0, messages: 0 };
    return { human: of('human').hits, machine: of('machine').hits, unique_human: of('human').messages, unique_machine: of('machine').messages };
  };
  return {
    campaign: {
      id: campaign.id, name: campaign.name, channel: campaign.channel, kind: campaign.kind, priority: campaign.priority, status: campaign.status,
      launched_at: campaign.launched_at, completed_at: campaign.completed_at,
    },
    delivery: { audience: t.audience, targeted: t.targeted, ...t.status },
    held_back: t.held_back,
    // Pending messages waiting for their window: quiet hours, or a cap window that reopens (on_cap: defer).
    deferred: { quiet_hours: t.deferred.quiet_hours, caps: t.deferred.caps },
    engagement: {
      ...e,
      // Every raw hit of the pixel and the tracked links, human and machine side by side (docs/TRACKING.md); unique
      // counts are messages with at least one such hit.
      opens: tracked('open'),
      clicks: { ...tracked('click'), by_link: byLink },
      // Over messages sent. Opens and clicks are the first human ones recorded for each message.
      rates: { open: rate(e.opened, sent), click: rate(e.clicked, sent), reply: rate(e.replied, sent), conversion: rate(e.converted, sent) },
    },
  };
}
