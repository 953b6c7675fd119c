import type { NotNull } from 'kysely';
import type { Executor as Db, Trx } from '../db/transaction.js';
import type { Audience } from './audience.js';

export const scheduleColumns = [
  'id', 'name', 'channel', 'kind', 'priority', 'on_cap', 'deadline_hours', 'track_opens', 'template_id', 'topic', 'audience', 'recurrence',
  'timezone', 'status', 'next_run_at', 'last_run_at', 'paused_at', 'paused_reason', 'created_at', 'updated_at',
] as const;

/** What a schedule's campaigns are made of, and when they are made: the columns a client writes. */
export interface ScheduleFields {
  name: string; channel: string; kind: string; priority: string; on_cap: string; deadline_hours: number | null; track_opens: boolean;
  template_id: number; topic: string; audience: Audience; recurrence: string; timezone: string;
}

export async function insertSchedule(db: Db, s: ScheduleFields, nextRunAt: Date, at: Date) {
  return db
    .insertInto('campaign_schedules')
    .values({ ...s, audience: JSON.stringify(s.audience), status: 'active', next_run_at: nextRunAt, created_at: at, updated_at: at })
    .returning(scheduleColumns)
    .executeTakeFirstOrThrow();
}

export async function findSchedule(db: Db, id: number) {
  return db.selectFrom('campaign_schedules').select(scheduleColumns).where('id', '=', id).executeTakeFirst();
}

export async function lockSchedule(trx: Trx, id: number) {
  return trx.selectFrom('campaign_schedules').select(scheduleColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listSchedules(db: Db, page: { after?: number; limit: number }) {
  let q = db.selectFrom('campaign_schedules').select(scheduleColumns).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

/** Active schedules whose next run has come, in one statement (campaign_schedules_due_idx). */
export async function listDueScheduleIds(db: Db, at: Date) {
  const rows = await db
    .selectFrom('campaign_schedules').select('id')
    .where('status', '=', 'active').where('next_run_at', '<=', at)
    .orderBy('next_run_at').orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export async function updateSchedule(
  db: Db,
  id: number,
  changes: Partial<ScheduleFields> & { status?: 'active' | 'paused'; next_run_at?: Date | null; last_run_at?: Date; paused_at?: Date | null; paused_reason?: string | null },
  at: Date,
) {
  const { audience, ...rest } = changes;
  return db
    .updateTable('campaign_schedules')
    .set({ ...rest, ...(audience !== undefined ? { audience: JSON.stringify(audience) } : {}), updated_at: at })
    .where('id', '=', id)
    .returning(scheduleColumns)
    .executeTakeFirstOrThrow();
}

export async function deleteSchedule(db: Db, id: number) {
  const r = await db.deleteFrom('campaign_schedules').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ties a run's campaign to its schedule and occurrence (campaigns_schedule_occurrence_key: once per occurrence). */
export async function linkCampaign(db: Db, campaignId: number, scheduleId: number, occurrence: Date) {
  await db.updateTable('campaigns').set({ schedule_id: scheduleId, occurrence }).where('id', '=', campaignId).execute();
}

export async function hasRun(db: Db, scheduleId: number, occurrence: Date) {
  return !!(await db.selectFrom('campaigns').select('id').where('schedule_id', '=', scheduleId).where('occurrence', '=', occurrence).executeTakeFirst());
}

/** A schedule's latest campaigns, newest occurrence first. */
export async function listScheduleCampaigns(db: Db, scheduleId: number, limit: number) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'name', 'status', 'occurrence', 'launched_at', 'completed_at'])
    .where('schedule_id', '=', scheduleId)
    .where('occurrence', 'is not', null)
    .$narrowType<{ occurrence: NotNull }>()
    .orderBy('occurrence', 'desc').orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
