// Before launch: how many recipients consent, suppression, caps and quiet hours would hold back, and why.
import type { Database } from '../db/database.js';
import { NotFoundError } from '../errors.js';
import { allowance, describeRule, type Priority } from '../consent/pressure.rules.js';
import { pressureRules, quietHoursRules } from '../consent/pressure.service.js';
import { createHolidayCalendar, nextOpening } from '../consent/quiet-hours.js';
import { defaultCountry } from '../contacts/contact-fields.js';
import { findSegment } from '../segments/segments.repository.js';
import { compile as compileSegment } from '../segments/segments.service.js';
import type { Sql } from '../segments/fields.js';
import { audienceFilter, audienceSegmentIds, type Audience } from './audience.js';
import { findCampaign } from './campaigns.repository.js';
import { holdBacks } from './preview.repository.js';

export async function previewCampaign(db: Database, id: number, now: Date) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const audience = campaign.audience as Audience;
  const segments = new Map<number, Sql>();
  for (const segmentId of audienceSegmentIds(audience)) {
    const segment = await findSegment(db, segmentId);
    if (segment) segments.set(segmentId, await compileSegment(db, segment.rule, now));
  }
  const marketing = campaign.kind !== 'transactional';
  const caps = marketing ? (await pressureRules(db)).filter((r) => r.channel === campaign.channel) : [];
  const { totals, zones } = await holdBacks(
    db,
    {
      channel: campaign.channel as 'email' | 'sms', topicId: Number(campaign.topic_id), kind: campaign.kind,
      allowanceOf: (r) => allowance(r, campaign.priority as Priority),
    },
    audienceFilter(audience, segments),
    caps,
    now,
  );
  const n = (k: string) => Number(totals[k] ?? 0);
  const capped = Object.fromEntries(caps.map((r, i) => [describeRule(r), n(`cap_${i}`)]).filter(([, v]) => (v as number) > 0));
  let quiet = 0;
  if (marketing) {
    const rules = await quietHoursRules(db);
    const isHoliday = createHolidayCalendar();
    for (const z of zones) {
      if (nextOpening(rules, campaign.channel, z.timezone, defaultCountry(z.locale, z.country), now, isHoliday)) quiet += Number(z.n);
    }
  }
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
      capped,
    },
    // Eligible contacts outside their send window now: a launch would defer them, not drop them.
    deferred_by_quiet_hours: quiet,
  };
}
