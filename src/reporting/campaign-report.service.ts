// A campaign's report: what was sent, what consent, suppression, caps and quiet hours held back (and why), and
// the engagement of what was sent. Read from the ledger, so it is the same whether the campaign is running or done.
import type { Database } from '../db/database.js';
import { getCampaign } from '../campaigns/campaigns.service.js';
import { campaignOutcomes } from './campaign-report.repository.js';

const CONSENT_REASONS = { not_subscribed: 'not_subscribed', unsubscribed: 'unsubscribed', pending: 'pending_confirmation', paused: 'paused' } as const;

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

export async function campaignReport(db: Database, id: number) {
  const campaign = await getCampaign(db, id);
  const rows = await campaignOutcomes(db, id);
  const delivery = { audience: 0, targeted: 0, sent: 0, failed: 0, pending: 0, sending: 0, cancelled: 0 };
  const consent: Record<(typeof CONSENT_REASONS)[keyof typeof CONSENT_REASONS], number> = { not_subscribed: 0, unsubscribed: 0, pending_confirmation: 0, paused: 0 };
  const heldBack = { no_address: 0, suppressed: 0, contact_deleted: 0, deadline: 0, capped: {} as Record<string, number> };
  const deferred = { quiet_hours: 0, caps: {} as Record<string, number> };
  const engagement = { opened: 0, clicked: 0, replied: 0, converted: 0 };
  const bump = (to: Record<string, number>, key: string, n: number) => (to[key] = (to[key] ?? 0) + n);
  for (const r of rows) {
    delivery.audience += r.n;
    if (r.status === 'skipped') {
      const reason = r.skip_reason ?? 'unknown';
      if (reason in CONSENT_REASONS) consent[CONSENT_REASONS[reason as keyof typeof CONSENT_REASONS]] += r.n;
      else if (reason === 'capped') bump(heldBack.capped, r.capped_by ?? 'cap', r.n);
      else bump(heldBack as unknown as Record<string, number>, reason, r.n);
      continue;
    }
    delivery.targeted += r.n;
    if (r.status in delivery) (delivery as Record<string, number>)[r.status] += r.n;
    if (r.deferred) {
      if (r.capped_by) bump(deferred.caps, r.capped_by, r.n);
      else deferred.quiet_hours += r.n;
    }
    if (r.status === 'sent') for (const k of ['opened', 'clicked', 'replied', 'converted'] as const) engagement[k] += r[k];
  }
  return {
    campaign: {
      id: campaign.id, name: campaign.name, channel: campaign.channel, kind: campaign.kind, priority: campaign.priority, status: campaign.status,
      launched_at: campaign.launched_at, completed_at: campaign.completed_at,
    },
    delivery,
    held_back: { consent, ...heldBack },
    // Pending messages waiting for their window: quiet hours, or a cap window that reopens (on_cap: defer).
    deferred,
    engagement: {
      ...engagement,
      // Over messages sent. Opens and clicks are the first human ones recorded for each message.
      rates: { open: rate(engagement.opened, delivery.sent), click: rate(engagement.clicked, delivery.sent), reply: rate(engagement.replied, delivery.sent), conversion: rate(engagement.converted, delivery.sent) },
    },
  };
}
