import type { Database } from '../db/database.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { findTopicByKey } from '../consent/consent.repository.js';
import { findTemplate } from '../templates/templates.repository.js';
import { listExistingListIds } from '../segments/lists.repository.js';
import { audienceFilter, audienceListIds, audienceSegmentIds, type Audience } from './audience.js';
import { findSegment } from '../segments/segments.repository.js';
import { compile as compileSegment } from '../segments/segments.service.js';
import type { Sql } from '../segments/fields.js';
import {
  cancelPending, countMessages, findCampaign, insertCampaign, listCampaigns, lockCampaign, setCampaignStatus, snapshotAudience,
} from './campaigns.repository.js';
import { sendCampaign } from './sender.js';
import { lockForSnapshot } from '../db/locks.js';
import { withUnsubscribeFooter } from './content.js';
import { textTemplate } from '../templates/templates.service.js';

export interface CampaignInput {
  name: string;
  channel: 'email' | 'sms';
  template_id: number;
  topic: string;
  audience: Audience;
  kind?: 'marketing' | 'transactional';
  priority?: 'high' | 'normal' | 'low';
  on_cap?: 'skip' | 'defer';
  deadline?: string;
}

export async function createCampaign(db: Database, input: CampaignInput, at: Date) {
  const problems: FieldProblem[] = [];
  const template = await findTemplate(db, input.template_id);
  if (!template) problems.push({ field: 'template_id', message: `template ${input.template_id} does not exist` });
  else if (template.channel !== input.channel) {
    problems.push({ field: 'template_id', message: `template ${input.template_id} is an ${template.channel} template, not ${input.channel}` });
  }
  const topic = await findTopicByKey(db, input.topic);
  if (!topic) problems.push({ field: 'topic', message: `topic "${input.topic}" does not exist` });
  const wanted = audienceListIds(input.audience);
  if (wanted.length) {
    const existing = new Set(await listExistingListIds(db, wanted));
    const missing = wanted.filter((id) => !existing.has(id));
    if (missing.length) problems.push({ field: 'list_ids' in input.audience ? 'audience.list_ids' : 'audience', message: `no such list: ${missing.join(', ')}` });
  }
  for (const id of audienceSegmentIds(input.audience)) {
    if (!(await findSegment(db, id))) problems.push({ field: 'audience', message: `no such segment: ${id}` });
  }
  if (problems.length) throw new InvalidInputError('Invalid campaign', problems);
  const row = await insertCampaign(
    db,
    {
      name: input.name, channel: input.channel, template_id: input.template_id, topic_id: Number(topic!.id), audience: input.audience,
      kind: input.kind ?? 'marketing', priority: input.priority ?? 'normal', on_cap: input.on_cap ?? 'skip',
      deadline: input.deadline ? new Date(input.deadline) : null,
    },
    at,
  );
  return getCampaign(db, Number(row.id));
}

export async function getCampaign(db: Database, id: number) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const { content: _content, ...rest } = campaign;
  return { ...rest, counts: summarise(await countMessages(db, id)) };
}

export async function findCampaigns(db: Database, page: { after?: number; limit: number }) {
  return listCampaigns(db, page);
}

export interface CampaignCounts {
  audience: number;
  targeted: number;
  pending: number;
  /** Of the pending: held until quiet hours end or a cap window reopens. */
  deferred: number;
  sending: number;
  sent: number;
  failed: number;
  cancelled: number;
  skipped: Record<string, number>;
  /** Messages held back by each pressure rule (skipped or deferred). */
  capped_by: Record<string, number>;
}

/** `targeted` is everyone who may receive the message; `skipped` says why the rest won't. */
export function summarise(
  rows: Array<{ status: string; skip_reason: string | null; capped_by?: string | null; deferred?: boolean; n: number | string }>,
): CampaignCounts {
  const counts: CampaignCounts = {
    audience: 0, targeted: 0, pending: 0, deferred: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, skipped: {}, capped_by: {},
  };
  for (const r of rows) {
    const n = Number(r.n);
    counts.audience += n;
    if (r.capped_by && (r.status === 'skipped' || r.status === 'pending')) counts.capped_by[r.capped_by] = (counts.capped_by[r.capped_by] ?? 0) + n;
    if (r.deferred) counts.deferred += n;
    if (r.status === 'skipped') {
      const reason = r.skip_reason ?? 'unknown';
      counts.skipped[reason] = (counts.skipped[reason] ?? 0) + n;
      continue;
    }
    counts.targeted += n;
    if (r.status in counts) (counts as unknown as Record<string, number>)[r.status] += n;
  }
  return counts;
}

/**
 * Launch: in one transaction, freeze the template content and snapshot the audience into the ledger.
 * Launching again while sending is a no-op; the ledger's unique key means nobody gets a second message.
 */
export async function launchCampaign(deps: Deps, id: number) {
  const { db, clock } = deps;
  const at = clock();
  await db.transaction().execute(async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'sending') return;
    if (campaign.status !== 'draft') throw new ConflictError(`Campaign ${id} is ${campaign.status}; only a draft can be launched`);
    await lockForSnapshot(trx);
    const template = await findTemplate(trx as unknown as Database, Number(campaign.template_id));
    if (!template) throw new ConflictError(`Template ${campaign.template_id} no longer exists`);
    const marketing = campaign.kind !== 'transactional';
    const html = template.compiled_html ? (marketing ? withUnsubscribeFooter(template.compiled_html) : template.compiled_html) : null;
    const content = {
      channel: template.channel,
      template_version: template.version,
      subject: template.subject,
      compiled_html: html,
      text_template: html ? textTemplate(html) : null,
      text: template.text,
    };
    // Segments are evaluated now, once: later edits to a segment don't change this campaign.
    const audience = campaign.audience as Audience;
    const segments = new Map<number, Sql>();
    for (const segmentId of audienceSegmentIds(audience)) {
      const segment = await findSegment(trx, segmentId);
      if (!segment) throw new ConflictError(`Segment ${segmentId} no longer exists`);
      // On the launch transaction: PGlite has one connection, and the snapshot must see what the rule saw.
      segments.set(segmentId, await compileSegment(trx as unknown as Database, segment.rule, at));
    }
    await snapshotAudience(
      trx,
      { id, channel: campaign.channel as 'email' | 'sms', topic_id: Number(campaign.topic_id), kind: campaign.kind as 'marketing' | 'transactional' },
      audienceFilter(audience, segments),
      at,
    );
    await setCampaignStatus(trx, id, ['draft'], 'sending', at, { content });
  });
  deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id));
  return getCampaign(db, id);
}

export async function cancelCampaign(db: Database, id: number, at: Date) {
  await db.transaction().execute(async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'cancelled') return;
    if (campaign.status === 'sent') throw new ConflictError(`Campaign ${id} has already been sent`);
    await setCampaignStatus(trx, id, ['draft', 'sending'], 'cancelled', at);
    await cancelPending(trx, id, at);
  });
  return getCampaign(db, id);
}
