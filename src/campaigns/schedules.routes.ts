import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, notFound, security } from '../http/schemas.js';
import { AudienceSchema } from './audience.js';
import { recurrenceProblem, timezoneProblem } from './schedules.recurrence.js';
import { ScheduleSchema } from './schedules.views.js';

const tags = ['Schedules'];

/** A string that `problem` finds nothing wrong with; its message otherwise, on the field. */
const checked = (schema: z.ZodString, problem: (v: string) => string | undefined) =>
  schema.superRefine((v, ctx) => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const fields = {
  name: z.string().min(1).max(180).openapi({ description: 'Each run\'s campaign is named after it and the occurrence\'s date: "Lettre du mardi — 2026-12-08"' }),
  channel: z.enum(SENDABLE_CHANNELS),
  template_id: z.number().int().positive().openapi({ description: 'Frozen at each run\'s launch: edit the template between runs and the next run sends the edit' }),
  topic: z.string().min(1).max(64).openapi({ example: 'newsletter' }),
  audience: AudienceSchema,
  recurrence: checked(z.string().min(1, { abort: true }).max(100, { abort: true }), recurrenceProblem).openapi({
    description:
      'A cron rule of 5 fields, minute hour day-of-month month day-of-week, read in `timezone`: "0 9 * * TUE" every Tuesday at 09:00, ' +
      '"30 8 * * 1-5" weekdays at 08:30, "0 10 * * TUE#1" the first Tuesday of the month, "0 18 L * *" the last day of the month. ' +
      'One minute value, so at most once an hour; it must run at least once within a year. Day of month and day of week together ' +
      'mean either ("0 9 1 * MON": the 1st and every Monday), as in cron; "+MON" means both.',
    example: '0 9 * * TUE',
  }),
  timezone: checked(z.string().min(1, { abort: true }).max(64, { abort: true }), timezoneProblem).openapi({ description: 'The IANA zone the rule is read in; its times keep their wall-clock time across DST', example: 'Europe/Paris' }),
  kind: z.enum(['marketing', 'transactional']).optional(),
  priority: z.enum(['high', 'normal', 'low']).optional(),
  on_cap: z.enum(['skip', 'defer']).optional().openapi({ description: 'A capped message is skipped or sent when the window reopens, as for a campaign' }),
  deadline_hours: z.number().int().min(1).max(8760).nullable().optional().openapi({ description: 'Deferred messages of a run not sendable this many hours after its occurrence are skipped' }),
  track_opens: z.boolean().optional(),
};

const ScheduleBody = z.object(fields).strict();
const SchedulePatch = z.object(fields).partial().strict();

const active: z.output<typeof ScheduleSchema> = {
  id: 4, name: 'Lettre du mardi', channel: 'email', kind: 'marketing', priority: 'normal', on_cap: 'defer', deadline_hours: 48, track_opens: true,
  template_id: 9, topic: 'newsletter', audience: { include: [{ segment_id: 3 }], exclude: [{ list_id: 2 }] }, recurrence: '0 9 * * TUE',
  timezone: 'Europe/Paris', status: 'active', next_run_at: '2026-11-24T08:00:00.000Z', last_run_at: '2026-11-17T08:00:00.000Z', paused_at: null,
  paused_reason: null, created_at: '2026-11-02T08:15:00.000Z', updated_at: '2026-11-17T08:00:03.000Z',
};
const detail: z.output<typeof ScheduleSchema> = {
  ...active,
  next_runs: ['2026-11-24T08:00:00.000Z', '2026-12-01T08:00:00.000Z', '2026-12-08T08:00:00.000Z', '2026-12-15T08:00:00.000Z', '2026-12-22T08:00:00.000Z'],
  campaigns: [
    { id: 31, name: 'Lettre du mardi — 2026-11-17', status: 'sent', occurrence: '2026-11-17T08:00:00.000Z', launched_at: '2026-11-17T08:00:04.000Z', completed_at: '2026-11-17T08:03:10.000Z' },
    { id: 27, name: 'Lettre du mardi — 2026-11-10', status: 'sent', occurrence: '2026-11-10T08:00:00.000Z', launched_at: '2026-11-10T08:00:02.000Z', completed_at: '2026-11-10T08:02:51.000Z' },
  ],
};
const paused: z.output<typeof ScheduleSchema> = {
  ...detail, status: 'paused', next_run_at: null, paused_at: '2026-11-18T10:00:00.000Z', paused_reason: 'manual', updated_at: '2026-11-18T10:00:00.000Z', next_runs: [],
};

export const createScheduleRoute = createRoute({
  method: 'post', path: '/schedules', tags, security,
  summary: 'Create a recurring schedule (a newsletter that sends itself)',
  description:
    'At each occurrence of `recurrence` in `timezone`, the every-minute job makes a new campaign from the template, ' +
    'topic, audience and options given here, named after the schedule and the date, and launches it: its audience is ' +
    'evaluated then, quiet hours and caps apply as to any campaign, and it has its own counts and report. After ' +
    'downtime only the latest missed occurrence is sent. A run whose template, topic, list or segment has gone pauses ' +
    'the schedule (`paused_reason`). 422 names each problem: a rule that is not 5 cron fields, that would run more ' +
    'than once an hour or never within a year (`recurrence`), an unknown zone (`timezone`), or what a campaign refuses ' +
    '(unknown template, topic, list or segment).',
  request: exampleBody(ScheduleBody, {
    name: 'Lettre du mardi', channel: 'email', template_id: 9, topic: 'newsletter', audience: { include: [{ segment_id: 3 }], exclude: [{ list_id: 2 }] },
    recurrence: '0 9 * * TUE', timezone: 'Europe/Paris', on_cap: 'defer', deadline_hours: 48,
  }),
  responses: {
    201: exampleResponse(ScheduleSchema, 'Created, active', { ...detail, last_run_at: null, updated_at: detail.created_at, campaigns: [] }),
    ...badRequest, ...commonErrors,
  },
});

export const listSchedulesRoute = createRoute({
  method: 'get', path: '/schedules', tags, security, request: { query: pageQuery },
  summary: 'List recurring schedules',
  description: 'Schedules oldest first, without their next runs and campaigns (read one schedule for them); next_cursor continues.',
  responses: { 200: exampleResponse(pageSchema(ScheduleSchema), 'Schedules', { data: [active], next_cursor: null }), ...commonErrors },
});

export const getScheduleRoute = createRoute({
  method: 'get', path: '/schedules/{id}', tags, security, request: { params: IdParam },
  summary: 'Get a schedule with its next runs and its campaigns',
  description:
    'The schedule, its next 5 occurrences (none while paused) and its latest 20 campaigns, newest first: read each ' +
    'campaign (GET /v1/campaigns/{id}) for its counts, and its report. 404 for an unknown schedule.',
  responses: { 200: exampleResponse(ScheduleSchema, 'The schedule', detail), ...commonErrors, ...notFound },
});

export const patchScheduleRoute = createRoute({
  method: 'patch', path: '/schedules/{id}', tags, security,
  summary: 'Change a schedule',
  description:
    'Only what is given changes, checked with the rest as on creation (422 naming each field). A new recurrence or ' +
    'time zone starts from its first occurrence after now. Campaigns already made are not affected. 404 for an unknown schedule.',
  request: { params: IdParam, ...exampleBody(SchedulePatch, { recurrence: '0 8 * * WED', deadline_hours: null }) },
  responses: {
    200: exampleResponse(ScheduleSchema, 'Changed', {
      ...detail, recurrence: '0 8 * * WED', deadline_hours: null, next_run_at: '2026-11-25T07:00:00.000Z', updated_at: '2026-11-18T10:00:00.000Z',
      next_runs: ['2026-11-25T07:00:00.000Z', '2026-12-02T07:00:00.000Z', '2026-12-09T07:00:00.000Z', '2026-12-16T07:00:00.000Z', '2026-12-23T07:00:00.000Z'],
    }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});

export const pauseScheduleRoute = createRoute({
  method: 'post', path: '/schedules/{id}/pause', tags, security, request: { params: IdParam },
  summary: 'Pause a schedule',
  description:
    'No more runs until it is resumed; a campaign already made goes on (pause or cancel it on its own). Pausing a ' +
    'paused schedule changes nothing. 404 for an unknown schedule.',
  responses: { 200: exampleResponse(ScheduleSchema, 'Paused', paused), ...commonErrors, ...notFound },
});

export const resumeScheduleRoute = createRoute({
  method: 'post', path: '/schedules/{id}/resume', tags, security, request: { params: IdParam },
  summary: 'Resume a paused schedule',
  description:
    'Runs again from the first occurrence after now: occurrences missed while paused are not sent. Resuming an active ' +
    'schedule changes nothing. 404 for an unknown schedule; 409 when its rule has no further occurrence.',
  responses: {
    200: exampleResponse(ScheduleSchema, 'Active again', { ...detail, updated_at: '2026-11-18T10:05:00.000Z' }),
    ...commonErrors, ...notFound, ...conflict,
  },
});

export const deleteScheduleRoute = createRoute({
  method: 'delete', path: '/schedules/{id}', tags, security, request: { params: IdParam },
  summary: 'Delete a schedule',
  description: 'Stops its future runs. The campaigns it made stay, with their reports; a run in progress finishes. 404 for an unknown schedule.',
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...notFound },
});
