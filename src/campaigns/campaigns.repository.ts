import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Audience } from './audience.js';
import { addressHashSql } from '../consent/suppression.repository.js';

type Db = Database | Transaction<DB>;

export const campaignColumns = [
  'id', 'name', 'channel', 'kind', 'priority', 'on_cap', 'deadline', 'template_id', 'topic_id', 'audience', 'status', 'created_at',
  'updated_at', 'launched_at', 'completed_at', 'cancelled_at',
] as const;

export async function insertCampaign(
  db: Db,
  c: {
    name: string; channel: string; template_id: number; topic_id: number; audience: Audience;
    kind: string; priority: string; on_cap: string; deadline: Date | null;
  },
  at: Date,
) {
  return db
    .insertInto('campaigns')
    .values({ ...c, audience: JSON.stringify(c.audience), created_at: at, updated_at: at })
    .returning(campaignColumns)
    .executeTakeFirstOrThrow();
}

export async function findCampaign(db: Db, id: number) {
  return db.selectFrom('campaigns').select([...campaignColumns, 'content']).where('id', '=', id).executeTakeFirst();
}

export async function lockCampaign(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('campaigns').select([...campaignColumns, 'content']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listCampaigns(db: Db, page: { after?: number; limit: number }) {
  let q = db.selectFrom('campaigns').select(campaignColumns).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

export async function listSendingCampaignIds(db: Db) {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'sending').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

export async function setCampaignStatus(
  db: Db,
  id: number,
  from: string[],
  to: 'sending' | 'sent' | 'cancelled',
  at: Date,
  extra: { content?: unknown } = {},
) {
  const stamp = to === 'sending' ? { launched_at: at } : to === 'sent' ? { completed_at: at } : { cancelled_at: at };
  const r = await db
    .updateTable('campaigns')
    .set({ status: to, updated_at: at, ...stamp, ...(extra.content !== undefined ? { content: JSON.stringify(extra.content) } : {}) })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A subscription row `s` that allows marketing now: subscribed, or a pause that has ended. */
export function subscribedNow(at: Date) {
  return sql<boolean>`(s.status = 'subscribed' or (s.status = 'paused' and s.paused_until <= ${at}::timestamptz))`;
}

/**
 * The launch snapshot, in one statement: one ledger row per audience member. Those who cannot be sent to
 * (no address, no consent, suppressed) get a row too, marked skipped with the reason, so the counts explain the
 * audience. Rows stay narrow (the address and public id are written when the message is handed over), so a
 * million take seconds. A second launch is refused by the campaign's status; the unique key (campaign, contact,
 * channel) backs that up.
 */
export async function snapshotAudience(
  trx: Transaction<DB>,
  campaign: { id: number; channel: 'email' | 'sms'; topic_id: number; kind: 'marketing' | 'transactional' },
  audienceFilter: ReturnType<typeof sql>,
  at: Date,
) {
  const address = campaign.channel === 'email' ? sql.ref('c.email') : sql.ref('c.phone');
  // Transactional messages ignore topic consent; nothing ever goes to a suppressed address.
  const consented = campaign.kind === 'transactional' ? sql`true` : subscribedNow(at);
  const result = await sql`
    insert into messages (campaign_id, contact_id, channel, status, skip_reason, created_at, updated_at)
    select ${campaign.id}, a.contact_id, ${campaign.channel},
      case when a.reason is null then 'pending' else 'skipped' end, a.reason, ${at}, ${at}
    from (
      select c.id as contact_id,
        case
          when ${address} is null then 'no_address'
          when sp.id is not null then 'suppressed'
          when ${consented} then null
          when s.status is null then 'not_subscribed'
          else s.status
        end as reason
      from contacts c
      left join subscriptions s on s.contact_id = c.id and s.channel = ${campaign.channel} and s.topic_id = ${campaign.topic_id}
      left join suppressions sp on sp.channel = ${campaign.channel} and sp.address_hash = ${addressHashSql(address)}
      where ${audienceFilter}
    ) a
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export async function countMessages(db: Db, campaignId: number) {
  const r = await sql<{ status: string; skip_reason: string | null; capped_by: string | null; deferred: boolean; n: number }>`
    select status, skip_reason, capped_by, (status = 'pending' and not_before is not null) as deferred, count(*) as n
    from messages where campaign_id = ${campaignId}
    group by status, skip_reason, capped_by, (status = 'pending' and not_before is not null)`.execute(db);
  return r.rows;
}

/** Claims pending messages for this process; SKIP LOCKED lets several senders share a campaign without overlap. */
export async function claimPending(db: Db, campaignId: number, limit: number, at: Date) {
  const rows = await db
    .updateTable('messages')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      updated_at: at,
      // Opaque and unique (Message-ID, outbox file name, tokens): the claim time in milliseconds, then 80 random
      // bits. Time-ordered like a UUIDv7, so the unique index grows at its right edge; it says no more than the
      // Date header does.
      public_id: sql<string>`coalesce(public_id, lpad(to_hex((extract(epoch from ${at}::timestamptz) * 1000)::bigint), 12, '0')
        || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20))`,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'pending')
        .where((w) => w.or([w('not_before', 'is', null), w('not_before', '<=', at)]))
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'contact_id', 'public_id', 'attempts'])
    .execute();
  return rows.map((r) => ({ ...r, public_id: r.public_id! }));
}

export async function markMessage(
  db: Db,
  id: number,
  change: {
    status: 'sent' | 'failed' | 'pending' | 'skipped' | 'cancelled';
    address?: string;
    provider_message_id?: string;
    error?: string;
    skip_reason?: string;
    capped_by?: string | null;
    not_before?: Date | null;
  },
  at: Date,
) {
  const { address, error, ...rest } = change;
  // A contact erased while their message was in the transport's hands has had contact_id, address and any error
  // quoting it cleared (scrubMessages): the outcome is still recorded, their address is not written back.
  const personal = {
    ...(address !== undefined ? { address: sql<string | null>`case when contact_id is null then null else ${address}::text end` } : {}),
    ...(error !== undefined ? { error: sql<string | null>`case when contact_id is null then '[erased]' else ${error}::text end` } : {}),
  };
  await db
    .updateTable('messages')
    .set({ ...rest, ...personal, updated_at: at, ...(change.status === 'sent' ? { sent_at: at } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function cancelPending(db: Db, campaignId: number, at: Date) {
  await db
    .updateTable('messages')
    .set({ status: 'cancelled', updated_at: at })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .execute();
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

/** Which of these contacts are still subscribed: an opt-out during sending stops what is not yet handed over. */
export async function stillSubscribed(db: Db, contactIds: number[], channel: string, topicId: number, now: Date) {
  if (!contactIds.length) return new Set<number>();
  const rows = await db
    .selectFrom('subscriptions')
    .select('contact_id')
    .where('contact_id', 'in', contactIds)
    .where('channel', '=', channel)
    .where('topic_id', '=', topicId)
    .where((w) => w.or([w('status', '=', 'subscribed'), w.and([w('status', '=', 'paused'), w('paused_until', '<=', now)])]))
    .execute();
  return new Set(rows.map((r) => Number(r.contact_id)));
}

export async function findMessageByPublicId(db: Db, publicId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('campaigns', 'campaigns.id', 'messages.campaign_id')
    .select(['messages.id', 'messages.contact_id', 'messages.channel', 'messages.public_id', 'campaigns.topic_id', 'campaigns.name as campaign_name'])
    .where('messages.public_id', '=', publicId)
    .executeTakeFirst();
}
