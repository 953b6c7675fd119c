import type { SendableChannel } from '../channels/index.js';
import { findTopicByKey } from '../consent/index.js';
import { lockForSnapshot } from '../db/locks.js';
import { withStatementTimeout } from '../db/statement-timeout.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { cancelPending, campaignOutcomes, insertSnapshot, recipientsSql, tallyOutcomes } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { findSegment, listExistingListIds } from '../segments/index.js';
import { findTemplate, findTemplateWithVariants, frozenContent } from '../templates/index.js';
import { audienceListIds, audienceSegmentIds, type Audience } from './audience.js';
import { audienceOf } from './audience.service.js';
import { findCampaign, insertCampaign, listCampaigns, lockCampaign, setCampaignStatus } from './campaigns.repository.js';
import { progressOf, progressWindowStart } from './progress.js';
import { targetOf } from './preview.service.js';
import { sendCampaign } from './sender.js';

export interface CampaignInput {
  name: string;
  channel: SendableChannel;
  template_id: number;
  topic: string;
  audience: Audience;
  kind?: 'marketing' | 'transactional';
  priority?: 'high' | 'normal' | 'low';
  on_cap?: 'skip' | 'defer';
  deadline?: string;
  /** The open pixel; true unless switched off. */
  track_opens?: boolean;
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
  // A segment too big or no longer valid is refused now rather than at launch.
  await audienceOf(db, { audience: input.audience }, at);
  const row = await insertCampaign(
    db,
    {
      name: input.name, channel: input.channel, template_id: input.template_id, topic_id: Number(topic!.id), audience: input.audience,
      kind: input.kind ?? 'marketing', priority: input.priority ?? 'normal', on_cap: input.on_cap ?? 'skip',
      deadline: input.deadline ? new Date(input.deadline) : null, track_opens: input.track_opens ?? true,
    },
    at,
  );
  return getCampaign(db, Number(row.id), at);
}

/** The campaign's row with its frozen content, no counts: for readers that count for themselves (the report). */
export async function getCampaignRecord(db: Database, id: number) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  return campaign;
}

/** The campaign with its counts and its progress at `at` (the sending rate is over the minutes before it). */
export async function getCampaign(db: Database, id: number, at: Date = new Date()) {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new NotFoundError('Campaign', id);
  const { content: _content, ...rest } = campaign;
  const since = progressWindowStart(campaign, at);
  const tally = tallyOutcomes(await campaignOutcomes(db, id, since));
  return { ...rest, counts: countsOf(tally), progress: progressOf(campaign, tally, since, at) };
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
  /** Of the pending: to be tried again after a retryable failure (throttling, 5xx, timeout), once its backoff is over. */
  retrying: number;
  sending: number;
  sent: number;
  failed: number;
  cancelled: number;
  skipped: Record<string, number>;
  /** Messages held back by each pressure rule (skipped or deferred). */
  capped_by: Record<string, number>;
}

/** `targeted` is everyone who may receive the message; `skipped` says why the rest won't. */
export function summarise(rows: Parameters<typeof tallyOutcomes>[0]): CampaignCounts {
  return countsOf(tallyOutcomes(rows));
}

function countsOf(t: ReturnType<typeof tallyOutcomes>): CampaignCounts {
  return {
    audience: t.audience, targeted: t.targeted, ...t.status, deferred: t.deferred.total, retrying: t.retrying, skipped: t.skipped, capped_by: t.capped_by,
  };
}

/**
 * Launch: in one transaction, freeze the template content and snapshot the audience into the ledger.
 * Launching again while sending is a no-op; the ledger's unique key means nobody gets a second message.
 */
export async function launchCampaign(deps: Deps, id: number) {
  const { db, clock } = deps;
  const at = clock();
  await withStatementTimeout(db, deps.config.statementTimeoutMs.launch, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'sending') return;
    if (campaign.status !== 'draft') throw new ConflictError(`Campaign ${id} is ${campaign.status}; only a draft can be launched`);
    await lockForSnapshot(trx);
    const template = await findTemplateWithVariants(trx, Number(campaign.template_id));
    if (!template) throw new ConflictError(`Template ${campaign.template_id} no longer exists`);
    // Every language variant is frozen; the sender picks each recipient's.
    const content = frozenContent(template, template.variants, { marketing: campaign.kind !== 'transactional' });
    const audience = await audienceOf(trx, campaign, at, { strict: true });
    await insertSnapshot(trx, { id, channel: campaign.channel }, recipientsSql(targetOf(campaign), audience, at), at);
    await setCampaignStatus(trx, id, ['draft'], 'sending', at, { content });
  });
  // With SEND_IN_PROCESS=false, `npm run sender` processes pick it up (SENDER_POLL_MS).
  if (deps.config.sendInProcess) deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id));
  return getCampaign(db, id, at);
}

export async function cancelCampaign(db: Database, id: number, at: Date) {
  await inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'cancelled') return;
    if (campaign.status === 'sent') throw new ConflictError(`Campaign ${id} has already been sent`);
    await setCampaignStatus(trx, id, ['draft', 'sending', 'paused'], 'cancelled', at);
    await cancelPending(trx, id, at);
  });
  return getCampaign(db, id, at);
}

/**
 * Pause: the senders stop claiming after the batch in hand (those messages finish); nothing pending is touched.
 * Pausing a paused campaign changes nothing; anything but a sending campaign is a 409.
 */
export async function pauseCampaign(db: Database, id: number, at: Date) {
  await inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'paused') return;
    if (campaign.status !== 'sending') throw new ConflictError(`Campaign ${id} is ${campaign.status}; only a campaign that is sending can be paused`);
    await setCampaignStatus(trx, id, ['sending'], 'paused', at, { reason: 'manual' });
  });
  return getCampaign(db, id, at);
}

/**
 * Resume: back to sending, and a sender starts as at launch. Only pending messages are claimed, so nobody gets the
 * message twice. Resuming a sending campaign changes nothing; anything but a paused campaign is a 409.
 */
export async function resumeCampaign(deps: Deps, id: number) {
  const at = deps.clock();
  const resumed = await inTransaction(deps.db, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'sending') return false;
    if (campaign.status !== 'paused') throw new ConflictError(`Campaign ${id} is ${campaign.status}; only a paused campaign can be resumed`);
    return setCampaignStatus(trx, id, ['paused'], 'sending', at);
  });
  if (resumed && deps.config.sendInProcess) deps.background.run(`campaign ${id}`, () => sendCampaign(deps, id));
  return getCampaign(deps.db, id, at);
}
