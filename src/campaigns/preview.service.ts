// Before launch: how many recipients consent, suppression, caps and quiet hours would hold back, and why.
import { sql, type RawBuilder } from 'kysely';
import { withStatementTimeout } from '../db/statement-timeout.js';
import type { Executor as Database } from '../db/transaction.js';
import { CONSENT_LABELS, CONSENT_REASONS, recipientsSql, type SendTarget } from '../delivery/index.js';
import { NotFoundError } from '../errors.js';
import { previewPressure, type Priority } from '../pressure/index.js';
import { findLanguages, variantKey, type FrozenContent } from '../templates/index.js';
import type { QueryLimits } from '../segments/index.js';
import { audienceOf } from './audience.service.js';
import { findCampaign } from './campaigns.repository.js';
import { countByReasonAndLocale } from './preview.repository.js';

/** Under a statement timeout when `limits` give one (the API always does). */
export async function previewCampaign(db: Database, id: number, now: Date, limits: QueryLimits = {}) {
  const run = (d: Database) => previewNow(d, id, now);
  return limits.statementTimeoutMs === undefined ? run(db) : withStatementTimeout(db, limits.statementTimeoutMs, run);
}

async function previewNow(db: Database, id: number, now: Date) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const audience = await audienceOf(db, campaign, now);
  const target = targetOf(campaign);
  const rows = await countByReasonAndLocale(db, recipientsSql(target, audience, now, sql`c.locale`));
  const counts = new Map<string | null, number>();
  for (const row of rows) counts.set(row.reason, (counts.get(row.reason) ?? 0) + row.n);
  const n = (reason: string | null) => counts.get(reason) ?? 0;
  // Which language variant each eligible contact would get: the content frozen at launch, else the template's now.
  const languages = (campaign.content as FrozenContent | null) ?? (await findLanguages(db, Number(campaign.template_id))) ?? {};
  const variants: Record<string, number> = {};
  for (const row of rows.filter((r) => r.reason === null)) {
    const key = variantKey(languages, row.locale);
    variants[key] = (variants[key] ?? 0) + row.n;
  }
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
    variants,
  };
}

/** What a campaign sends, for the hold-back questions. */
export function targetOf(campaign: { channel: string; topic_id: number | string; kind: string }): SendTarget {
  return { channel: campaign.channel as SendTarget['channel'], topicId: Number(campaign.topic_id), kind: campaign.kind === 'transactional' ? 'transactional' : 'marketing' };
}
