// Recurring newsletters: a schedule's rule, read in the marketer's zone, makes one campaign per occurrence through the
// every-minute job, on a movable clock. Instants are worked out by hand: Paris is UTC+2 (CEST) until Sunday
// 2026-10-25 03:00 local (01:00 UTC), UTC+1 (CET) after, and UTC+2 again from Sunday 2027-03-28 02:00 local (01:00
// UTC), when 02:00–03:00 does not exist. So 09:00 in Paris is 07:00 UTC on 18 October 2026, 08:00 UTC from 25 October.
import type { z } from '@hono/zod-openapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDueSchedules, scheduleRoutes } from '../../src/campaigns/index.js';
import { nextOccurrences } from '../../src/campaigns/schedules.recurrence.js';
import type { EmailTransport, SmsTransport } from '../../src/channels/types.js';
import type { Logger } from '../../src/http/log.js';
import { everyMinute } from '../../src/jobs.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign } from '../support/fixtures.js';

let clock = new Date('2026-10-12T10:00:00Z');
const sent: Array<{ channel: 'email' | 'sms'; to: string }> = [];
const email: EmailTransport = {
  name: 'recording',
  async send(m) {
    sent.push({ channel: 'email', to: m.to.address });
    return { providerMessageId: `p-${m.messageId}` };
  },
};
const sms: SmsTransport = {
  name: 'recording',
  async send(m) {
    sent.push({ channel: 'sms', to: m.to });
    return { providerMessageId: `p-${m.messageId}` };
  },
};

// What the app logs as errors: a test takes the ones it expects, and any other fails it.
let errors: Array<Record<string, unknown>> = [];
const log: Logger = { info() {}, error: (event, fields) => void errors.push({ event, ...fields }) };

let t: TestApp;
let emailTemplate: number;
let smsTemplate: number;

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock, transports: { email, sms }, log });
  emailTemplate = await createTemplate(t, 'email');
  smsTemplate = await createTemplate(t, 'sms');
});
afterAll(() => t.close());
// Each test's schedules go with it, so a later test's clock does not run them; their campaigns stay.
afterEach(async () => {
  expect(errors).toEqual([]);
  errors = [];
  const all = expectStatus(await t.api(scheduleRoutes.listSchedulesRoute, { query: { limit: 500 } }), 200);
  for (const s of all.data) expectStatus(await t.api(scheduleRoutes.deleteScheduleRoute, { param: { id: s.id } }), 204);
});

let seq = 0;
/** `n` contacts in Paris subscribed to `topic` on email and SMS, in a list of their own; `outsider` is subscribed but not in it. */
async function people(topic: string, n: number) {
  await createTopic(t, topic);
  const make = async (name: string) => {
    seq++;
    const res = await t.json('POST', '/v1/contacts', {
      email: `${name}@example.fr`, phone: `+3361200${String(seq).padStart(4, '0')}`, first_name: name, timezone: 'Europe/Paris', address: { country: 'FR' },
      subscriptions: [{ channel: 'email', topic, status: 'subscribed' }, { channel: 'sms', topic, status: 'subscribed' }],
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as number, email: res.body.email as string, phone: res.body.phone as string };
  };
  const members = [];
  for (let i = 1; i <= n; i++) members.push(await make(`${topic}-${i}`));
  const outsider = await make(`${topic}-outsider`);
  const list = await t.json('POST', '/v1/lists', { name: topic });
  expect((await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: members.map((m) => m.id) })).body.added).toBe(n);
  return { listId: list.body.id as number, members, outsider };
}

type ScheduleBody = z.input<typeof scheduleRoutes.createScheduleRoute.request.body.content['application/json']['schema']>;
async function createSchedule(body: Partial<ScheduleBody> & Pick<ScheduleBody, 'recurrence' | 'topic' | 'audience'>) {
  return expectStatus(
    await t.api(scheduleRoutes.createScheduleRoute, { json: { name: 'Weekly', channel: 'email', template_id: emailTemplate, timezone: 'Europe/Paris', ...body } }),
    201,
  );
}
const getSchedule = async (id: number) => expectStatus(await t.api(scheduleRoutes.getScheduleRoute, { param: { id } }), 200);

/** The every-minute job at `at`, with the senders it starts run to the end; returns the schedule's campaigns made then. */
async function tick(at: string, scheduleId: number) {
  clock = new Date(at);
  const before = (await getSchedule(scheduleId)).campaigns!.length;
  await everyMinute(t.deps);
  await t.deps.background.idle();
  const after = (await getSchedule(scheduleId)).campaigns!;
  return after.slice(0, after.length - before);
}
/** The schedules' part of the job alone at `at`: the campaigns it makes (none, where this is used). */
async function runsAt(at: string) {
  clock = new Date(at);
  return runDueSchedules(t.deps);
}
const sentTo = (addresses: string[]) => sent.filter((s) => addresses.includes(s.to)).map((s) => s.to).sort();

describe('a weekly newsletter', () => {
  it('makes one campaign per occurrence, at 09:00 in Paris on either side of the October DST change', async () => {
    clock = new Date('2026-10-12T10:00:00Z'); // a Monday
    const g = await people('weekly', 2);
    const created = await createSchedule({ recurrence: '0 9 * * SUN', topic: 'weekly', audience: { list_ids: [g.listId] } });
    expect(created).toMatchObject({ status: 'active', next_run_at: '2026-10-18T07:00:00.000Z', last_run_at: null, campaigns: [] });
    expect(created.next_runs).toEqual(['2026-10-18T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-11-01T08:00:00.000Z', '2026-11-08T08:00:00.000Z', '2026-11-15T08:00:00.000Z']);
    const id = created.id;

    // 18 October, summer time: 07:00 UTC, not a minute before; once only.
    expect(await runsAt('2026-10-18T06:59:00Z')).toEqual([]);
    const [first] = await tick('2026-10-18T07:00:00Z', id);
    expect(first).toMatchObject({ name: 'Weekly — 2026-10-18', occurrence: '2026-10-18T07:00:00.000Z', status: 'sent', launched_at: '2026-10-18T07:00:00.000Z' });
    expect(await runsAt('2026-10-18T07:01:00Z')).toEqual([]);
    expect(await runsAt('2026-10-18T08:00:00Z')).toEqual([]);

    // 25 October, the clocks went back at 03:00: 07:00 UTC is 08:00 in Paris, too early; 08:00 UTC is 09:00.
    expect(await runsAt('2026-10-25T07:00:00Z')).toEqual([]);
    const [second] = await tick('2026-10-25T08:00:00Z', id);
    expect(second).toMatchObject({ name: 'Weekly — 2026-10-25', occurrence: '2026-10-25T08:00:00.000Z', status: 'sent' });
    expect(await runsAt('2026-10-25T08:01:00Z')).toEqual([]);

    expect(await runsAt('2026-11-01T07:59:00Z')).toEqual([]);
    const [third] = await tick('2026-11-01T08:00:00Z', id);
    expect(third).toMatchObject({ name: 'Weekly — 2026-11-01', occurrence: '2026-11-01T08:00:00.000Z', status: 'sent' });

    const schedule = await getSchedule(id);
    expect(schedule.campaigns!.map((c) => c.id)).toEqual([third!.id, second!.id, first!.id]);
    expect(schedule).toMatchObject({ next_run_at: '2026-11-08T08:00:00.000Z', last_run_at: '2026-11-01T08:00:00.000Z' });
    expect(schedule.next_runs![4]).toBe('2026-12-06T08:00:00.000Z');

    // Each run went to the list (not to the outsider subscribed to the same topic), and has its own counts and report.
    expect(sentTo([...g.members.map((m) => m.email), g.outsider.email])).toEqual([...g.members, ...g.members, ...g.members].map((m) => m.email).sort());
    for (const run of [first!, second!, third!]) {
      const c = await getCampaign(t, run.id);
      expect(c).toMatchObject({ channel: 'email', template_id: emailTemplate, audience: { list_ids: [g.listId] }, status: 'sent', scheduled_at: run.occurrence });
      expect(c.counts).toMatchObject({ audience: 2, targeted: 2, sent: 2, pending: 0 });
      const report = await t.json('GET', `/v1/campaigns/${run.id}/report`);
      expect(report.status).toBe(200);
      expect(report.body.campaign).toMatchObject({ id: run.id, name: run.name, status: 'sent', launched_at: run.occurrence });
      expect(report.body.delivery).toMatchObject({ audience: 2, targeted: 2, sent: 2 });
    }
  });

  it('two job runs at once make one campaign, and the database refuses a second one for the occurrence', async () => {
    clock = new Date('2026-11-17T09:00:00Z');
    const g = await people('twice', 2);
    const { id } = await createSchedule({ recurrence: '30 7 * * *', topic: 'twice', audience: { list_ids: [g.listId] } });
    clock = new Date('2026-11-18T06:30:00Z'); // 07:30 in Paris
    const made = await Promise.all([runDueSchedules(t.deps), runDueSchedules(t.deps), runDueSchedules(t.deps)]);
    expect(made.flat()).toHaveLength(1);
    await Promise.all([everyMinute(t.deps), everyMinute(t.deps)]);
    await t.deps.background.idle();

    const runs = await t.deps.db.selectFrom('campaigns').select(['id', 'occurrence', 'status']).where('schedule_id', '=', id).execute();
    expect(runs.map((r) => ({ id: Number(r.id), occurrence: new Date(r.occurrence!).toISOString(), status: r.status })))
      .toEqual([{ id: made.flat()[0], occurrence: '2026-11-18T06:30:00.000Z', status: 'sent' }]);
    expect(sentTo(g.members.map((m) => m.email))).toEqual(g.members.map((m) => m.email).sort());
    // The unique key stands behind the row lock: no second campaign for the occurrence, whatever makes it.
    const other = await createCampaign(t, { template_id: emailTemplate, topic: 'twice' });
    await expect(
      t.deps.db.updateTable('campaigns').set({ schedule_id: id, occurrence: new Date('2026-11-18T06:30:00Z') }).where('id', '=', other).execute(),
    ).rejects.toThrow(/campaigns_schedule_occurrence_key/);
  });

  it('after downtime sends only the latest missed occurrence, once', async () => {
    clock = new Date('2026-11-17T09:00:00Z');
    const g = await people('missed', 1);
    const { id, next_run_at } = await createSchedule({ name: 'Daily', recurrence: '0 8 * * *', topic: 'missed', audience: { list_ids: [g.listId] } });
    expect(next_run_at).toBe('2026-11-18T07:00:00.000Z');
    // Down from the 18th to the 21st at noon: the 18th, 19th, 20th and 21st were missed; the 21st's is sent.
    const runs = await tick('2026-11-21T11:00:00Z', id);
    expect(runs).toEqual([expect.objectContaining({ name: 'Daily — 2026-11-21', occurrence: '2026-11-21T07:00:00.000Z', status: 'sent' })]);
    expect(await getSchedule(id)).toMatchObject({ next_run_at: '2026-11-22T07:00:00.000Z', last_run_at: '2026-11-21T07:00:00.000Z' });
    expect(await runsAt('2026-11-21T11:01:00Z')).toEqual([]);
    expect(sentTo([g.members[0]!.email])).toEqual([g.members[0]!.email]);
  });

  it('paused, makes nothing; resumed, starts from the next occurrence after now', async () => {
    clock = new Date('2026-11-16T10:00:00Z');
    const g = await people('paused', 1);
    const { id } = await createSchedule({ recurrence: '0 9 * * TUE', topic: 'paused', audience: { list_ids: [g.listId] } });
    const paused = expectStatus(await t.api(scheduleRoutes.pauseScheduleRoute, { param: { id } }), 200);
    expect(paused).toMatchObject({ status: 'paused', next_run_at: null, next_runs: [], paused_reason: 'manual', paused_at: '2026-11-16T10:00:00.000Z' });
    expect(expectStatus(await t.api(scheduleRoutes.pauseScheduleRoute, { param: { id } }), 200)).toEqual(paused);

    expect(await runsAt('2026-11-17T08:00:00Z')).toEqual([]);
    expect(await runsAt('2026-11-24T08:00:00Z')).toEqual([]);

    clock = new Date('2026-11-25T10:00:00Z');
    const resumed = expectStatus(await t.api(scheduleRoutes.resumeScheduleRoute, { param: { id } }), 200);
    expect(resumed).toMatchObject({ status: 'active', next_run_at: '2026-12-01T08:00:00.000Z', paused_reason: null, paused_at: null });
    expect(await runsAt('2026-11-25T10:01:00Z')).toEqual([]);
    expect(await tick('2026-12-01T08:00:00Z', id)).toEqual([expect.objectContaining({ occurrence: '2026-12-01T08:00:00.000Z', status: 'sent' })]);
    expect(sentTo([g.members[0]!.email])).toEqual([g.members[0]!.email]);
  });

  it('a run whose template was deleted pauses its schedule with the reason; the others go on', async () => {
    clock = new Date('2026-11-17T09:00:00Z');
    const g = await people('orphan', 1);
    const doomed = await createTemplate(t, 'email', { name: 'Doomed' });
    const broken = await createSchedule({ name: 'Broken', template_id: doomed, recurrence: '0 12 * * *', topic: 'orphan', audience: { list_ids: [g.listId] } });
    const fine = await createSchedule({ name: 'Fine', recurrence: '0 12 * * *', topic: 'orphan', audience: { list_ids: [g.listId] } });
    expect((await t.call('DELETE', `/v1/templates/${doomed}`)).status).toBe(204);

    // 12:00 in Paris is 11:00 UTC.
    expect(await tick('2026-11-17T11:00:00Z', fine.id)).toEqual([expect.objectContaining({ name: 'Fine — 2026-11-17', status: 'sent' })]);
    const after = await getSchedule(broken.id);
    expect(after).toMatchObject({ status: 'paused', next_run_at: null, campaigns: [], paused_at: '2026-11-17T11:00:00.000Z' });
    expect(after.paused_reason).toBe(`run failed: template_id: template ${doomed} does not exist`);
    expect(errors).toEqual([expect.objectContaining({ event: 'schedule run failed, schedule paused', schedule_id: broken.id, code: 'invalid_input' })]);
    errors = [];
    expect((await getSchedule(fine.id)).next_run_at).toBe('2026-11-18T11:00:00.000Z');
  });
});

describe('quiet hours and caps', () => {
  it('apply to each run as to any campaign: SMS at 07:00 waits for 08:00, and the third run of the month is capped', async () => {
    // Defaults: SMS between 08:00 and 20:00 Monday to Saturday, 2 per calendar month.
    clock = new Date('2026-11-16T10:00:00Z');
    const g = await people('texto', 2);
    const phones = g.members.map((m) => m.phone);
    const { id } = await createSchedule({ name: 'Texto', channel: 'sms', template_id: smsTemplate, recurrence: '0 7 * * *', topic: 'texto', audience: { list_ids: [g.listId] } });

    const [tuesday] = await tick('2026-11-17T06:00:00Z', id); // 07:00 in Paris
    expect(tuesday).toMatchObject({ status: 'sending' });
    expect((await getCampaign(t, tuesday!.id)).counts).toMatchObject({ targeted: 2, pending: 2, deferred: 2, sent: 0 });
    expect(sentTo(phones)).toEqual([]);
    expect(await tick('2026-11-17T07:00:00Z', id)).toEqual([]); // 08:00: sent
    expect((await getCampaign(t, tuesday!.id)).counts).toMatchObject({ sent: 2, pending: 0 });

    const [wednesday] = await tick('2026-11-18T06:00:00Z', id);
    await tick('2026-11-18T07:00:00Z', id);
    expect((await getCampaign(t, wednesday!.id)).counts).toMatchObject({ sent: 2 });

    const [thursday] = await tick('2026-11-19T06:00:00Z', id);
    await tick('2026-11-19T07:00:00Z', id);
    expect(await getCampaign(t, thursday!.id)).toMatchObject({
      status: 'sent', counts: { audience: 2, targeted: 0, sent: 0, skipped: { capped: 2 }, capped_by: { 'sms: 2 per calendar month': 2 } },
    });
    expect(sentTo(phones)).toEqual([...phones, ...phones].sort());
  });
});

describe('the schedules API', () => {
  const base = { name: 'N', channel: 'email', template_id: 0, topic: 'api', audience: { all: true }, recurrence: '0 9 * * TUE', timezone: 'Europe/Paris' };

  it('refuses bad rules, zones and references with a 422 naming the field, never a 500', async () => {
    clock = new Date('2026-11-17T09:00:00Z');
    await createTopic(t, 'api');
    const fields = async (body: Record<string, unknown>) => {
      const res = await t.json('POST', '/v1/schedules', { ...base, template_id: emailTemplate, ...body });
      expect(res.status).toBe(422);
      return errorFields(res.body);
    };
    for (const recurrence of [
      '*/5 * * * *', // every five minutes
      '0,30 9 * * *', // twice an hour
      '* 9 * * *', // every minute of an hour
      '0 0 9 * * 2', // six fields: seconds
      '@weekly',
      'every tuesday',
      '0 25 * * *',
      '0 9 * * 8',
      '0 9 30 2 *', // never
      '0 9 29 2 *', // next on 29 February 2028: not within a year
      '',
    ]) expect(await fields({ recurrence }), recurrence).toEqual(['recurrence']);
    expect(await fields({ timezone: 'Mars/Olympus_Mons' })).toEqual(['timezone']);
    expect(await fields({ timezone: 'CET+1' })).toEqual(['timezone']);
    expect(await fields({ template_id: 999_999, recurrence: '0 9 31 2 *' })).toEqual(['recurrence', 'template_id']);
    expect(await fields({ topic: 'nope' })).toEqual(['topic']);
    expect(await fields({ channel: 'sms' })).toEqual(['template_id']);
    expect(await fields({ audience: { list_ids: [999_999] } })).toEqual(['audience.list_ids']);
    expect(await fields({ deadline_hours: 0 })).toEqual(['deadline_hours']);
    expect(await fields({ every: 'week' })).toEqual(['every']);
    expect(expectStatus(await t.api(scheduleRoutes.listSchedulesRoute), 200).data).toEqual([]);
  });

  it('changes a schedule (a new rule starts after now), keeps its campaigns when deleted, and follows the roles', async () => {
    clock = new Date('2026-11-17T09:00:00Z');
    const g = await people('edits', 1);
    const analyst = await t.json('POST', '/v1/schedules', { ...base, template_id: emailTemplate, topic: 'edits' }, { key: t.keys.analyst });
    expect(analyst.status).toBe(403);
    const marketer = await t.json('POST', '/v1/schedules', { ...base, template_id: emailTemplate, topic: 'edits', audience: { list_ids: [g.listId] } }, { key: t.keys.marketer });
    expect(marketer.status).toBe(201);
    const id = marketer.body.id as number;
    expect((await t.json('GET', `/v1/schedules/${id}`, undefined, { key: t.keys.analyst })).status).toBe(200);
    expect((await t.json('POST', `/v1/schedules/${id}/pause`, undefined, { key: t.keys.analyst })).status).toBe(403);

    const bad = await t.json('PATCH', `/v1/schedules/${id}`, { recurrence: '*/10 * * * *' });
    expect(bad.status).toBe(422);
    expect(errorFields(bad.body)).toEqual(['recurrence']);
    const changed = expectStatus(await t.api(scheduleRoutes.patchScheduleRoute, { param: { id }, json: { recurrence: '0 8 * * WED', name: 'Mercredi', deadline_hours: 24 } }), 200);
    expect(changed).toMatchObject({ name: 'Mercredi', recurrence: '0 8 * * WED', deadline_hours: 24, next_run_at: '2026-11-18T07:00:00.000Z', updated_at: clock.toISOString() });

    const [run] = await tick('2026-11-18T07:00:00Z', id);
    expect(run).toMatchObject({ name: 'Mercredi — 2026-11-18' });
    expect(await getCampaign(t, run!.id)).toMatchObject({ deadline: '2026-11-19T07:00:00.000Z', status: 'sent' });

    expect((await t.json('DELETE', `/v1/schedules/${id}`, undefined, { key: t.keys.analyst })).status).toBe(403);
    expectStatus(await t.api(scheduleRoutes.deleteScheduleRoute, { param: { id } }), 204);
    expect((await t.json('GET', `/v1/schedules/${id}`)).status).toBe(404);
    expect((await t.json('DELETE', `/v1/schedules/${id}`)).status).toBe(404);
    expect((await t.json('PATCH', `/v1/schedules/${id}`, { name: 'x' })).status).toBe(404);
    // Its campaign stays, with its report; nothing more runs.
    expect((await getCampaign(t, run!.id)).status).toBe('sent');
    clock = new Date('2026-11-25T07:00:00Z');
    await everyMinute(t.deps);
    await t.deps.background.idle();
    expect(sentTo([g.members[0]!.email])).toEqual([g.members[0]!.email]);
  });
});

describe('the recurrence', () => {
  it('keeps wall-clock times across DST: a time the clocks skip runs right after the gap, one they repeat runs once', () => {
    const paris = (recurrence: string, after: string) => nextOccurrences({ recurrence, timezone: 'Europe/Paris' }, new Date(after), 3).map((d) => d.toISOString());
    // 02:30 on Sundays: 28 March 2027 has no 02:30 (03:00 CEST, 01:00 UTC); 25 October 2026 has two (the first, CEST).
    expect(paris('30 2 * * SUN', '2027-03-20T00:00:00Z')).toEqual(['2027-03-21T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-04-04T00:30:00.000Z']);
    expect(paris('30 2 * * SUN', '2026-10-20T00:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z', '2026-11-01T01:30:00.000Z', '2026-11-08T01:30:00.000Z']);
    // The first Tuesday of the month, and Montréal (UTC-4 until 1 November 2026, UTC-5 after).
    expect(paris('0 10 * * TUE#1', '2026-11-17T00:00:00Z')).toEqual(['2026-12-01T09:00:00.000Z', '2027-01-05T09:00:00.000Z', '2027-02-02T09:00:00.000Z']);
    expect(nextOccurrences({ recurrence: '0 9 * * SAT', timezone: 'America/Montreal' }, new Date('2026-10-25T00:00:00Z'), 2).map((d) => d.toISOString()))
      .toEqual(['2026-10-31T13:00:00.000Z', '2026-11-07T14:00:00.000Z']);
  });
});
