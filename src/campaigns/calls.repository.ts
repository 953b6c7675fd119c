// The call list (calls) and what agents did (call_attempts). Only this file reads or writes them.
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export type CallStatus = 'open' | 'claimed' | 'done';
export const CALL_OUTCOMES = ['reached', 'no_answer', 'callback', 'refused', 'opted_out', 'ordered'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** An agent: their API key's id (what tells agents apart) and name (what others see). */
export interface Agent {
  id: number;
  name: string;
}

export interface CallRow {
  id: number;
  message_id: number;
  public_id: string;
  campaign_id: number;
  contact_id: number | null;
  phone: string | null;
  script: string;
  status: CallStatus;
  not_before: Date | null;
  claimed_by: string | null;
  claimed_key: number | null;
  claimed_until: Date | null;
  outcome: CallOutcome | null;
  attempts: number;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  timezone: string | null;
  country: string | null;
}

/** Places calls on the list, one per message; a message placed again (a sender killed mid-batch) keeps its call. */
export async function placeCalls(db: Db, calls: Array<{ message_id: number; campaign_id: number; contact_id: number; phone: string; script: string }>, at: Date) {
  if (!calls.length) return new Map<number, number>();
  const rows = await db
    .insertInto('calls')
    .values(calls.map((c) => ({ ...c, created_at: at, updated_at: at })))
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ updated_at: at }))
    .returning(['id', 'message_id'])
    .execute();
  return new Map(rows.map((r) => [Number(r.message_id), Number(r.id)]));
}

const selectCalls = (db: Db) =>
  db
    .selectFrom('calls as k')
    .innerJoin('messages as m', 'm.id', 'k.message_id')
    .leftJoin('contacts as c', 'c.id', 'k.contact_id')
    .select([
      'k.id', 'k.message_id', 'm.public_id', 'k.campaign_id', 'k.contact_id', 'k.phone', 'k.script', 'k.status', 'k.not_before', 'k.claimed_by',
      'k.claimed_key', 'k.claimed_until', 'k.outcome', 'c.first_name', 'c.last_name', 'c.locale', 'c.timezone',
      sql<string | null>`c.address ->> 'country'`.as('country'),
      sql<number>`(select count(*) from call_attempts a where a.call_id = k.id)::int`.as('attempts'),
    ]);

const toRow = (r: Record<string, unknown>): CallRow => ({
  ...(r as unknown as CallRow), id: Number(r.id), message_id: Number(r.message_id), campaign_id: Number(r.campaign_id),
  contact_id: r.contact_id == null ? null : Number(r.contact_id), attempts: Number(r.attempts), claimed_key: r.claimed_key == null ? null : Number(r.claimed_key),
});

/** Where a page ended: the last call's rank (0 a call-back, 1 otherwise), its call-back time (ms, 0 for none) and id. */
export interface CallCursor {
  rank: number;
  at: number;
  id: number;
}

/**
 * A campaign's calls in the order agents take them: call-backs first (by the time asked), then the others as they
 * were placed. The keyset is the cursor's own (rank, time, id), so a call moved since does not shift the pages.
 */
export async function listCalls(db: Db, campaignId: number, filter: { status?: CallStatus }, page: { after?: CallCursor; limit: number }) {
  const rank = sql<number>`(case when k.not_before is not null then 0 else 1 end)`;
  const at = sql<number>`coalesce((extract(epoch from k.not_before) * 1000)::bigint, 0)`;
  let q = selectCalls(db).select([rank.as('rank'), at.as('at')]).where('k.campaign_id', '=', campaignId);
  if (filter.status) q = q.where('k.status', '=', filter.status);
  if (page.after) q = q.where(sql<boolean>`(${rank}, ${at}, k.id) > (${page.after.rank}, ${page.after.at}::bigint, ${page.after.id}::bigint)`);
  const rows = await q.orderBy(rank).orderBy(at).orderBy('k.id').limit(page.limit + 1).execute();
  return rows.map((r) => ({ ...toRow(r), rank: Number(r.rank), at: Number(r.at) }));
}

export async function findCall(db: Db, id: number): Promise<CallRow | undefined> {
  const row = await selectCalls(db).where('k.id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** The contact's other calls an agent holds now: attempts about to happen, which the cap counts. */
export async function liveClaims(db: Db, contactId: number, exceptCall: number, at: Date): Promise<number> {
  const row = await db.selectFrom('calls').select(sql<number>`count(*)::int`.as('n')).where('contact_id', '=', contactId).where('id', '<>', exceptCall)
    .where('status', '=', 'claimed').where('claimed_until', '>', at).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Gives the call to `agent` until `until`, if it is theirs to take now: open and due, or claimed by them already, or
 * left by someone whose claim ran out. Atomic: two agents never hold one call.
 */
export async function claimCall(db: Db, id: number, agent: Agent, at: Date, until: Date): Promise<boolean> {
  const row = await db
    .updateTable('calls')
    .set({ status: 'claimed', claimed_by: agent.name, claimed_key: agent.id, claimed_until: until, updated_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'open'), eb.or([eb('not_before', 'is', null), eb('not_before', '<=', at)])]),
      eb.and([eb('status', '=', 'claimed'), eb.or([eb('claimed_key', '=', agent.id), eb('claimed_until', '<', at)])]),
    ]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The number to dial follows the contact's: checked at the claim against consent and the suppression list. */
export async function setCallPhone(db: Db, id: number, phone: string) {
  await db.updateTable('calls').set({ phone }).where('id', '=', id).execute();
}

/** The call ends without anyone calling: the contact is no longer to be called (an opt-out, a suppression, erased). */
export async function closeCall(db: Db, id: number, at: Date) {
  await db.updateTable('calls').set({ status: 'done', claimed_by: null, claimed_key: null, claimed_until: null, updated_at: at }).where('id', '=', id).where('status', '<>', 'done').execute();
}

/** Attempts on the contact's calls since `since`, every campaign's (of one outcome only, if given). */
export async function countAttempts(db: Db, contactId: number, since: Date, outcome?: CallOutcome): Promise<number> {
  const row = await db.selectFrom('call_attempts').select(sql<number>`count(*)::int`.as('n')).where('contact_id', '=', contactId).where('at', '>', since)
    .$if(!!outcome, (q) => q.where('outcome', '=', outcome!)).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface AttemptInput {
  outcome: CallOutcome;
  value: number | null;
  callback_at: Date | null;
  note: string | null;
}

/**
 * Records an agent's outcome on a call they hold, as one attempt, and moves the call on: a call-back reopens it from
 * that time, anything else ends it. Undefined when the call is not theirs (not claimed, or claimed by someone else).
 */
export async function recordAttempt(db: Db, call: { id: number; contact_id: number | null }, agent: Agent, input: AttemptInput, at: Date) {
  const updated = await db
    .updateTable('calls')
    .set({
      status: input.outcome === 'callback' ? 'open' : 'done', outcome: input.outcome, not_before: input.outcome === 'callback' ? input.callback_at : null,
      claimed_by: null, claimed_key: null, claimed_until: null, updated_at: at,
    })
    .where('id', '=', call.id)
    .where('status', '=', 'claimed')
    .where('claimed_key', '=', agent.id)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return undefined;
  const attempt = await db
    .insertInto('call_attempts')
    .values({ call_id: call.id, contact_id: call.contact_id, agent: agent.name, agent_key: agent.id, outcome: input.outcome, value: input.value, callback_at: input.callback_at, note: input.note, at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(attempt.id);
}

/** The last attempt on a call: a replayed outcome is answered with it. */
export async function lastAttempt(db: Db, callId: number) {
  return db.selectFrom('call_attempts').selectAll().where('call_id', '=', callId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Erasure: the person's number, script (merged with their fields) and the agents' notes go; the outcomes stay counted. */
export async function scrubContactCalls(db: Db, contactId: number) {
  await db.updateTable('calls').set({ phone: null, script: '', contact_id: null }).where('contact_id', '=', contactId).execute();
  await db.updateTable('call_attempts').set({ note: null, contact_id: null }).where('contact_id', '=', contactId).execute();
}

/** Access (GDPR art. 15): the contact's calls, with what the agents recorded. */
export async function exportContactCalls(db: Db, contactId: number) {
  const calls = await db.selectFrom('calls').select(['id', 'campaign_id', 'phone', 'script', 'status', 'outcome', 'created_at']).where('contact_id', '=', contactId).orderBy('id').execute();
  const attempts = calls.length
    ? await db.selectFrom('call_attempts').select(['call_id', 'agent', 'outcome', 'value', 'callback_at', 'note', 'at']).where('call_id', 'in', calls.map((c) => c.id)).orderBy('id').execute()
    : [];
  return calls.map((c) => ({
    id: Number(c.id), campaign_id: Number(c.campaign_id), phone: c.phone, script: c.script, status: c.status, outcome: c.outcome, placed_at: new Date(c.created_at).toISOString(),
    attempts: attempts.filter((a) => Number(a.call_id) === Number(c.id)).map((a) => ({
      agent: a.agent, outcome: a.outcome, value: a.value === null ? null : Number(a.value), callback_at: a.callback_at ? new Date(a.callback_at).toISOString() : null, note: a.note, at: new Date(a.at).toISOString(),
    })),
  }));
}
