// Before launch: how many recipients consent, suppression, caps and quiet hours would hold back, and why.
import type { Database } from '../db/database.js';
import { NotFoundError } from '../errors.js';
import type { Priority } from '../consent/pressure.rules.js';
import { previewPressure } from '../consent/pressure.service.js';
import { findSegment } from '../segments/segments.repository.js';
import { compile as compileSegment } from '../segments/segments.service.js';
import type { Sql } from '../segments/fields.js';
import { audienceFilter, audienceSegmentIds, type Audience } from './audience.js';
import { findCampaign } from './campaigns.repository.js';
import { consentHoldBacks, eligibility } from './preview.repository.js';

export async function previewCampaign(db: Database, id: number, now: Date) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const audience = campaign.audience as Audience;
  const segments = new Map<number, Sql>();
  for (const segmentId of audienceSegmentIds(audience)) {
    const segment = await findSegment(db, segmentId);
    if (segment) segments.set(segmentId, await compileSegment(db, segment.rule, now));
  }
  const filter = audienceFilter(audience, segments);
  const c = { channel: campaign.channel as 'email' | 'sms', topicId: Number(campaign.topic_id), kind: campaign.kind };
  const totals = await consentHoldBacks(db, c, filter, now);
  const n = (k: string) => Number(totals[k] ?? 0);
  // Transactional messages are neither capped nor held by quiet hours.
  const pressure = campaign.kind === 'transactional'
    ? { capped: {}, deferred_by_quiet_hours: 0 }
    : await previewPressure(db, { channel: c.channel, priority: campaign.priority as Priority, audience: filter, eligible: eligibility(c, now).eligible }, now);
  return {
    audience: n('audience'),
    eligible: n('eligible'),
    held_back: {
      no_address: n('no_address'),
      not_subscribed: n('not_subscribed'),
      unsubscribed: n('unsubscribed'),
      pending_confirmation: n('pending'),
      paused: n('paused'),
      suppressed: n('suppressed'),
      // Contacts already at a cap in its current window (campaigns running at the same time are not foreseen).
      capped: pressure.capped,
    },
    // Eligible contacts outside their send window now: a launch would defer them, not drop them.
    deferred_by_quiet_hours: pressure.deferred_by_quiet_hours,
  };
}
