// Responses (replies, coupons…), their codes, and attributed conversions: appended once each, by key.
import { sql } from 'kysely';
import type { Executor as Db } from '../db/transaction.js';

export interface ResponseRow {
  response_key: string;
  message_id: number | null;
  campaign_id: number | null;
  contact_id: number | null;
  channel: string;
  kind: 'reply' | 'coupon' | 'call' | 'other';
  body: string | null;
  code: string | null;
  properties: Record<string, unknown>;
  occurred_at: Date;
}

/** Keeps a response once: the id of the new row, or of the one kept before under the same key (`duplicate`). */
export async function insertResponse(db: Db, r: ResponseRow): Promise<{ id: number; duplicate: boolean }> {
  const added = await db.insertInto('responses').values({ ...r, properties: JSON.stringify(r.properties) })
    .onConflict((oc) => oc.column('response_key').doNothing()).returning('id').executeTakeFirst();
  if (added) return { id: Number(added.id), duplicate: false };
  const kept = await db.selectFrom('responses').select('id').where('response_key', '=', r.response_key).executeTakeFirstOrThrow();
  return { id: Number(kept.id), duplicate: true };
}

export async function findResponseCode(db: Db, code: string) {
  const row = await db.selectFrom('response_codes').select('message_id').where('code', '=', code).executeTakeFirst();
  return row ? Number(row.message_id) : undefined;
}

/** The reply-coupon codes these messages already have (a letter printed again keeps its code). */
export async function findCodesOfMessages(db: Db, messageIds: number[]): Promise<Map<number, string>> {
  if (!messageIds.length) return new Map();
  const rows = await db.selectFrom('response_codes').select(['message_id', 'code']).where('message_id', 'in', messageIds).execute();
  return new Map(rows.map((r) => [Number(r.message_id), r.code]));
}

/** New codes for messages that have none, in one statement; a code or message already taken is skipped. */
export async function insertResponseCodes(db: Db, codes: Array<{ code: string; message_id: number }>) {
  if (!codes.length) return;
  await sql`insert into response_codes (code, message_id) select * from unnest(${codes.map((c) => c.code)}::text[], ${codes.map((c) => c.message_id)}::bigint[]) on conflict do nothing`.execute(db);
}

/**
 * For each conversion, the contact's last human hit of this kind in (at - days, at]: the touch it is attributed to.
 * One statement for the batch, one index probe per event (tracking_hits_contact_idx).
 */
export async function lastHumanHits(db: Db, kind: 'open' | 'click', days: number, events: Array<{ event_id: number; contact_id: number; at: Date }>) {
  if (!events.length || days <= 0) return new Map<number, { messageId: number; campaignId: number | null; at: Date }>();
  const r = await sql<{ event_id: string; message_id: string; campaign_id: string | null; occurred_at: Date }>`
    select v.event_id, h.message_id, h.campaign_id, h.occurred_at
    from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as v(event_id bigint, contact_id bigint, at timestamptz)
    cross join lateral (
      select message_id, campaign_id, occurred_at from tracking_hits
      where contact_id = v.contact_id and kind = ${kind} and class = 'human'
        and occurred_at > v.at - make_interval(secs => ${days * 86_400}) and occurred_at <= v.at
      order by occurred_at desc limit 1
    ) h`.execute(db);
  return new Map(r.rows.map((row) => [Number(row.event_id), {
    messageId: Number(row.message_id), campaignId: row.campaign_id == null ? null : Number(row.campaign_id), at: new Date(row.occurred_at),
  }]));
}

/** Keeps an attributed conversion once per event; false when it was attributed before. */
export async function insertConversion(db: Db, c: {
  event_id: number; contact_id: number; campaign_id: number | null; message_id: number; type: string; value: number | null;
  occurred_at: Date; touch: 'click' | 'open' | 'call'; touch_at: Date;
}): Promise<boolean> {
  const row = await db.insertInto('conversions').values(c).onConflict((oc) => oc.column('event_id').doNothing()).returning('event_id').executeTakeFirst();
  return row !== undefined;
}

/** Erasure: the person's words go; the counts stay. */
export async function scrubContactResponses(db: Db, contactId: number) {
  await sql`update responses set body = null, properties = '{}', contact_id = null where contact_id = ${contactId}`.execute(db);
}

/** The right of access: the contact's responses, oldest first. */
export async function exportContactResponses(db: Db, contactId: number) {
  return db.selectFrom('responses').leftJoin('messages', 'messages.id', 'responses.message_id')
    .select(['responses.id', 'messages.public_id as message_id', 'responses.channel', 'responses.kind', 'responses.body', 'responses.code', 'responses.occurred_at'])
    .where('responses.contact_id', '=', contactId).orderBy('responses.occurred_at').orderBy('responses.id').execute();
}
