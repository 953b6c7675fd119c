import { deliversInBatches, placedForAgents, postsToEndpoint, type SendableChannel } from '../channels/index.js';
import { findTopicByKey } from '../consent/index.js';
import { lockForSnapshot } from '../db/locks.js';
import { withStatementTimeout } from '../db/statement-timeout.js';
import { inTransaction, type Executor as Database, type Trx } from '../db/transaction.js';
import { cancelPending, campaignOutcomes, findEndpoint, insertSnapshot, recipientsSql, tallyOutcomes } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import { findSegment, listExistingListIds } from '../segments/index.js';
import { findTemplate, findTemplateWithVariants, frozenContent } from '../templates/index.js';
import type { AbTest } from './ab-test.js';
import { campaignAbTest, checkAbTest, launchAbTest } from './ab-test.service.js';
import { audienceListIds, audienceSegmentIds, type Audience } from './audience.js';
import { audienceOf } from './audience.service.js';
import {
  findCampaign, insertCampaign, listCampaigns, listDueCampaignIds, localTimeSql, lockCampaign, setCampaignStatus,
} from './campaigns.repository.js';
import { progressOf, progressWindowStart } from './progress.js';
import { targetOf } from './preview.service.js';
import { startSending } from './start-sending.js';

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
  /** A webhook campaign's endpoint (POST /v1/webhook-endpoints). */
  endpoint_id?: number;
  /** A postal campaign's letters carry a reply coupon (true unless switched off). */
  reply_coupon?: boolean;
  /** Variants tested on a share of the audience; the winner goes to the rest (ab-test.service.ts). */
  ab_test?: AbTest;
}

export async function createCampaign(db: Database, input: CampaignInput, at: Date) {
  // Webhook messages and canvassing calls go through consent (calls need it beforehand): a transactional one would
  // reach everyone, without it.
  if ((postsToEndpoint(input.channel) || placedForAgents(input.channel)) && input.kind === 'transactional') {
    throw new InvalidInputError('Invalid campaign', [{ field: 'kind', message: `${input.channel} campaigns are marketing: each recipient consents to the topic` }]);
  }
  if (input.reply_coupon !== undefined && !deliversInBatches(input.channel)) {
    throw new InvalidInputError('Invalid campaign', [{ field: 'reply_coupon', message: `only letters carry a reply coupon, not ${input.channel} messages` }]);
  }
  const topicId = await checkCampaignInput(db, input, at, { endpoints: true });
  if (input.ab_test) await checkAbTest(db, { ...input, ab_test: input.ab_test });
  const row = await insertCampaign(
    db,
    {
      name: input.name, channel: input.channel, template_id: input.template_id, topic_id: topicId, audience: input.audience,
      kind: input.kind ?? 'marketing', priority: input.priority ?? 'normal', on_cap: input.on_cap ?? 'skip',
      deadline: input.deadline ? new Date(input.deadline) : null, track_opens: input.track_opens ?? true, ab_test: input.ab_test,
      endpoint_id: input.endpoint_id ?? null, reply_coupon: input.reply_coupon ?? true,
    },
    at,
  );
  return getCampaign(db, Number(row.id), at);
}

/**
 * What a campaign is made of, checked as at its creation (a recurring schedule's too): its template (of its
 * channel), topic, lists and segments exist, and its segments are valid now. A 422 naming each problem; else the
 * topic's id.
 */
export async function checkCampaignInput(
  db: Database, input: Pick<CampaignInput, 'channel' | 'template_id' | 'topic' | 'audience' | 'endpoint_id'>, at: Date, options: { endpoints?: boolean } = {},
) {
  const problems: FieldProblem[] = [];
  // A webhook campaign posts to its endpoint; no other campaign names one. Schedules cannot carry one yet.
  if (postsToEndpoint(input.channel)) {
    if (!options.endpoints) problems.push({ field: 'channel', message: `a schedule cannot make ${input.channel} campaigns yet` });
    else if (input.endpoint_id === undefined) problems.push({ field: 'endpoint_id', message: `a ${input.channel} campaign names the endpoint it posts to` });
    else if (!(await findEndpoint(db, input.endpoint_id))) problems.push({ field: 'endpoint_id', message: `webhook endpoint ${input.endpoint_id} does not exist` });
  } else if (input.endpoint_id !== undefined) {
    problems.push({ field: 'endpoint_id', message: `only webhook campaigns post to an endpoint, not ${input.channel} ones` });
  }
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
  return Number(topic!.id);
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
  return { ...rest, counts: countsOf(tally), progress: progressOf(campaign, tally, since, at), ab_test_view: await campaignAbTest(db, campaign) };
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
  /** Of the pending: held until their recipient's local time (a launch with local_time); not counted in deferred. */
  local_time: number;
  /** Of the pending: to be tried again after a retryable failure (throttling, 5xx, timeout), once its backoff is over. */
  retrying: number;
  /** Of the pending: the rest of an A/B test's audience, held until the winner is chosen; not counted in deferred. */
  waiting_for_winner: number;
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
    audience: t.audience, targeted: t.targeted, ...t.status, deferred: t.deferred.total, local_time: t.deferred.local_time, retrying: t.retrying,
    waiting_for_winner: t.deferred.ab_winner, skipped: t.skipped, capped_by: t.capped_by,
  };
}

/**
 * How a launch sends: now (no option), later (`at`: the campaign is `scheduled` until then), or now with each message
 * held until `local_time` in its recipient's zone (`if_passed`: tomorrow's, or at once, when today's is over).
 */
export type LaunchOptions = { at?: string; local_time?: string; if_passed?: 'now' | 'next_day' };

/** How far ahead a launch may be scheduled. */
const MAX_SCHEDULE_YEARS = 1;

/**
 * Launch: in one transaction, freeze the template content and snapshot the audience into the ledger; or, with `at`,
 * schedule it (`jobs.everyMinute` launches it when due). Launching again while sending is a no-op (the ledger's unique
 * key means nobody gets a second message); a scheduled campaign is a 409: cancel it to launch it otherwise.
 */
export async function launchCampaign(deps: Deps, id: number, options: LaunchOptions = {}) {
  const { db, clock } = deps;
  const at = clock();
  const scheduledAt = options.at === undefined ? undefined : scheduleTime(options.at, at);
  const scheduled = await withStatementTimeout(db, deps.config.statementTimeoutMs.launch, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'sending') return false;
    if (campaign.status === 'scheduled') {
      throw new ConflictError(`Campaign ${id} is scheduled for ${new Date(campaign.scheduled_at!).toISOString()}; cancel it to launch it otherwise`);
    }
    if (campaign.status !== 'draft') throw new ConflictError(`Campaign ${id} is ${campaign.status}; only a draft can be launched`);
    if (scheduledAt) {
      // Refused now rather than when due; the audience is evaluated then.
      if (!(await findTemplate(trx, Number(campaign.template_id)))) throw new ConflictError(`Template ${campaign.template_id} no longer exists`);
      return setCampaignStatus(trx, id, ['draft'], 'scheduled', at, { scheduledAt });
    }
    const content = await snapshot(trx, campaign, at, options);
    await setCampaignStatus(trx, id, ['draft'], 'sending', at, { content });
    return false;
  });
  // With SEND_IN_PROCESS=false, `npm run sender` processes pick it up (SENDER_POLL_MS).
  if (!scheduled) startSending(deps, id);
  return getCampaign(db, id, at);
}

function scheduleTime(iso: string, now: Date): Date {
  const when = new Date(iso);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_SCHEDULE_YEARS);
  const problem = when <= now ? 'must be in the future' : when > latest ? `must be at most ${MAX_SCHEDULE_YEARS} year ahead` : undefined;
  if (problem) throw new InvalidInputError('Invalid launch time', [{ field: 'at', message: `${iso} ${problem}` }]);
  return when;
}

/**
 * Launches the scheduled campaigns that are due: found in one statement, each launched in its own transaction on its
 * locked row, so concurrent runs (several senders, the Worker's cron) launch each once. Starts no sender: the caller
 * (resumeSending) starts one for every campaign sending. A campaign that can no longer launch stays scheduled, logged.
 */
export async function launchDueCampaigns(deps: Deps) {
  const at = deps.clock();
  for (const id of await listDueCampaignIds(deps.db, at)) {
    try {
      await withStatementTimeout(deps.db, deps.config.statementTimeoutMs.launch, async (trx) => {
        const campaign = await lockCampaign(trx, id);
        if (campaign?.status !== 'scheduled' || new Date(campaign.scheduled_at!) > at) return; // launched or cancelled meanwhile
        const content = await snapshot(trx, campaign, at);
        await setCampaignStatus(trx, id, ['scheduled'], 'sending', at, { content });
      });
    } catch (err) {
      deps.log.error('scheduled launch failed', { campaign_id: id, error: String((err as Error).message) });
    }
  }
}

type LockedCampaign = NonNullable<Awaited<ReturnType<typeof lockCampaign>>>;

/** Snapshots the audience and returns the content to freeze; the campaign's row must be locked. */
async function snapshot(trx: Trx, campaign: LockedCampaign, at: Date, options: LaunchOptions = {}) {
  const id = Number(campaign.id);
  await lockForSnapshot(trx);
  const template = await findTemplateWithVariants(trx, Number(campaign.template_id));
  if (!template) throw new ConflictError(`Template ${campaign.template_id} no longer exists`);
  // Every language variant is frozen; the sender picks each recipient's.
  // Paper has no unsubscribe link to add: a letter's way out is its reply coupon's page and the preference center.
  const content = frozenContent(template, template.variants, { marketing: campaign.kind !== 'transactional' && !deliversInBatches(campaign.channel as SendableChannel) });
  // An A/B test: every variant frozen beside it, and the audience split (the rest held until the winner).
  const ab = await launchAbTest(trx, campaign, content, at, options);
  const audience = await audienceOf(trx, campaign, at, { strict: true });
  // At a local time: each recipient's zone is read with them, and their message held until then.
  const local = options.local_time === undefined ? undefined : localTimeSql(options.local_time, options.if_passed ?? 'next_day', at);
  await insertSnapshot(trx, { id, channel: campaign.channel }, recipientsSql(targetOf(campaign), audience, at, local?.columns), at, {
    notBefore: local?.notBefore, abSlot: ab?.abSlot,
  });
  return ab?.content ?? content;
}

export async function cancelCampaign(db: Database, id: number, at: Date) {
  await inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.status === 'cancelled') return;
    if (campaign.status === 'sent') throw new ConflictError(`Campaign ${id} has already been sent`);
    await setCampaignStatus(trx, id, ['draft', 'scheduled', 'sending', 'paused'], 'cancelled', at);
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
  if (resumed) startSending(deps, id);
  return getCampaign(deps.db, id, at);
}
