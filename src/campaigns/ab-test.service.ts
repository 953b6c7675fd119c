// A/B tests: checked when the campaign is created, split and frozen at launch, decided by the every-minute job once
// their time has come (or by a marketer before), and the rest of the audience then released with the winner.
//
// The rule (docs/REPORTS.md): each variant's rate of the metric (unique human opens, unique human clicks, or messages
// with a conversion) over its test group's messages sent; the highest rate wins, the lowest variant of equal rates.
import type { RawBuilder } from 'kysely';
import { CHANNELS, type SendableChannel, postsToEndpoint } from '../channels/index.js';
import { inTransaction, type Executor as Database, type Trx } from '../db/transaction.js';
import { releaseAbRest } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.js';
import {
  createInterpretedRenderer, findTemplate, findTemplateWithVariants, frozenContent, renderContent, TemplateRenderError, type FrozenContent,
} from '../templates/index.js';
import { abTestView, completeResults, pickWinner, storedAbTest, type AbResults, type AbTest } from './ab-test.js';
import { abSplitSql, listDueAbTests, setAbDecideAt, setWinner, testGroupUnfinished, variantResults } from './ab-test.repository.js';
import { withSubject, type CampaignContent } from './ab-variants.js';
import { lockCampaign } from './campaigns.repository.js';
import { startSending } from './start-sending.js';

/** A winner is chosen only once the test was launched, and not for a cancelled campaign. */
const DECIDABLE = ['sending', 'paused', 'sent'];
/** A paused test is decided after its resume; a test of the whole audience may be sent already. */
const AUTO_DECIDABLE = ['sending', 'sent'];
/** How long past its set time an automatic decision waits for test messages still to be sent. */
const AB_WAIT_MS = 24 * 3_600_000;

/**
 * What the database must confirm about a test (its shape is the schema's): each variant's template exists and is of
 * the campaign's channel, a subject only for email and mergeable, no two variants alike, and a metric the campaign
 * can measure (opens need the open pixel: marketing email with track_opens). Throws a 422 naming each field.
 */
export async function checkAbTest(
  db: Database,
  campaign: { channel: SendableChannel; template_id: number; kind?: string; track_opens?: boolean; ab_test: AbTest },
) {
  const problems: FieldProblem[] = [];
  const test = campaign.ab_test;
  const email = CHANNELS[campaign.channel].content === 'email';
  const seen = new Map<string, number>();
  for (const [i, v] of test.variants.entries()) {
    const field = `ab_test.variants.${i}`;
    if (v.template_id !== undefined) {
      const template = await findTemplate(db, v.template_id);
      if (!template) problems.push({ field: `${field}.template_id`, message: `template ${v.template_id} does not exist` });
      else if (template.channel !== campaign.channel) {
        problems.push({ field: `${field}.template_id`, message: `template ${v.template_id} is an ${template.channel} template, not ${campaign.channel}` });
      }
    }
    if (v.subject !== undefined) {
      if (!email) problems.push({ field: `${field}.subject`, message: `${campaign.channel} messages have no subject` });
      else {
        const problem = subjectProblem(v.subject);
        if (problem) problems.push({ field: `${field}.subject`, message: problem });
      }
    }
    const key = `${v.template_id ?? campaign.template_id}|${v.subject ?? ''}`;
    const same = seen.get(key);
    if (same !== undefined) problems.push({ field, message: `the same as variant ${same + 1}: change its template or its subject` });
    else seen.set(key, i);
  }
  if (test.metric === 'clicks' && !email && campaign.kind === 'transactional') {
    problems.push({ field: 'ab_test.metric', message: 'transactional SMS links are not tracked: choose conversions' });
  }
  if (test.metric === 'clicks' && postsToEndpoint(campaign.channel)) {
    problems.push({ field: 'ab_test.metric', message: `${campaign.channel} messages' links are not tracked: choose conversions` });
  }
  if (test.metric === 'opens') {
    const why = !email ? `${campaign.channel} messages carry no open pixel` : campaign.kind === 'transactional' ? 'transactional email carries no open pixel'
      : campaign.track_opens === false ? 'the campaign does not track opens (track_opens: false)' : undefined;
    if (why) problems.push({ field: 'ab_test.metric', message: `${why}: choose clicks or conversions` });
  }
  if (problems.length) throw new InvalidInputError('Invalid A/B test', problems);
}

/** A subject that cannot be merged (Handlebars syntax, an unknown helper) fails every message of its variant: refused now. */
function subjectProblem(subject: string): string | undefined {
  try {
    renderContent(createInterpretedRenderer(), { channel: 'email', subject, compiled_html: '', text: null, text_template: '' }, {});
    return undefined;
  } catch (err) {
    if (err instanceof TemplateRenderError) return err.reason;
    throw err;
  }
}

type LockedCampaign = NonNullable<Awaited<ReturnType<typeof lockCampaign>>>;

/**
 * At launch, on the locked campaign, for a campaign with a test: refuses a launch at a local time (the test would
 * measure recipients at different hours), freezes every variant's content beside the campaign's own, sets the
 * decision time, and returns the split the snapshot inserts with. Undefined without a test.
 */
export async function launchAbTest(
  trx: Trx, campaign: LockedCampaign, own: FrozenContent, at: Date, options: { local_time?: string },
): Promise<{ content: CampaignContent; abSlot: RawBuilder<number | null> } | undefined> {
  if (campaign.ab_test == null) return undefined;
  if (options.local_time !== undefined) {
    throw new InvalidInputError('Invalid launch', [{ field: 'local_time', message: 'a campaign with an A/B test cannot be launched at a local time' }]);
  }
  const test = storedAbTest(campaign.ab_test);
  const variants: FrozenContent[] = [];
  for (const v of test.variants) {
    let content = own;
    if (v.template_id !== undefined && v.template_id !== Number(campaign.template_id)) {
      const template = await findTemplateWithVariants(trx, v.template_id);
      if (!template) throw new ConflictError(`Template ${v.template_id} (an A/B test variant) no longer exists`);
      content = frozenContent(template, template.variants, { marketing: campaign.kind !== 'transactional' });
    }
    variants.push(withSubject(content, v.subject));
  }
  const id = Number(campaign.id);
  await setAbDecideAt(trx, id, new Date(at.getTime() + test.decide_after_minutes * 60_000));
  return { content: { ...own, ab_variants: variants }, abSlot: abSplitSql(id, variants.length, test.test_share_percent) };
}

/**
 * A marketer chooses the winner, before the automatic choice (or instead of it). 409 when the campaign has no test,
 * is not launched (or cancelled), or already has a winner; 422 for a variant it does not have.
 */
export async function chooseWinner(deps: Deps, id: number, variant: number) {
  const at = deps.clock();
  const sending = await inTransaction(deps.db, async (trx) => {
    const campaign = await lockCampaign(trx, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    if (campaign.ab_test == null) throw new ConflictError(`Campaign ${id} has no A/B test`);
    const test = storedAbTest(campaign.ab_test);
    if (variant > test.variants.length) {
      throw new InvalidInputError('No such variant', [{ field: 'variant', message: `the test has variants 1 to ${test.variants.length}` }]);
    }
    if (campaign.winner !== null) {
      throw new ConflictError(`The winner of campaign ${id} is already variant ${campaign.winner}, chosen ${campaign.winner_chosen_by === 'auto' ? 'automatically' : 'by hand'}`);
    }
    if (!DECIDABLE.includes(campaign.status)) throw new ConflictError(`Campaign ${id} is ${campaign.status}; a winner is chosen once its test is launched`);
    await settle(trx, id, variant, 'manual', at);
    return campaign.status === 'sending';
  });
  if (sending) startSending(deps, id);
}

/**
 * The tests whose decision time has come and that have no winner: each decided on its locked row, so concurrent runs
 * (several senders, the Worker's cron) decide it once. Starts no sender: the caller (resumeSending) starts one for
 * every campaign sending. A failure is logged, and the next run tries again.
 */
export async function decideDueAbTests(deps: Deps) {
  const at = deps.clock();
  for (const id of await listDueAbTests(deps.db, at, AUTO_DECIDABLE)) {
    try {
      await inTransaction(deps.db, async (trx) => {
        const campaign = await lockCampaign(trx, id);
        // Decided, paused or cancelled meanwhile: a paused test is decided after its resume, on what it then measured.
        if (!campaign || campaign.winner !== null || !AUTO_DECIDABLE.includes(campaign.status) || !campaign.ab_decide_at || new Date(campaign.ab_decide_at) > at) return;
        // A test group still being sent (quiet hours, caps, retries) is waited for, a day at most past the set time.
        if (at.getTime() < new Date(campaign.ab_decide_at).getTime() + AB_WAIT_MS && (await testGroupUnfinished(trx, id))) return;
        const test = storedAbTest(campaign.ab_test);
        const results = completeResults(test.variants.length, (await variantResults(trx, id)).variants);
        await settle(trx, id, pickWinner(results, test.metric), 'auto', at);
      });
    } catch (err) {
      deps.log.error('A/B test decision failed', { campaign_id: id, error: String((err as Error).message) });
    }
  }
}

/** Records the winner and releases the rest of the audience with it; the campaign's row must be locked. */
async function settle(trx: Trx, id: number, winner: number, by: 'auto' | 'manual', at: Date) {
  if (!(await setWinner(trx, id, winner, by, at))) return;
  await releaseAbRest(trx, id, winner, at);
}

/** The campaign's test with each variant's results and the rest's; null without a test. */
export async function campaignAbTest(
  db: Database,
  campaign: Parameters<typeof abTestView>[0] & { id: number },
) {
  if (campaign.ab_test == null) return null;
  return abTestView(campaign, await abResults(db, campaign));
}

async function abResults(db: Database, campaign: { id: number; ab_test: unknown }): Promise<AbResults> {
  const test = storedAbTest(campaign.ab_test);
  const { variants, rest } = await variantResults(db, Number(campaign.id));
  return { variants: completeResults(test.variants.length, variants), rest };
}
