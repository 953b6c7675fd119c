// The call list as agents work it: listed in order with each contact's local time and whether they may be called now,
// claimed one at a time, and closed with an outcome. The rules hold at the moment of the call, not only when the call
// was placed: the contact's call hours (quiet hours of the call channel), the attempts cap across campaigns (4 in 30
// days by default, each outcome an attempt), their consent and the suppression list (Bloctel).
import { unsubscribeFromChannel } from '../consent/index.js';
import { defaultCountry, PURCHASE_EVENT, recordEvents } from '../contacts/index.js';
import { recipientsAtHandOver } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { createHolidayCalendar, describeRule, localParts, nextOpening, pressureRules, quietHoursRules, windowStart } from '../pressure/index.js';
import { attributeCallOrders, recordResponse } from '../tracking/index.js';
import { lockContactCalls } from '../db/locks.js';
import { inTransaction } from '../db/transaction.js';
import {
  claimCall, closeCall, countAttempts, findCall, lastAttempt, listCalls, liveClaims, recordAttempt, setCallPhone, type Agent, type CallCursor, type CallOutcome,
  type CallRow, type CallStatus,
} from './calls.repository.js';
import { findCampaign } from './campaigns.repository.js';
import { targetOf } from './preview.service.js';

/** How long a claim holds a call for its agent: a call and its notes. */
export const CLAIM_MS = 15 * 60_000;
/** A call-back is asked for within this: further out, it is a new campaign's call. */
const MAX_CALLBACK_MS = 90 * 86_400_000;
/** Décret 2022-1313: a consumer who refused a canvassing call is not called again for 60 days. */
const AFTER_REFUSAL_MS = 60 * 86_400_000;

export interface CallView {
  id: number;
  message_id: string;
  contact_id: number | null;
  name: string;
  phone: string | null;
  script: string;
  status: CallStatus;
  callback_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  outcome: CallOutcome | null;
  attempts: number;
  timezone: string | null;
  /** The contact's wall-clock time now, as YYYY-MM-DD HH:MM. */
  local_time: string | null;
  /** Inside the contact's call hours now (and not a call-back still to come). */
  callable_now: boolean;
  /** When the contact's call hours next open, if they are closed now. */
  opens_at: string | null;
}

async function rulesOf(deps: Deps) {
  const [quiet, caps] = await Promise.all([quietHoursRules(deps.db), pressureRules(deps.db)]);
  return { quiet, caps: caps.filter((r) => r.channel === 'call'), isHoliday: createHolidayCalendar() };
}

function view(call: CallRow, now: Date, rules: Awaited<ReturnType<typeof rulesOf>>): CallView {
  const zone = call.timezone ?? 'Europe/Paris';
  const opening = nextOpening(rules.quiet, 'call', zone, defaultCountry(call.locale, call.country), now, rules.isHoliday);
  const p = localParts(zone, now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const due = !call.not_before || call.not_before <= now;
  return {
    id: call.id, message_id: call.public_id, contact_id: call.contact_id, name: [call.first_name, call.last_name].filter(Boolean).join(' '), phone: call.phone,
    script: call.script, status: call.status, callback_at: call.not_before?.toISOString() ?? null, claimed_by: call.claimed_by,
    claimed_until: call.claimed_until?.toISOString() ?? null, outcome: call.outcome, attempts: call.attempts, timezone: call.timezone,
    local_time: call.contact_id === null ? null : `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`,
    callable_now: call.status !== 'done' && due && opening === undefined, opens_at: opening?.toISOString() ?? null,
  };
}

/** A page of a campaign's call list; the cursor is the last call's rank, call-back time and id. */
export async function callList(deps: Deps, campaignId: number, filter: { status?: CallStatus }, page: { after?: string; limit: number }) {
  if (!(await findCampaign(deps.db, campaignId))) throw new NotFoundError('Campaign', campaignId);
  const after = page.after ? readCursor(page.after) : undefined;
  if (page.after && !after) throw new InvalidInputError('Invalid query', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  const rows = await listCalls(deps.db, campaignId, filter, { after, limit: page.limit });
  const rules = await rulesOf(deps);
  const now = deps.clock();
  const data = rows.slice(0, page.limit);
  const last = data[data.length - 1];
  return { data: data.map((r) => view(r, now, rules)), next_cursor: rows.length > page.limit ? btoa(`call:${last.rank}:${last.at}:${last.id}`).replace(/=+$/, '') : null };
}

export function readCursor(cursor: string): CallCursor | undefined {
  try {
    const m = /^call:([01]):(\d{1,15}):(\d{1,15})$/.exec(atob(cursor));
    return m ? { rank: Number(m[1]), at: Number(m[2]), id: Number(m[3]) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives a call to an agent for CLAIM_MS. A 409 says why it cannot be called now: taken by someone else or done, a
 * call-back not yet due, the campaign stopped or past its deadline, outside the contact's call hours (with when they
 * open), the attempts cap reached (counting calls of theirs other agents hold), a refusal in the last 60 days, or the
 * contact no longer to be called (an opt-out, a suppression of their number: the call is then closed).
 */
export async function claim(deps: Deps, id: number, agent: Agent) {
  const { db, clock } = deps;
  const now = clock();
  const rules = await rulesOf(deps);
  const first = await findCall(db, id);
  if (!first) throw new NotFoundError('Call', id);
  // One claim or outcome at a time per contact: the cap counts what the others hold.
  const claimed = await inTransaction(db, async (trx) => {
    if (first.contact_id !== null) await lockContactCalls(trx, first.contact_id);
    const call = (await findCall(trx, id))!;
    if (call.status === 'done') throw new ConflictError('This call is done', { reason: 'done', outcome: call.outcome });
    if (call.status === 'claimed' && call.claimed_key !== agent.id && call.claimed_until && call.claimed_until > now) {
      throw new ConflictError('Another agent has this call', { reason: 'claimed', claimed_by: call.claimed_by, claimed_until: call.claimed_until.toISOString() });
    }
    if (call.not_before && call.not_before > now) throw new ConflictError('This call-back is not due yet', { reason: 'callback_later', callback_at: call.not_before.toISOString() });
    const campaign = (await findCampaign(trx, call.campaign_id))!;
    if (campaign.status === 'cancelled' || campaign.status === 'paused' || (campaign.deadline && new Date(campaign.deadline) < now)) {
      throw new ConflictError('This campaign is not calling now', { reason: 'campaign_stopped', status: campaign.status, deadline: campaign.deadline ? new Date(campaign.deadline).toISOString() : null });
    }
    const recipient = call.contact_id === null ? undefined : (await recipientsAtHandOver(trx, targetOf(campaign), [call.contact_id], now)).get(call.contact_id);
    const reason = !recipient ? 'contact_deleted' : recipient.reason;
    if (reason) {
      await closeCall(trx, call.id, now);
      return { closed: reason };
    }
    // The number dialled is the contact's now: the one consent and the suppression list were just checked against.
    if (recipient!.phone && recipient!.phone !== call.phone) await setCallPhone(trx, call.id, recipient!.phone);
    const v = view(call, now, rules);
    if (v.opens_at) throw new ConflictError('Outside the contact\'s call hours', { reason: 'outside_call_hours', opens_at: v.opens_at, local_time: v.local_time });
    const contactId = call.contact_id!;
    if ((await countAttempts(trx, contactId, new Date(now.getTime() - AFTER_REFUSAL_MS), 'refused')) > 0) {
      throw new ConflictError('The contact refused a call in the last 60 days', { reason: 'refused_recently' });
    }
    for (const rule of rules.caps) {
      const since = windowStart(rule, call.timezone ?? 'Europe/Paris', now);
      if ((await countAttempts(trx, contactId, since)) + (await liveClaims(trx, contactId, call.id, now)) >= rule.max) {
        throw new ConflictError('The contact has had as many call attempts as the cap allows', { reason: 'capped', rule: describeRule(rule) });
      }
    }
    if (!(await claimCall(trx, id, agent, now, new Date(now.getTime() + CLAIM_MS)))) throw new ConflictError('Another agent took this call', { reason: 'claimed' });
    return { closed: undefined };
  });
  // Closed above, committed: then the agent is told why.
  if (claimed.closed) throw new ConflictError('This contact can no longer be called', { reason: 'not_callable', why: claimed.closed });
  return view((await findCall(db, id))!, now, rules);
}

export interface OutcomeInput {
  outcome: CallOutcome;
  value?: number;
  callback_at?: string;
  note?: string;
}

/**
 * An agent's outcome on the call they hold: one attempt. Every outcome but no_answer is the contact's response (a
 * reply in the report); `ordered` records a purchase of `value`, the call's conversion; `opted_out` ends the contact's
 * call subscriptions; `callback` puts the call back on the list at `callback_at`. The same outcome again by the same
 * agent on a done call is answered as it was (a retry); anything else on a call they do not hold is a 409.
 */
export async function recordOutcome(deps: Deps, id: number, agent: Agent, input: OutcomeInput) {
  const { db, clock } = deps;
  const now = clock();
  const problems = [];
  if (input.outcome === 'ordered' && input.value === undefined) problems.push({ field: 'value', message: 'an order has a value' });
  if (input.outcome !== 'ordered' && input.value !== undefined) problems.push({ field: 'value', message: 'only an order has a value' });
  const callbackAt = input.callback_at ? new Date(input.callback_at) : undefined;
  if (input.outcome === 'callback' && !callbackAt) problems.push({ field: 'callback_at', message: 'a call-back says when' });
  if (input.outcome !== 'callback' && callbackAt) problems.push({ field: 'callback_at', message: 'only a call-back has a time' });
  if (callbackAt && (callbackAt <= now || callbackAt.getTime() - now.getTime() > MAX_CALLBACK_MS)) {
    problems.push({ field: 'callback_at', message: 'must be in the future, within 90 days' });
  }
  if (problems.length) throw new InvalidInputError('Invalid call outcome', problems);
  const call = await findCall(db, id);
  if (!call) throw new NotFoundError('Call', id);
  if (call.status === 'done') {
    const last = await lastAttempt(db, id);
    if (last?.outcome === input.outcome && Number(last.agent_key) === agent.id) return { call: view(call, now, await rulesOf(deps)), duplicate: true };
    throw new ConflictError('This call is done', { reason: 'done', outcome: call.outcome });
  }
  // The outcome, its response, an opt-out and an order are kept together or not at all: a retry after a crash finds
  // either nothing recorded or all of it.
  await inTransaction(db, async (trx) => {
    if (call.contact_id !== null) await lockContactCalls(trx, call.contact_id);
    const attempt = await recordAttempt(trx, call, agent, { outcome: input.outcome, value: input.value ?? null, callback_at: callbackAt ?? null, note: input.note ?? null }, now);
    if (attempt === undefined) {
      throw new ConflictError('Claim this call first: an outcome is recorded by the agent who holds it', { reason: 'not_claimed', claimed_by: call.status === 'claimed' ? call.claimed_by : null });
    }
    const message = { id: call.message_id, channel: 'call', campaignId: call.campaign_id, contactId: call.contact_id };
    if (input.outcome !== 'no_answer') {
      await recordResponse(trx, message, {
        key: `call:${attempt}`, kind: 'call', body: input.note ?? null,
        properties: { outcome: input.outcome, agent: agent.name, ...(input.value !== undefined ? { value: input.value } : {}) }, at: now,
      });
    }
    if (input.outcome === 'opted_out' && call.contact_id !== null) await unsubscribeFromChannel(trx, call.contact_id, 'call', 'call', now);
    if (input.outcome === 'ordered' && call.contact_id !== null) {
      await recordEvents(
        trx,
        [{ contact_id: call.contact_id, type: PURCHASE_EVENT, value: input.value, occurred_at: now.toISOString(), properties: { channel: 'call', call_id: id }, idempotency_key: `call-attempt-${attempt}` }],
        now,
        (t, rows) => attributeCallOrders(t, rows, { campaignId: call.campaign_id, messageId: call.message_id, at: now }),
      );
    }
  });
  return { call: view((await findCall(db, id))!, now, await rulesOf(deps)), duplicate: false };
}
