// Before launch: how many recipients consent, suppression, caps and quiet hours would hold back, and why.
import type { RawBuilder } from 'kysely';
import type { Executor as Database } from '../db/transaction.js';
import { CONSENT_LABELS, CONSENT_REASONS, recipientsSql, type SendTarget } from '../delivery/index.js';
import { NotFoundError } from '../errors.js';
import { previewPressure, type Priority } from '../pressure/index.js';
import { audienceOf } from './audience.service.js';
import { findCampaign } from './campaigns.repository.js';
import { countByReason } from './preview.repository.js';

export async function previewCampaign(db: Database, id: number, now: Date) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const audience = await audienceOf(db, campaign, now);
  const target = targetOf(campaign);
  const counts = await countByReason(db, recipientsSql(target, audience, now));
  const n = (reason: string | null) => counts.get(reason) ?? 0;
  // Transactional messages are neither capped nor held by quiet hours.
  const pressure = campaign.kind === 'transactional'
    ? { capped: {}, deferred_by_quiet_hours: 0 }
    : await previewPressure(db, {
      channel: target.channel, priority: campaign.priority as Priority,
      recipients: (columns: RawBuilder<unknown>) => recipientsSql(target, audience, now, columns),
    }, now);
  const consent = Object.fromEntries(CONSENT_REASONS.map((r) => [CONSENT_LABELS[r], n(r)])) as Record<(typeof CONSENT_LABELS)[keyof typeof CONSENT_LABELS], number>;
  return {
    audience: [...counts.values()].reduce((a, b) => a + b, 0),
    eligible: n(null),
    held_back: {
      no_address: n('no_address'),
      ...consent,
      suppressed: n('suppressed'),
      // Contacts already at a cap in its current window (campaigns running at the same time are not foreseen).
      capped: pressure.capped,
    },
    // Eligible contacts outside their send window now: a launch would defer them, not drop them.
    deferred_by_quiet_hours: pressure.deferred_by_quiet_hours,
  };
}

/** What a campaign sends, for the hold-back questions. */
export function targetOf(campaign: { channel: string; topic_id: number | string; kind: string }): SendTarget {
  return { channel: campaign.channel as SendTarget['channel'], topicId: Number(campaign.topic_id), kind: campaign.kind === 'transactional' ? 'transactional' : 'marketing' };
}
