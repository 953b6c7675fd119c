import type { RawBuilder } from 'kysely';
import type { ChannelName } from '../channels/index.js';
import { defaultCountry } from '../contacts/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { InvalidInputError } from '../errors.js';
import type { Actor } from '../audit/index.js';
import { changeSetting, getSetting } from '../workspace/index.js';
import { longestOwnRollingDays, pressureGroups } from './hold-backs.repository.js';
import {
  contactPreferences, countAllIfAllowed, countedSince, deleteContactPreference, getContactPreferences, lockPressureCounters, putContactPreference,
  uncountMessages,
} from './pressure.repository.js';
import { createHolidayCalendar, DEFAULT_QUIET_HOURS, nextOpening, type QuietHoursRule } from './quiet-hours.js';
import {
  allowance, DEFAULT_PRESSURE_RULES, describeRule, reopensAt, windowStart, type PressureRule, type Priority,
} from './pressure.rules.js';

export async function pressureRules(db: Database): Promise<PressureRule[]> {
  return (await getSetting<PressureRule[]>(db, 'pressure_rules')) ?? DEFAULT_PRESSURE_RULES;
}

export async function setPressureRules(db: Database, rules: PressureRule[], actor: Actor, at: Date) {
  const problems = rules.flatMap((r, i) =>
    r.period === 'rolling_days' && !r.days ? [{ field: `rules.${i}.days`, message: 'a rolling window needs days' }]
    : r.period !== 'rolling_days' && r.days !== undefined ? [{ field: `rules.${i}.days`, message: 'only rolling_days takes days' }]
    : [],
  );
  if (problems.length) throw new InvalidInputError('Invalid pressure rules', problems);
  await changeSetting(db, 'pressure_rules', rules, { actor, action: 'settings.pressure', details: { rules } }, at);
  return rules;
}

export type SlotVerdict = { ok: true } | { ok: false; unsubscribed: true } | { ok: false; unsubscribed?: false; rule: string; reopensAt: Date };

export interface ContactPreference {
  max_messages: number;
  period: string;
  days: number | null;
}

/** The caps that apply to one contact on one channel: the workspace's, plus their own stricter choice. */
export function capsFor(rules: PressureRule[], channel: string, own?: ContactPreference) {
  const applicable = rules.filter((r) => r.channel === channel).map((rule) => ({ rule, label: describeRule(rule) }));
  if (own) {
    const rule: PressureRule = { channel: channel as PressureRule['channel'], max: own.max_messages, period: own.period as PressureRule['period'], days: own.days ?? undefined };
    applicable.push({ rule, label: `contact preference (${describeRule(rule)})` });
  }
  return applicable;
}

/** One message of a batch asking for its slot (see reserveSlots). */
export interface SlotRequest {
  messageId: number;
  contactId: number;
  topicId: number;
  timezone: string;
  caps: ReturnType<typeof capsFor>;
}

/**
 * Counts a batch of one channel's marketing messages, one per contact, against every cap of the channel, in one
 * transaction of two statements: the batch's (contact, channel) rows are locked in contact order, then every message
 * is counted if all its windows allow it (the strictest rule wins). Under the lock, two campaigns can never both see
 * "1 of 2" for a contact; counting a message again (a retry) is a no-op. Only messages
 * refused by a cap cost more: when they wait for a reopening (`needReopen`), or have several caps to tell apart.
 */
export async function reserveSlots(
  db: Database,
  batch: { channel: string; priority: Priority; needReopen?: boolean },
  requests: SlotRequest[],
  now: Date,
): Promise<Map<number, SlotVerdict>> {
  // A window starts at the same instant for every contact of a time zone: computed once per zone and rule.
  const starts = new Map<string, Date>();
  const windowsOf = (r: SlotRequest) => r.caps.map(({ rule, label }) => {
    const key = `${r.timezone}|${label}`;
    let since = starts.get(key);
    if (!since) starts.set(key, (since = windowStart(rule, r.timezone, now)));
    return { since, allow: allowance(rule, batch.priority) };
  });
  const items = requests.map((r) => ({ ...r, windows: windowsOf(r) }));
  const verdicts = new Map<number, SlotVerdict>();
  await inTransaction(db, async (trx) => {
    await lockPressureCounters(trx, items.map((i) => i.contactId), batch.channel);
    const outcomes = await countAllIfAllowed(trx, batch.channel, items, now);
    for (const item of items) {
      const outcome = outcomes.get(item.messageId);
      if (outcome === 'unsubscribed') verdicts.set(item.messageId, { ok: false, unsubscribed: true });
      else if (outcome !== 'capped') verdicts.set(item.messageId, { ok: true });
      else verdicts.set(item.messageId, await capVerdict(trx, { ...item, channel: batch.channel }, item.caps, item.windows, now, batch.needReopen));
    }
  });
  return verdicts;
}

/** Which cap refused a message, and when it reopens: of several, the one that stays closed longest. */
async function capVerdict(
  db: Database,
  m: { contactId: number; channel: string; timezone: string },
  caps: ReturnType<typeof capsFor>,
  windows: Array<{ since: Date; allow: number }>,
  now: Date,
  needReopen?: boolean,
): Promise<SlotVerdict> {
  if (caps.length === 1 && !needReopen) return { ok: false, rule: caps[0].label, reopensAt: now };
  let blocked: { rule: string; reopensAt: Date } | undefined;
  const earliest = new Date(Math.min(...windows.map((w) => w.since.getTime())));
  const counted = await countedSince(db, m.contactId, m.channel, earliest);
  caps.forEach(({ rule, label }, i) => {
    const inWindow = counted.filter((d) => d >= windows[i].since);
    if (inWindow.length < windows[i].allow) return;
    const reopen = reopensAt(rule, m.timezone, now, inWindow, windows[i].allow);
    if (!blocked || reopen > blocked.reopensAt) blocked = { rule: label, reopensAt: reopen };
  });
  return { ok: false, ...(blocked ?? { rule: 'cap', reopensAt: now }) };
}

/** Messages that were never delivered give their cap slots back. */
export async function releaseSlots(db: Database, messageIds: number[]) {
  await uncountMessages(db, messageIds);
}

/** The workspace's send windows, or the default (SMS Monday–Saturday 08:00–20:00, no public holidays). */
export async function quietHoursRules(db: Database): Promise<QuietHoursRule[]> {
  return (await getSetting<QuietHoursRule[]>(db, 'quiet_hours')) ?? DEFAULT_QUIET_HOURS;
}

export async function setQuietHoursRules(db: Database, rules: QuietHoursRule[], actor: Actor, at: Date) {
  await changeSetting(db, 'quiet_hours', rules, { actor, action: 'settings.quiet_hours', details: { rules } }, at);
  return rules;
}

/** Each contact's own frequency choice on a channel, by contact id. */
export async function contactFrequencies(db: Database, contactIds: number[], channel: ChannelName) {
  const rows = await getContactPreferences(db, contactIds, channel);
  return new Map(rows.map((p) => [Number(p.contact_id), p]));
}

export interface PressurePreview {
  /** Contacts already at each cap's allowance in its current window (a contact may be at several). */
  capped: Record<string, number>;
  /** Contacts outside their send window now: a launch would defer them to the next opening, not drop them. */
  deferred_by_quiet_hours: number;
}

/**
 * What caps and quiet hours would hold back if a marketing message went now to the eligible recipients of an
 * audience (a query over contacts `c` selecting the columns asked for and `reason`, null when eligible: see
 * delivery's recipientsSql). Concurrent campaigns are not foreseen: this reads the ledger as it is.
 */
export async function previewPressure(
  db: Database,
  q: { channel: ChannelName; priority: Priority; recipients: (columns: RawBuilder<unknown>) => RawBuilder<unknown> },
  now: Date,
): Promise<PressurePreview> {
  const rules = (await pressureRules(db)).filter((r) => r.channel === q.channel);
  const DAY = 86_400_000;
  // Calendar months and weeks, in any time zone, start less than 33 days ago; rolling windows `days` ago.
  const ownDays = await longestOwnRollingDays(db, q.channel);
  const earliest = new Date(Math.min(
    now.getTime() - Math.max(33, ownDays) * DAY,
    ...rules.map((r) => (r.period === 'rolling_days' ? windowStart(r, 'UTC', now).getTime() : Infinity)),
  ));
  const groups = await pressureGroups(
    db,
    {
      channel: q.channel, recipients: q.recipients, lowPriority: q.priority === 'low', earliest,
      rules: rules.map((rule) => ({ rule, allow: allowance(rule, q.priority), since: rule.period === 'rolling_days' ? windowStart(rule, 'UTC', now) : undefined })),
    },
    now,
  );
  const capped: Record<string, number> = {};
  const add = (label: string, n: number) => {
    if (n > 0) capped[label] = (capped[label] ?? 0) + n;
  };
  const quiet = await quietHoursRules(db);
  const isHoliday = createHolidayCalendar();
  let deferred = 0;
  for (const g of groups) {
    rules.forEach((rule, i) => add(describeRule(rule), g.capped[i]));
    if (g.own_max !== null && g.own_period) {
      add(capsFor([], q.channel, { max_messages: g.own_max, period: g.own_period, days: g.own_days })[0].label, g.own_capped);
    }
    if (nextOpening(quiet, q.channel, g.timezone, defaultCountry(g.locale, g.country), now, isHoliday)) deferred += g.n;
  }
  return { capped, deferred_by_quiet_hours: deferred };
}

/** A contact's own frequency choices on every channel (the preference center shows and edits them). */
export async function contactFrequencyChoices(db: Database, contactId: number) {
  return contactPreferences(db, contactId);
}

/** Sets (or, undefined, removes) a contact's own cap on a channel: it adds a stricter rule to the workspace's. */
export async function setContactFrequency(db: Database, contactId: number, channel: ChannelName, choice: { max: number; period: string; days?: number } | undefined) {
  if (choice) await putContactPreference(db, { contactId, channel, max: choice.max, period: choice.period, days: choice.days });
  else await deleteContactPreference(db, contactId, channel);
}
