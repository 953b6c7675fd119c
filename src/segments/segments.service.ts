import type { RawBuilder } from 'kysely';
import { CHANNEL_NAMES, CHANNELS, SENDABLE_CHANNELS, type ChannelName, type SendableChannel } from '../channels/index.js';
import { listTopics } from '../consent/index.js';
import { listAttributeDefinitions } from '../contacts/index.js';
import { withStatementTimeout } from '../db/statement-timeout.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { recipientsSql } from '../delivery/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { previewPressure, type PressurePreview, type Priority } from '../pressure/index.js';
import type { Actor } from '../audit/index.js';
import { changeSetting, getSetting } from '../workspace/index.js';
import { compileRule, DEFAULT_LIFECYCLE, referencedSegments, type CompileContext, type LifecycleSettings } from './compile.js';
import { insertList } from './lists.repository.js';
import { mentionedSegments, parseRule, RuleProblems, type Rule } from './rules.js';
import { expandedSize, RULE_LIMITS, RuleBudget } from './budget.js';
import {
  copyIntoList, countMatching, deleteSegment, findSegment, findSegmentRules, insertSegment, listAllSegmentRules, listSegments, reachability,
  sampleMatching, updateSegment,
} from './segments.repository.js';

const SAMPLE = 20;

function invalid(err: unknown, prefix = 'rule'): never {
  if (err instanceof RuleProblems) {
    throw new InvalidInputError(
      'The segment rule is invalid',
      err.problems.map((p) => ({ field: p.field.replace(/^\$/, prefix), message: p.message })),
    );
  }
  throw err;
}

/**
 * Loads every segment a rule reaches through references, level by level; a reference back to `selfId` is a
 * cycle. Past the depth limit it stops loading: the rule is refused anyway.
 */
async function resolveReferences(db: Database, rule: Rule, selfId?: number): Promise<Map<number, Rule>> {
  const found = new Map<number, Rule>();
  let frontier = referencedSegments(rule);
  for (let level = 1; frontier.length; level++) {
    if (selfId !== undefined && frontier.includes(selfId)) {
      throw new RuleProblems([{ field: '$', message: `segment ${selfId} would refer to itself through its references` }]);
    }
    if (level > RULE_LIMITS.referenceDepth) {
      throw new RuleProblems([{ field: '$', message: `segment references nest more than ${RULE_LIMITS.referenceDepth} deep, over the limit of ${RULE_LIMITS.referenceDepth}` }]);
    }
    const rows = await findSegmentRules(db, frontier.filter((id) => !found.has(id)));
    const next: number[] = [];
    for (const row of rows) {
      const parsed = parseStored(Number(row.id), row.rule);
      found.set(Number(row.id), parsed);
      next.push(...referencedSegments(parsed).filter((id) => !found.has(id)));
    }
    frontier = [...new Set(next)];
  }
  return found;
}

/** A saved rule, parsed again (the rules may have tightened since it was saved). */
function parseStored(id: number, raw: unknown): Rule {
  try {
    return parseRule(raw);
  } catch (err) {
    if (!(err instanceof RuleProblems)) throw err;
    throw new RuleProblems(err.problems.map((p) => ({ field: '$', message: `segment ${id} is no longer valid: ${p.field.replace(/^\$/, 'rule')} ${p.message}` })));
  }
}

export async function lifecycleSettings(db: Database): Promise<LifecycleSettings> {
  return { ...DEFAULT_LIFECYCLE, ...((await getSetting<Partial<LifecycleSettings>>(db, 'lifecycle')) ?? {}) };
}

export async function setLifecycleSettings(db: Database, s: LifecycleSettings, actor: Actor, at: Date) {
  if (!(s.new_days < s.slowing_days && s.slowing_days < s.lapsed_days)) {
    throw new InvalidInputError('Invalid lifecycle thresholds', [{ field: 'slowing_days', message: 'needs new_days < slowing_days < lapsed_days' }]);
  }
  await changeSetting(db, 'lifecycle', { ...s }, { actor }, at);
  return s;
}

// Statements one after another, never Promise.all: inside a transaction they share one connection anyway, and when
// one fails (a timeout) the others, still queued, would run after the rollback, outside it and unbounded.
async function context(db: Database, now: Date, rule: Rule, selfId?: number): Promise<CompileContext> {
  const attributes = await listAttributeDefinitions(db);
  const topics = await listTopics(db);
  return {
    now,
    attributes: new Map(attributes.map((a) => [a.name, a])),
    topics: new Map(topics.map((t) => [t.key, Number(t.id)])),
    lifecycle: await lifecycleSettings(db),
    segments: await resolveReferences(db, rule, selfId),
  };
}

export interface CompileOptions {
  /** The segment being saved: a reference back to it is a cycle. */
  selfId?: number;
  /** Shared by the rules that go into one statement (a campaign audience); each rule on its own by default. */
  budget?: RuleBudget;
}

/**
 * Parses, checks and compiles a rule into one SQL predicate over `contacts c`. Saving and every use go through
 * here, so a rule that has become too big or invalid (a segment it refers to changed) is refused where it is used.
 */
export async function compile(db: Database, raw: unknown, now: Date, options: CompileOptions = {}) {
  try {
    const rule = parseRule(raw);
    const ctx = await context(db, now, rule, options.selfId);
    const problems = (options.budget ?? new RuleBudget()).spend(expandedSize(rule, ctx.segments), '$');
    if (problems.length) throw new RuleProblems(problems);
    return compileRule(rule, ctx);
  } catch (err) {
    invalid(err);
  }
}

export async function createSegment(db: Database, input: { name: string; rule: unknown }, at: Date) {
  await compile(db, input.rule, at);
  return insertSegment(db, input, at);
}

export async function patchSegment(db: Database, id: number, input: { name?: string; rule?: unknown }, at: Date) {
  if (!(await findSegment(db, id))) throw new NotFoundError('Segment', id);
  if (input.rule !== undefined) await compile(db, input.rule, at, { selfId: id });
  return (await updateSegment(db, id, input, at))!;
}

export async function getSegment(db: Database, id: number) {
  const s = await findSegment(db, id);
  if (!s) throw new NotFoundError('Segment', id);
  return s;
}

export { listSegments };

export async function removeSegment(db: Database, id: number) {
  const users = (await listAllSegmentRules(db)).filter((s) => mentionedSegments(s.rule).includes(id));
  if (users.length) throw new ConflictError(`Segment ${id} is used by segment ${users.map((u) => u.id).join(', ')}`);
  if (!(await deleteSegment(db, id))) throw new NotFoundError('Segment', id);
}

/** How long each statement of a preview or freeze may take; undefined: no limit (scripts, benchmarks). */
export interface QueryLimits {
  statementTimeoutMs?: number;
}

const bounded = <T>(db: Database, limits: QueryLimits, work: (db: Database) => Promise<T>) =>
  limits.statementTimeoutMs === undefined ? work(db) : withStatementTimeout(db, limits.statementTimeoutMs, work);

/**
 * Count, a sample and who can be reached on each channel, without saving anything. For email and SMS it also says
 * how many reachable contacts (an address, not suppressed) caps and quiet hours would hold back from a marketing
 * message of this priority sent now.
 */
export async function previewRule(db: Database, raw: unknown, now: Date, priority: Priority = 'normal', limits: QueryLimits = {}) {
  return bounded(db, limits, (trx) => previewUnbounded(trx, raw, now, priority));
}

async function previewUnbounded(db: Database, raw: unknown, now: Date, priority: Priority) {
  const predicate = await compile(db, raw, now);
  // Reachable: an address that is not suppressed, as a transactional send would see it; caps and quiet hours for a
  // marketing message of this priority come on top.
  const pressure = (channel: SendableChannel) => previewPressure(db, {
    channel, priority,
    recipients: (columns: RawBuilder<unknown>) => recipientsSql({ channel, topicId: null, kind: 'transactional' }, predicate, now, columns),
  }, now);
  // One after another (see context).
  const count = await countMatching(db, predicate);
  const sample = await sampleMatching(db, predicate, SAMPLE);
  const reach = await reachability(db, predicate, now);
  const pressures: PressurePreview[] = [];
  for (const channel of SENDABLE_CHANNELS) pressures.push(await pressure(channel));
  const byChannel = (channel: string) => Object.fromEntries(reach.subscribed.filter((r) => r.channel === channel).map((r) => [r.topic, Number(r.n)]));
  const perChannel = (channel: ChannelName) => {
    const sendable = SENDABLE_CHANNELS.indexOf(channel as SendableChannel);
    return {
      with_address: Number(reach.totals[`${channel}_with_address`]),
      ...(CHANNELS[channel].suppressible ? { suppressed: Number(reach.totals[`${channel}_suppressed`]) } : {}),
      subscribed: byChannel(channel),
      ...(sendable >= 0 ? (pressures[sendable] as PressurePreview) : {}),
    };
  };
  return { count, sample, reachability: Object.fromEntries(CHANNEL_NAMES.map((c) => [c, perChannel(c)])) as Record<ChannelName, ReturnType<typeof perChannel>> };
}

export async function previewSegment(db: Database, id: number, now: Date, priority: Priority = 'normal', limits: QueryLimits = {}) {
  return previewRule(db, (await getSegment(db, id)).rule, now, priority, limits);
}

/** A static list holding the segment's members as of now; in one transaction, so a timeout leaves no list behind. */
export async function freezeSegment(db: Database, id: number, name: string | undefined, at: Date, limits: QueryLimits = {}) {
  const segment = await getSegment(db, id);
  const predicate = await compile(db, segment.rule, at);
  return bounded(db, limits, (trx) => inTransaction(trx, async (t) => {
    const list = await insertList(t, name ?? `${segment.name} (${at.toISOString().slice(0, 10)})`, at);
    const members = await copyIntoList(t, Number(list.id), predicate, at);
    return { list_id: Number(list.id), name: list.name, members };
  }));
}

/** A saved segment, or undefined. */
export async function findSegmentById(db: Database, id: number) {
  return findSegment(db, id);
}
