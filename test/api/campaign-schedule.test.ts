// Scheduling (launch with `at`: scheduled, launched by the every-minute job when due) and local-time sending (launch
// with `local_time`: each message waits for that time in its recipient's zone), on a movable clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { everyMinute } from '../../src/jobs.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts } from '../support/fixtures.js';

// Tuesday 17 November 2026, 09:00 UTC: 10:00 in Paris (CET, UTC+1 since 25 October), 04:00 in Montréal (EST, UTC-5
// since 1 November). 09:00 in Montréal that day is 14:00 UTC; 09:00 in Paris the next day is 08:00 UTC.
const NOW = new Date('2026-11-17T09:00:00.000Z');
const MONTREAL_9AM = new Date('2026-11-17T14:00:00.000Z');
const PARIS_9AM_TOMORROW = new Date('2026-11-18T08:00:00.000Z');
const HOUR = 3_600_000;
let clock = NOW;

let sent: string[] = [];
const email: EmailTransport = {
  name: 'recording',
  async send(m) {
    sent.push(m.to.address);
    return { providerMessageId: `p-${m.messageId}` };
  },
};

let t: TestApp;
let template: number;

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock, transports: { email } });
  template = await createTemplate(t, 'email');
});
afterAll(() => t.close());

/** A campaign to a topic of its own, whose subscribers are `${topic}-paris@…` and `${topic}-mtl@…` in their zones. */
async function campaignFor(topic: string) {
  await createTopic(t, topic);
  const csv = ['email;timezone;email_topics', `${topic}-paris@example.fr;Europe/Paris;${topic}`, `${topic}-mtl@example.ca;America/Montreal;${topic}`];
  expect((await importContacts(t, csv.join('\n'))).created).toBe(2);
  return createCampaign(t, { template_id: template, topic });
}

const launch = (id: number, json?: Record<string, unknown>) => t.json('POST', `/v1/campaigns/${id}/launch`, json);
const run = async () => {
  await everyMinute(t.deps);
  await t.deps.background.idle();
};
const ledger = (id: number) =>
  t.deps.db.selectFrom('messages').innerJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select(['contacts.email', 'messages.status', 'messages.not_before', 'messages.deferred_by'])
    .where('campaign_id', '=', id).where('messages.status', '!=', 'skipped').orderBy('contacts.email').execute();
const report = async (id: number) => (await t.json('GET', `/v1/campaigns/${id}/report`)).body;

describe('launch at a time', () => {
  it('schedules the campaign, refuses a second launch, and the every-minute job launches it once when due', async () => {
    clock = NOW;
    sent = [];
    const id = await campaignFor('later');
    const res = expectStatus(await t.api(campaignRoutes.launchCampaignRoute, { param: { id }, json: { at: '2026-11-17T11:00:00+01:00' } }), 202);
    expect(res).toMatchObject({ status: 'scheduled', scheduled_at: '2026-11-17T10:00:00.000Z', launched_at: null });
    expect(res.counts).toMatchObject({ audience: 0, pending: 0 });
    expect(await ledger(id)).toEqual([]);

    // A second launch, with or without a time: 409 naming the status.
    for (const body of [undefined, { at: '2026-11-17T12:00:00Z' }, { local_time: '09:00' }]) {
      const again = await launch(id, body);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('scheduled');
    }

    // A minute early, the job does nothing.
    clock = new Date(NOW.getTime() + HOUR - 60_000);
    await run();
    expect((await getCampaign(t, id)).status).toBe('scheduled');
    expect(await ledger(id)).toEqual([]);

    // Due: two runs at once (two senders, or a cron overlapping) launch it once; everyone gets it once.
    clock = new Date(NOW.getTime() + HOUR);
    await Promise.all([everyMinute(t.deps), everyMinute(t.deps)]);
    await t.deps.background.idle();
    const done = await getCampaign(t, id);
    expect(done).toMatchObject({ status: 'sent', launched_at: clock.toISOString(), scheduled_at: '2026-11-17T10:00:00.000Z' });
    expect(done.counts).toMatchObject({ targeted: 2, sent: 2, pending: 0 });
    expect(sent.sort()).toEqual(['later-mtl@example.ca', 'later-paris@example.fr']);
  });

  it('can be cancelled before it is due, and then never starts', async () => {
    clock = NOW;
    sent = [];
    const id = await campaignFor('dropped');
    expect((await launch(id, { at: '2026-11-17T09:30:00Z' })).body.status).toBe('scheduled');
    expect((await t.json('POST', `/v1/campaigns/${id}/cancel`)).body).toMatchObject({ status: 'cancelled', cancelled_at: NOW.toISOString() });
    clock = new Date(NOW.getTime() + HOUR);
    await run();
    expect((await getCampaign(t, id)).status).toBe('cancelled');
    expect(await ledger(id)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('refuses a time in the past or more than a year ahead, a bad time of day, and both at once (422 naming the field)', async () => {
    clock = NOW;
    const id = await campaignFor('invalid');
    const fields = async (body: unknown) => {
      const res = await launch(id, body as Record<string, unknown>);
      expect(res.status).toBe(422);
      return errorFields(res.body);
    };
    expect(await fields({ at: '2026-11-17T08:59:00Z' })).toEqual(['at']);
    expect(await fields({ at: '2027-11-18T09:00:00Z' })).toEqual(['at']);
    expect(await fields({ at: 'tomorrow' })).toEqual(['at']);
    expect(await fields({ local_time: '25:00', if_passed: 'now' })).toEqual(['local_time']);
    expect(await fields({ local_time: '9:00' })).toEqual(['local_time']);
    expect(await fields({ local_time: '09:00', if_passed: 'later' })).toEqual(['if_passed']);
    expect(await fields({ at: '2026-11-17T12:00:00Z', local_time: '09:00' })).toEqual(['local_time']);
    expect(await fields({ if_passed: 'now' })).toEqual(['if_passed']);
    expect(await fields({ at: '2026-11-17T12:00:00Z', when: 'soon' })).toEqual(['when']);
    // Still a draft; an empty body launches now, as no body does.
    expect((await getCampaign(t, id)).status).toBe('draft');
    expect((await launch(id, {})).body.status).toBe('sending');
    await t.deps.background.idle();
  });
});

describe('launch at a local time', () => {
  it('if_passed now: sends now where 09:00 has passed, holds the rest until 09:00 in their zone (not quiet hours)', async () => {
    clock = NOW;
    sent = [];
    const id = await campaignFor('local-now');
    expect((await launch(id, { local_time: '09:00', if_passed: 'now' })).status).toBe(202);
    await t.deps.background.idle();

    expect(sent).toEqual(['local-now-paris@example.fr']);
    expect(await ledger(id)).toEqual([
      { email: 'local-now-mtl@example.ca', status: 'pending', not_before: MONTREAL_9AM, deferred_by: 'local_time' },
      expect.objectContaining({ email: 'local-now-paris@example.fr', status: 'sent', deferred_by: null }),
    ]);
    const c = await getCampaign(t, id);
    expect(c.counts).toMatchObject({ targeted: 2, sent: 1, pending: 1, local_time: 1, deferred: 0, retrying: 0 });
    expect((await report(id)).deferred).toEqual({ quiet_hours: 0, caps: {}, local_time: 1, retrying: 0 });

    // A minute before 09:00 in Montréal nothing goes; at 09:00 it does, and the campaign is sent.
    clock = new Date(MONTREAL_9AM.getTime() - 60_000);
    await run();
    expect(sent).toHaveLength(1);
    clock = MONTREAL_9AM;
    await run();
    expect(sent).toEqual(['local-now-paris@example.fr', 'local-now-mtl@example.ca']);
    expect(await getCampaign(t, id)).toMatchObject({ status: 'sent', counts: { sent: 2, pending: 0, local_time: 0 } });
  });

  it('if_passed next_day: where 09:00 has passed, the message waits for 09:00 tomorrow', async () => {
    clock = NOW;
    sent = [];
    const id = await campaignFor('local-next');
    expect((await launch(id, { local_time: '09:00', if_passed: 'next_day' })).body.status).toBe('sending');
    await t.deps.background.idle();
    expect(sent).toEqual([]);
    expect(await ledger(id)).toEqual([
      { email: 'local-next-mtl@example.ca', status: 'pending', not_before: MONTREAL_9AM, deferred_by: 'local_time' },
      { email: 'local-next-paris@example.fr', status: 'pending', not_before: PARIS_9AM_TOMORROW, deferred_by: 'local_time' },
    ]);
    expect((await getCampaign(t, id)).counts).toMatchObject({ pending: 2, local_time: 2, deferred: 0 });

    clock = MONTREAL_9AM;
    await run();
    expect(sent).toEqual(['local-next-mtl@example.ca']);
    expect((await getCampaign(t, id)).counts).toMatchObject({ sent: 1, pending: 1, local_time: 1 });
    clock = PARIS_9AM_TOMORROW;
    await run();
    expect(sent).toEqual(['local-next-mtl@example.ca', 'local-next-paris@example.fr']);
    expect((await getCampaign(t, id)).status).toBe('sent');
  });
});
