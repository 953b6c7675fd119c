// Recurring newsletters: a schedule makes a new campaign at each occurrence of its recurrence, from the same template
// and audience, each with its own counts and report; quiet hours and caps apply to each as to any campaign.
import type { SendableChannel } from '../channels/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { ConflictError, DomainError, InvalidInputError, NotFoundError, QueryTimeoutError, type FieldProblem } from '../errors.js';
import { describeError } from '../http/log.js';
import type { Audience } from './audience.js';
import { setCampaignStatus } from './campaigns.repository.js';
import { checkCampaignInput, createCampaign } from './campaigns.service.js';
import {
  deleteSchedule, findSchedule, hasRun, insertSchedule, linkCampaign, listDueScheduleIds, listScheduleCampaigns, listSchedules, lockSchedule,
  updateSchedule, type ScheduleFields,
} from './schedules.repository.js';
import {
  firstOccurrence, latestOccurrence, localDate, nextOccurrence, nextOccurrences, RECURRENCE_LIMITS, recurrenceProblem, timezoneProblem,
  type Recurrence,
} from './schedules.recurrence.js';

export interface ScheduleInput {
  name: string;
  channel: SendableChannel;
  template_id: number;
  topic: string;
  audience: Audience;
  recurrence: string;
  timezone: string;
  kind?: 'marketing' | 'transactional';
  priority?: 'high' | 'normal' | 'low';
  on_cap?: 'skip' | 'defer';
  deadline_hours?: number | null;
  track_opens?: boolean;
}

/** How many coming occurrences a schedule shows, and how many of its latest campaigns. */
const SHOWN = { nextRuns: 5, campaigns: 20 } as const;

export async function createSchedule(db: Database, input: ScheduleInput, at: Date) {
  const fields: ScheduleFields = {
    name: input.name, channel: input.channel, kind: input.kind ?? 'marketing', priority: input.priority ?? 'normal', on_cap: input.on_cap ?? 'skip',
    deadline_hours: input.deadline_hours ?? null, track_opens: input.track_opens ?? true, template_id: input.template_id, topic: input.topic,
    audience: input.audience, recurrence: input.recurrence.trim(), timezone: input.timezone,
  };
  const next = await checkSchedule(db, fields, at);
  const row = await insertSchedule(db, fields, next, at);
  return getSchedule(db, Number(row.id));
}

/** The schedule, its next occurrences (none while paused) and its latest campaigns. */
export async function getSchedule(db: Database, id: number) {
  const schedule = await findSchedule(db, id);
  if (!schedule) throw new NotFoundError('Schedule', id);
  const first = schedule.next_run_at === null ? undefined : new Date(schedule.next_run_at);
  const next = first ? [first, ...nextOccurrences(schedule, first, SHOWN.nextRuns - 1)] : [];
  return { ...schedule, next_runs: next, campaigns: await listScheduleCampaigns(db, id, SHOWN.campaigns) };
}

export async function findSchedules(db: Database, page: { after?: number; limit: number }) {
  return listSchedules(db, page);
}

/**
 * Changes what is given, checked with the rest as on creation. A new recurrence or time zone starts from its first
 * occurrence after now; campaigns already made are not touched (a template edit reaches the next run anyway, as a
 * campaign freezes its template at launch).
 */
export async function changeSchedule(db: Database, id: number, changes: Partial<ScheduleInput>, at: Date) {
  await inTransaction(db, async (trx) => {
    const current = await lockSchedule(trx, id);
    if (!current) throw new NotFoundError('Schedule', id);
    const fields: ScheduleFields = { ...fieldsOf(current), ...definedOnly(changes) };
    if (changes.recurrence !== undefined) fields.recurrence = changes.recurrence.trim();
    const next = await checkSchedule(trx, fields, at);
    const timing = fields.recurrence !== current.recurrence || fields.timezone !== current.timezone;
    await updateSchedule(trx, id, { ...fields, ...(timing && current.status === 'active' ? { next_run_at: next } : {}) }, at);
  });
  return getSchedule(db, id);
}

/** No more runs until resumed; pausing a paused schedule changes nothing. */
export async function pauseSchedule(db: Database, id: number, at: Date, reason = 'manual') {
  await inTransaction(db, async (trx) => {
    const current = await lockSchedule(trx, id);
    if (!current) throw new NotFoundError('Schedule', id);
    if (current.status === 'paused') return;
    await updateSchedule(trx, id, { status: 'paused', next_run_at: null, paused_at: at, paused_reason: reason }, at);
  });
  return getSchedule(db, id);
}

/** Runs again from the first occurrence after now: what was missed while paused is not sent. */
export async function resumeSchedule(db: Database, id: number, at: Date) {
  await inTransaction(db, async (trx) => {
    const current = await lockSchedule(trx, id);
    if (!current) throw new NotFoundError('Schedule', id);
    if (current.status === 'active') return;
    const next = nextOccurrence(current, at);
    if (!next) throw new ConflictError(`Schedule ${id}'s recurrence has no further occurrence`);
    await updateSchedule(trx, id, { status: 'active', next_run_at: next, paused_at: null, paused_reason: null }, at);
  });
  return getSchedule(db, id);
}

/** Stops future runs; the campaigns it made stay, no longer tied to it. */
export async function removeSchedule(db: Database, id: number) {
  if (!(await deleteSchedule(db, id))) throw new NotFoundError('Schedule', id);
}

/**
 * The every-minute job's part: each active schedule whose next run has come makes its run's campaign, in one
 * transaction on the schedule's locked row, and moves next_run_at to the first occurrence after now. The campaign is
 * `scheduled` at its occurrence, which has come, so the same job's `launchDueCampaigns` (resumeSending, right after)
 * launches it as any scheduled campaign: audience evaluated then, senders started.
 *
 * - Concurrent runs (several processes, the Worker's cron overlapping) make one campaign: the second waits for the
 *   row, then finds next_run_at moved on; the unique (schedule_id, occurrence) key stands behind that.
 * - After downtime only the latest missed occurrence is run, once; the ones before it are skipped, not sent in a burst.
 * - A run that cannot make its campaign (template or topic deleted, a list gone, a segment no longer valid) pauses
 *   the schedule with the reason (`paused_reason`), logged; a resume after the fix runs the next occurrence. Anything
 *   else (a timeout, the database away) is logged and tried again the next minute.
 *
 * Returns the campaigns made.
 */
export async function runDueSchedules(deps: Deps): Promise<number[]> {
  const at = deps.clock();
  const made: number[] = [];
  for (const id of await listDueScheduleIds(deps.db, at)) {
    try {
      const campaignId = await inTransaction(deps.db, async (trx) => {
        const schedule = await lockSchedule(trx, id);
        if (schedule?.status !== 'active' || schedule.next_run_at === null || new Date(schedule.next_run_at) > at) return undefined; // run meanwhile
        const occurrence = latestOccurrence(schedule, at) ?? new Date(schedule.next_run_at);
        const next = nextOccurrence(schedule, at);
        const advance = next
          ? { next_run_at: next, last_run_at: occurrence }
          : { status: 'paused' as const, next_run_at: null, paused_at: at, paused_reason: 'the recurrence has no further occurrence', last_run_at: occurrence };
        if (await hasRun(trx, id, occurrence)) {
          await updateSchedule(trx, id, advance, at);
          return undefined;
        }
        const s = fieldsOf(schedule);
        const campaign = await createCampaign(trx, {
          name: `${s.name} — ${localDate(s.timezone, occurrence)}`, channel: s.channel, template_id: s.template_id, topic: s.topic, audience: s.audience,
          kind: s.kind, priority: s.priority, on_cap: s.on_cap, track_opens: s.track_opens,
          deadline: s.deadline_hours === null ? undefined : new Date(occurrence.getTime() + s.deadline_hours * 3_600_000).toISOString(),
        }, at);
        await linkCampaign(trx, campaign.id, id, occurrence);
        await setCampaignStatus(trx, campaign.id, ['draft'], 'scheduled', at, { scheduledAt: occurrence });
        await updateSchedule(trx, id, advance, at);
        return campaign.id;
      });
      if (campaignId !== undefined) {
        made.push(campaignId);
        deps.log.info('schedule run', { schedule_id: id, campaign_id: campaignId });
      }
    } catch (err) {
      if (err instanceof DomainError && !(err instanceof QueryTimeoutError)) {
        // The reason is kept on the schedule for the marketer; the log gets the error as http/log.ts allows.
        deps.log.error('schedule run failed, schedule paused', { schedule_id: id, ...describeError(err) });
        await pauseSchedule(deps.db, id, at, `run failed: ${reasonOf(err)}`).catch((e: unknown) => deps.log.error('schedule pause failed', { schedule_id: id, ...describeError(e) }));
      } else {
        deps.log.error('schedule run failed, tried again next minute', { schedule_id: id, ...describeError(err) });
      }
    }
  }
  return made;
}

/**
 * A schedule is checked as a campaign is (template, topic, audience), and its recurrence must fire within a year of
 * now: every problem at once, else its first occurrence after now.
 */
async function checkSchedule(db: Database, s: ScheduleFields, at: Date): Promise<Date> {
  const problems: FieldProblem[] = [];
  const first = recurrenceProblems(s, at, problems);
  try {
    await checkCampaignInput(db, { ...s, channel: s.channel as SendableChannel }, at);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length || !first) throw new InvalidInputError('Invalid schedule', problems);
  return first;
}

function recurrenceProblems(r: Recurrence, at: Date, problems: FieldProblem[]): Date | undefined {
  const zone = timezoneProblem(r.timezone);
  if (zone) problems.push({ field: 'timezone', message: zone });
  const rule = recurrenceProblem(r.recurrence);
  if (rule) problems.push({ field: 'recurrence', message: rule });
  if (zone || rule) return undefined;
  let first: Date | undefined;
  try {
    first = firstOccurrence(r, at);
  } catch (err) {
    problems.push({ field: 'recurrence', message: `cannot be computed: ${(err as Error).message}` });
    return undefined;
  }
  if (!first) problems.push({ field: 'recurrence', message: `never runs within ${RECURRENCE_LIMITS.horizonYears} year from now` });
  return first;
}

type StoredSchedule = NonNullable<Awaited<ReturnType<typeof findSchedule>>>;

function fieldsOf(s: StoredSchedule): ScheduleFields & { channel: SendableChannel; kind: 'marketing' | 'transactional'; priority: 'high' | 'normal' | 'low'; on_cap: 'skip' | 'defer' } {
  return {
    name: s.name, channel: s.channel as SendableChannel, kind: s.kind as 'marketing' | 'transactional', priority: s.priority as 'high' | 'normal' | 'low',
    on_cap: s.on_cap as 'skip' | 'defer', deadline_hours: s.deadline_hours, track_opens: s.track_opens, template_id: Number(s.template_id), topic: s.topic,
    audience: s.audience as Audience, recurrence: s.recurrence, timezone: s.timezone,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function reasonOf(err: DomainError): string {
  const problems = err instanceof InvalidInputError ? err.problems : [];
  return problems.length ? problems.map((p) => `${p.field}: ${p.message}`).join('; ') : err.message;
}
