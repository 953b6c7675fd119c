import type { Executor as Db, Trx } from '../db/transaction.js';
import type { Audience } from './audience.js';

export const campaignColumns = [
  'id', 'name', 'channel', 'kind', 'priority', 'on_cap', 'deadline', 'track_opens', 'template_id', 'topic_id', 'audience', 'status', 'created_at',
  'updated_at', 'launched_at', 'completed_at', 'cancelled_at',
] as const;

export async function insertCampaign(
  db: Db,
  c: {
    name: string; channel: string; template_id: number; topic_id: number; audience: Audience;
    kind: string; priority: string; on_cap: string; deadline: Date | null; track_opens: boolean;
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

export async function lockCampaign(trx: Trx, id: number) {
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
