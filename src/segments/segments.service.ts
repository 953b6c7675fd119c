import type { Database } from '../db/database.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { listAttributeDefinitions } from '../contacts/contacts.repository.js';
import { listTopics } from '../consent/consent.repository.js';
import { insertList } from './lists.repository.js';
import { compileRule, DEFAULT_LIFECYCLE, referencedSegments, type CompileContext, type LifecycleSettings } from './compile.js';
import { parseRule, RuleProblems, type Rule } from './rules.js';
import { previewPressure } from '../consent/pressure.service.js';
import type { Priority } from '../consent/pressure.rules.js';
import {
  copyIntoList, countMatching, deleteSegment, findSegment, findSegmentRules, getLifecycleSettings, insertSegment, listAllSegmentRules,
  listSegments, putLifecycleSettings, reachability, reachableOn, sampleMatching, updateSegment,
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

/** Loads every segment a rule reaches through references; a reference back to `selfId` is a cycle. */
async function resolveReferences(db: Database, rule: Rule, selfId?: number): Promise<Map<number, Rule>> {
  const found = new Map<number, Rule>();
  let frontier = referencedSegments(rule);
  while (frontier.length) {
    if (selfId !== undefined && frontier.includes(selfId)) {
      throw new InvalidInputError('The segment rule is invalid', [{ field: 'rule', message: `segment ${selfId} would refer to itself through its references` }]);
    }
    const rows = await findSegmentRules(db, frontier.filter((id) => !found.has(id)));
    const next: number[] = [];
    for (const row of rows) {
      const parsed = parseRule(row.rule);
      found.set(Number(row.id), parsed);
      next.push(...referencedSegments(parsed).filter((id) => !found.has(id)));
    }
    frontier = [...new Set(next)];
  }
  return found;
}

export async function lifecycleSettings(db: Database): Promise<LifecycleSettings> {
  return { ...DEFAULT_LIFECYCLE, ...((await getLifecycleSettings(db)) ?? {}) };
}

export async function setLifecycleSettings(db: Database, s: LifecycleSettings, at: Date) {
  if (!(s.new_days < s.slowing_days && s.slowing_days < s.lapsed_days)) {
    throw new InvalidInputError('Invalid lifecycle thresholds', [{ field: 'slowing_days', message: 'needs new_days < slowing_days < lapsed_days' }]);
  }
  await putLifecycleSettings(db, { ...s }, at);
  return s;
}

async function context(db: Database, now: Date, rule: Rule, selfId?: number): Promise<CompileContext> {
  const [attributes, topics, lifecycle, segments] = await Promise.all([
    listAttributeDefinitions(db), listTopics(db), lifecycleSettings(db), resolveReferences(db, rule, selfId),
  ]);
  return {
    now,
    attributes: new Map(attributes.map((a) => [a.name, a])),
    topics: new Map(topics.map((t) => [t.key, Number(t.id)])),
    lifecycle,
    segments,
  };
}

/** Parses, checks and compiles a rule into one SQL predicate over `contacts c`. */
export async function compile(db: Database, raw: unknown, now: Date, selfId?: number) {
  let rule: Rule;
  try {
    rule = parseRule(raw);
  } catch (err) {
    invalid(err);
  }
  const ctx = await context(db, now, rule, selfId);
  try {
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
  if (input.rule !== undefined) await compile(db, input.rule, at, id);
  return (await updateSegment(db, id, input, at))!;
}

export async function getSegment(db: Database, id: number) {
  const s = await findSegment(db, id);
  if (!s) throw new NotFoundError('Segment', id);
  return s;
}

export { listSegments };

export async function removeSegment(db: Database, id: number) {
  const users = (await listAllSegmentRules(db)).filter((s) => referencedSegments(parseRule(s.rule)).includes(id));
  if (users.length) throw new ConflictError(`Segment ${id} is used by segment ${users.map((u) => u.id).join(', ')}`);
  if (!(await deleteSegment(db, id))) throw new NotFoundError('Segment', id);
}

/**
 * Count, a sample and who can be reached on each channel, without saving anything. For email and SMS it also says
 * how many reachable contacts (an address, not suppressed) caps and quiet hours would hold back from a marketing
 * message of this priority sent now.
 */
export async function previewRule(db: Database, raw: unknown, now: Date, priority: Priority = 'normal') {
  const predicate = await compile(db, raw, now);
  const pressure = (channel: 'email' | 'sms') => previewPressure(db, { channel, priority, audience: predicate, eligible: reachableOn(channel) }, now);
  const [count, sample, reach, email, sms] = await Promise.all([
    countMatching(db, predicate), sampleMatching(db, predicate, SAMPLE), reachability(db, predicate), pressure('email'), pressure('sms'),
  ]);
  const byChannel = (channel: string) => Object.fromEntries(reach.subscribed.filter((r) => r.channel === channel).map((r) => [r.topic, Number(r.n)]));
  return {
    count,
    sample,
    reachability: {
      email: { with_address: Number(reach.totals.email), suppressed: Number(reach.totals.email_suppressed), subscribed: byChannel('email'), ...email },
      sms: { with_address: Number(reach.totals.sms), suppressed: Number(reach.totals.sms_suppressed), subscribed: byChannel('sms'), ...sms },
      postal: { with_address: Number(reach.totals.postal), subscribed: byChannel('postal') },
    },
  };
}

export async function previewSegment(db: Database, id: number, now: Date, priority: Priority = 'normal') {
  return previewRule(db, (await getSegment(db, id)).rule, now, priority);
}

/** A static list holding the segment's members as of now. */
export async function freezeSegment(db: Database, id: number, name: string | undefined, at: Date) {
  const segment = await getSegment(db, id);
  const predicate = await compile(db, segment.rule, at);
  const list = await insertList(db, name ?? `${segment.name} (${at.toISOString().slice(0, 10)})`, at);
  const members = await copyIntoList(db, Number(list.id), predicate, at);
  return { list_id: Number(list.id), name: list.name, members };
}
