// The ledger: one row per message, whatever sends it (a campaign, a double opt-in confirmation, an answer to an
// SMS keyword). The only file that touches the messages table.
import { sql, type RawBuilder } from 'kysely';
import type { Executor as Db, Trx } from '../db/transaction.js';
import type { OutcomeRow } from './hold-backs.js';

/**
 * Opaque and unique (Message-ID, outbox file name, tokens): the time in milliseconds, then 80 random bits.
 * Time-ordered like a UUIDv7, so the unique index grows at its right edge; it says no more than the Date header.
 */
const newPublicId = (at: Date) =>
  sql<string>`lpad(to_hex((extract(epoch from ${at}::timestamptz) * 1000)::bigint), 12, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)`;

/**
 * The launch snapshot, in one statement: one ledger row per recipient (from recipientsSql: contact id and reason).
 * Those held back get a row too, marked skipped with the reason, so the counts explain the audience. Rows stay
 * narrow (the address and public id are written at hand-over), so a million take seconds. `notBefore`, an expression
 * over the recipient row `r`, holds each message until a time of its own (a launch at a local time): null sends now.
 * `abSlot`, also over `r` (an A/B test's split: campaigns/ab-test.repository.ts), gives a message its variant (1…n),
 * or with 0 makes it one of the rest, held (`not_before` infinity, `deferred_by` ab_winner) until releaseAbRest.
 */
export async function insertSnapshot(
  trx: Trx,
  campaign: { id: number; channel: string },
  recipients: RawBuilder<unknown>,
  at: Date,
  options: { notBefore?: RawBuilder<Date | null>; abSlot?: RawBuilder<number | null> } = {},
) {
  const notBefore = options.notBefore ? sql`case when r.reason is null then ${options.notBefore} end` : sql`null::timestamptz`;
  const abSlot = options.abSlot ?? sql`null::int`;
  const result = await sql`
    insert into messages (campaign_id, contact_id, channel, status, skip_reason, not_before, deferred_by, variant, ab_rest, created_at, updated_at)
    select campaign_id, contact_id, channel, status, skip_reason,
      case when ab_slot = 0 then 'infinity'::timestamptz else not_before end,
      case when ab_slot = 0 then 'ab_winner' when not_before is not null then 'local_time' end,
      nullif(ab_slot, 0), case when ab_slot = 0 then true end, ${at}, ${at}
    from (
      select ${campaign.id}::bigint as campaign_id, r.id as contact_id, ${campaign.channel}::text as channel,
        case when r.reason is null then 'pending' else 'skipped' end as status, r.reason as skip_reason, ${notBefore} as not_before,
        ${abSlot} as ab_slot
      from (${recipients}) r
    ) m
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The campaign's ledger grouped by outcome; with `sentSince`, the messages sent since then apart (the progress rate).
 * An index-only scan of messages_campaign_idx once the campaign's rows are vacuumed; engagement is the rollups'
 * (tracking), not counted here. A pending message with attempts is retrying; without, one held until a time is
 * deferred (quiet hours, caps, or the recipient's local time: deferred_by): a deferral gives its claim's attempt back
 * (markMessage).
 */
export async function campaignOutcomes(db: Db, campaignId: number, sentSince?: Date): Promise<OutcomeRow[]> {
  const recent = sentSince ? sql<boolean>`(status = 'sent' and sent_at >= ${sentSince}::timestamptz)` : sql<boolean>`false`;
  const r = await sql<OutcomeRow>`
    select status, skip_reason, capped_by, (status = 'pending' and attempts = 0 and not_before is not null) as deferred,
      (status = 'pending' and attempts > 0) as retrying, ${recent} as recent,
      case when status = 'pending' then deferred_by end as deferred_by, count(*) as n
    from messages where campaign_id = ${campaignId}
    group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  return r.rows.map((row) => ({ ...row, n: Number(row.n) }));
}

/** A stretch of a campaign's ledger by message id, both ends included: what a queued batch descriptor names. */
export interface IdRange {
  fromId: number;
  toId: number;
}

/**
 * Claims pending messages of a campaign for `leaseMs`; SKIP LOCKED lets several senders share it without overlap. A
 * claim not settled by the end of its lease is taken back (recoverExpiredClaims). A message held for its local time
 * no longer is once claimed (deferred_by cleared): a later deferral is quiet hours' or a cap's.
 */
export async function claimPending(db: Db, campaignId: number, limit: number, at: Date, leaseMs: number, range?: IdRange) {
  const rows = await db
    .updateTable('messages')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      updated_at: at,
      lease_until: new Date(at.getTime() + leaseMs),
      deferred_by: null,
      public_id: sql<string>`coalesce(public_id, ${newPublicId(at)})`,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'pending')
        .where((w) => w.or([w('not_before', 'is', null), w('not_before', '<=', at)]))
        .$if(!!range, (q) => q.where('id', '>=', range!.fromId).where('id', '<=', range!.toId))
        // A pause committed since the sender read its campaign: nothing more is claimed.
        .where(sql<boolean>`exists (select 1 from campaigns where id = ${campaignId} and status = 'sending')`)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'contact_id', 'public_id', 'attempts', 'variant'])
    .execute();
  return rows.map((r) => ({ ...r, public_id: r.public_id! }));
}

export interface MessageChange {
  status: 'sent' | 'failed' | 'pending' | 'skipped' | 'cancelled';
  address?: string;
  provider_message_id?: string;
  error?: string;
  skip_reason?: string;
  capped_by?: string | null;
  not_before?: Date | null;
  /** The claim never reached a transport (a deferral): it does not count as an attempt. */
  uncountAttempt?: boolean;
}

export async function markMessage(db: Db, id: number, change: MessageChange, at: Date) {
  await markMessages(db, [{ id, ...change }], at);
}

/**
 * Records several messages' changes in one statement, each as its MessageChange says: a field left undefined is kept,
 * null clears it. A contact erased while their message was in the transport's hands has had contact_id, address and
 * any error quoting it cleared (scrubContactMessages): the outcome is still recorded, their address is not written back.
 */
export async function markMessages(db: Db, changes: Array<MessageChange & { id: number }>, at: Date) {
  if (!changes.length) return;
  const given = (v: unknown) => v !== undefined;
  const rows = JSON.stringify(changes.map((c) => ({
    id: Number(c.id), status: c.status, uncount: !!c.uncountAttempt,
    has_address: given(c.address), address: c.address ?? null,
    has_error: given(c.error), error: c.error ?? null,
    has_skip_reason: given(c.skip_reason), skip_reason: c.skip_reason ?? null,
    has_capped_by: given(c.capped_by), capped_by: c.capped_by ?? null,
    has_not_before: given(c.not_before), not_before: c.not_before?.toISOString() ?? null,
    has_provider_id: given(c.provider_message_id), provider_message_id: c.provider_message_id ?? null,
  })));
  await sql`
    update messages m set
      status = v.status,
      address = case when not v.has_address then m.address when m.contact_id is null then null else v.address end,
      error = case when not v.has_error then m.error when m.contact_id is null then '[erased]' else v.error end,
      skip_reason = case when v.has_skip_reason then v.skip_reason else m.skip_reason end,
      capped_by = case when v.has_capped_by then v.capped_by else m.capped_by end,
      not_before = case when v.has_not_before then v.not_before else m.not_before end,
      provider_message_id = case when v.has_provider_id then v.provider_message_id else m.provider_message_id end,
      attempts = case when v.uncount then greatest(m.attempts - 1, 0) else m.attempts end,
      sent_at = case when v.status = 'sent' then ${at}::timestamptz else m.sent_at end,
      updated_at = ${at}::timestamptz, lease_until = null
    from jsonb_to_recordset(${rows}::jsonb) as v(
      id bigint, status text, uncount boolean, has_address boolean, address text, has_error boolean, error text,
      has_skip_reason boolean, skip_reason text, has_capped_by boolean, capped_by text, has_not_before boolean,
      not_before timestamptz, has_provider_id boolean, provider_message_id text)
    where m.id = v.id`.execute(db);
}

/** A hand-over the transport accepted, recorded in a group of its batch (markSent). */
export interface SentOutcome {
  id: number;
  address: string;
  provider_message_id: string;
  at: Date;
  /** An SMS's encoding and segments (what it costs). */
  sms_encoding?: 'GSM-7' | 'UCS-2';
  sms_segments?: number;
}

/**
 * Records accepted hand-overs in one statement, each as markMessage records `sent`, at its own time: the address of a
 * contact erased meanwhile is not written back. Until then the messages stay `sending` under their lease, so a sender
 * that dies before this statement leaves them to be taken back (and sent again).
 */
export async function markSent(db: Db, outcomes: SentOutcome[]) {
  if (!outcomes.length) return;
  const rows = JSON.stringify(outcomes.map((o) => ({ ...o, id: Number(o.id) })));
  await sql`
    update messages m set status = 'sent', address = case when m.contact_id is null then null else v.address end,
      provider_message_id = v.provider_message_id, sent_at = v.at, updated_at = v.at, lease_until = null,
      sms_encoding = v.sms_encoding, sms_segments = v.sms_segments
    from jsonb_to_recordset(${rows}::jsonb) as v(id bigint, address text, provider_message_id text, at timestamptz, sms_encoding text, sms_segments smallint)
    where m.id = v.id`.execute(db);
}

/**
 * Puts back in `pending` the messages of a campaign (or, with null, of no campaign) whose claim outlived its lease:
 * their sender died before recording what the transport answered. Some may have been handed over: they are sent
 * again (no transport here takes an idempotency key), the only duplicates the ledger allows. Returns how many.
 */
export async function recoverExpiredClaims(db: Db, campaignId: number | null, at: Date): Promise<number> {
  const r = await sql`
    update messages set status = 'pending', lease_until = null, updated_at = ${at}
    where ${campaignId === null ? sql`campaign_id is null` : sql`campaign_id = ${campaignId}`}
      and status = 'sending' and (lease_until is null or lease_until < ${at}::timestamptz)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Gives claimed messages that were never handed over back to `pending`, their attempt uncounted (a sender that stops
 * mid-batch: its campaign paused itself, or the transport refuses everything). Returns how many.
 */
export async function releaseClaims(db: Db, ids: number[], at: Date): Promise<number> {
  if (!ids.length) return 0;
  const r = await sql`
    update messages set status = 'pending', attempts = greatest(attempts - 1, 0), lease_until = null, updated_at = ${at}::timestamptz
    where id = any(${ids}::bigint[]) and status = 'sending'`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function cancelPending(db: Db, campaignId: number, at: Date) {
  await db
    .updateTable('messages')
    .set({ status: 'cancelled', updated_at: at })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * An A/B test's winner is chosen: the rest of its audience, held pending since the launch (deferred_by ab_winner),
 * gets the winner's variant and is released to the senders. Returns how many.
 */
export async function releaseAbRest(db: Db, campaignId: number, variant: number, at: Date): Promise<number> {
  const r = await db
    .updateTable('messages')
    .set({ variant, not_before: null, deferred_by: null, updated_at: at })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .where('deferred_by', '=', 'ab_winner')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function hasUnfinished(db: Db, campaignId: number) {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', ['pending', 'sending'])
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** Campaign messages by their public ids, as tracking needs them: who, which campaign, when handed over. */
export async function findMessagesByPublicIds(db: Db, publicIds: string[]) {
  if (!publicIds.length) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'public_id', 'campaign_id', 'contact_id', 'sent_at'])
    .where(sql<boolean>`public_id = any(${publicIds}::text[])`)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id), publicId: r.public_id!, campaignId: r.campaign_id == null ? null : Number(r.campaign_id),
    contactId: r.contact_id == null ? null : Number(r.contact_id), sentAt: r.sent_at ? new Date(r.sent_at) : null,
  }));
}

/** Messages by their ledger ids. */
export async function findMessagesByIds(db: Db, ids: number[]) {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'public_id', 'channel', 'campaign_id', 'contact_id', 'sent_at', 'status'])
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id), publicId: r.public_id, channel: r.channel, status: r.status, campaignId: r.campaign_id == null ? null : Number(r.campaign_id),
    contactId: r.contact_id == null ? null : Number(r.contact_id), sentAt: r.sent_at ? new Date(r.sent_at) : null,
  }));
}

/** The last campaign message handed over on this channel to any of these contacts, since `since`. */
export async function lastSentCampaignMessage(db: Db, contactIds: number[], channel: string, since: Date) {
  if (!contactIds.length) return undefined;
  const row = await db
    .selectFrom('messages')
    .select(['id', 'public_id', 'channel', 'campaign_id', 'contact_id', 'sent_at'])
    .where(sql<boolean>`contact_id = any(${contactIds}::bigint[])`)
    .where('campaign_id', 'is not', null)
    .where('channel', '=', channel)
    .where('sent_at', '>=', since)
    .orderBy('sent_at', 'desc').orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && {
    id: Number(row.id), publicId: row.public_id, channel: row.channel, campaignId: Number(row.campaign_id), contactId: Number(row.contact_id),
    sentAt: new Date(row.sent_at!),
  };
}

/** Messages by the id their transport gave them (delivery reports name them so). */
export async function findMessagesByProviderIds(db: Db, providerIds: string[]) {
  if (!providerIds.length) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'public_id', 'provider_message_id', 'campaign_id', 'contact_id', 'sent_at'])
    .where(sql<boolean>`provider_message_id = any(${providerIds}::text[])`)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id), publicId: r.public_id, providerMessageId: r.provider_message_id!, campaignId: r.campaign_id == null ? null : Number(r.campaign_id),
    contactId: r.contact_id == null ? null : Number(r.contact_id), sentAt: r.sent_at ? new Date(r.sent_at) : null,
  }));
}

/** A campaign message by its public id (tokens carry it), with its campaign's topic and name. */
export async function findMessageByPublicId(db: Db, publicId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('campaigns', 'campaigns.id', 'messages.campaign_id')
    .select(['messages.id', 'messages.contact_id', 'messages.channel', 'messages.public_id', 'messages.campaign_id', 'messages.sent_at', 'campaigns.topic_id', 'campaigns.name as campaign_name'])
    .where('messages.public_id', '=', publicId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------------------
// Messages of no campaign

/** A test send is a campaign's message sent to an address a marketer gives: no campaign_id, so never counted. */
export type SystemPurpose = 'confirmation' | 'keyword_reply' | 'test';

/** The same form as newPublicId, made before the row exists (its links must carry it). */
export function publicIdAt(at: Date): string {
  return at.getTime().toString(16).padStart(12, '0') + crypto.randomUUID().replace(/-/g, '').slice(0, 20);
}

/** Queues one message of no campaign with its rendered content; returns its id. */
export async function insertSystemMessage(
  db: Db,
  m: { purpose: SystemPurpose; channel: string; contactId: number; address: string; publicId: string; payload: unknown },
  at: Date,
) {
  const row = await db
    .insertInto('messages')
    .values({
      campaign_id: null, purpose: m.purpose, contact_id: m.contactId, channel: m.channel, status: 'pending', address: m.address,
      payload: JSON.stringify(m.payload), public_id: m.publicId, created_at: at, updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Claims due messages of no campaign (pending, not held until later); SKIP LOCKED, as for campaigns. */
export async function claimSystemMessages(db: Db, limit: number, at: Date, leaseMs: number, ids?: number[]) {
  const rows = await db
    .updateTable('messages')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: at, lease_until: new Date(at.getTime() + leaseMs) }))
    .where('id', 'in', (eb) => {
      let q = eb
        .selectFrom('messages')
        .select('id')
        .where('campaign_id', 'is', null)
        .where('status', '=', 'pending')
        .where((w) => w.or([w('not_before', 'is', null), w('not_before', '<=', at)]));
      if (ids) q = q.where('id', 'in', ids.length ? ids : [0]);
      return q.orderBy('id').limit(limit).forUpdate().skipLocked();
    })
    .returning(['id', 'channel', 'contact_id', 'address', 'payload', 'public_id', 'attempts'])
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), public_id: r.public_id!, attempts: Number(r.attempts) }));
}

// ---------------------------------------------------------------------------------------------------------------
// A contact's messages (access and erasure)

// Campaign messages are found by one probe of (campaign_id, contact_id) per campaign: the ledger has no
// contact-first index over every row. Messages of no campaign have their own partial index. Each query below asks
// both ways separately, so each can use its index (an OR of the two would scan the ledger).
const ofContact = (contactId: number) => [
  sql<boolean>`m.contact_id = ${contactId} and m.campaign_id in (select id from campaigns)`,
  sql<boolean>`m.contact_id = ${contactId} and m.campaign_id is null`,
];

export async function contactMessages(db: Db, contactId: number) {
  const [campaigns, system] = ofContact(contactId);
  const select = (where: RawBuilder<boolean>) => sql`
    select m.id, m.campaign_id, c.name as campaign_name, m.purpose, m.channel, m.status, m.skip_reason, m.address, m.created_at, m.sent_at,
      e.first_open_human_at as opened_at, e.first_click_human_at as clicked_at, e.replied_at, e.converted_at
    from messages m left join campaigns c on c.id = m.campaign_id left join message_engagement e on e.message_id = m.id where ${where}`;
  const r = await sql<{
    id: number; campaign_id: number | null; campaign_name: string | null; purpose: string; channel: string; status: string;
    skip_reason: string | null; address: string | null; created_at: Date; sent_at: Date | null; opened_at: Date | null;
    clicked_at: Date | null; replied_at: Date | null; converted_at: Date | null;
  }>`${select(campaigns)} union all ${select(system)} order by id`.execute(db);
  return r.rows;
}

/** Every distinct clear address the ledger holds for this contact, per channel (a changed email leaves the old one). */
export async function contactMessageAddresses(trx: Trx, contactId: number) {
  const [campaigns, system] = ofContact(contactId);
  const r = await sql<{ channel: string; address: string }>`
    select m.channel, m.address from messages m where ${campaigns} and m.address is not null
    union
    select m.channel, m.address from messages m where ${system} and m.address is not null`.execute(trx);
  return r.rows;
}

/**
 * The ledger keeps its rows (campaign counts still add up) but loses the contact, the clear address and the rendered
 * content of messages of no campaign; an error text that quotes one of the person's addresses is replaced. Messages
 * not yet handed over are skipped as for a deleted contact.
 */
export async function scrubContactMessages(trx: Trx, contactId: number, addresses: string[], at: Date) {
  const lowered = [...new Set(addresses.map((a) => a.toLowerCase()))];
  let scrubbed = 0;
  for (const where of ofContact(contactId)) {
    const result = await sql`
      update messages m set
        contact_id = null,
        address = null,
        payload = case when m.payload is null then null else '{}'::jsonb end,
        error = case
          when m.error is not null and exists (select 1 from unnest(${lowered}::text[]) as a(v) where strpos(lower(m.error), a.v) > 0)
          then '[erased]' else m.error end,
        status = case when m.status = 'pending' then 'skipped' else m.status end,
        skip_reason = case when m.status = 'pending' then 'contact_deleted' else m.skip_reason end,
        not_before = case when m.status = 'pending' then null else m.not_before end,
        updated_at = ${at}::timestamptz
      where ${where}
    `.execute(trx);
    scrubbed += Number(result.numAffectedRows ?? 0);
  }
  return scrubbed;
}
