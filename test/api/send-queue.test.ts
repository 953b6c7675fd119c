// The Worker's send queue, on Node with a recording queue and a clock of our own: what a launch enqueues, how the
// consumer sends descriptors (delivered twice, side by side, retried), and when the cron enqueues again.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeDescriptors, type QueueMessage } from '../../src/campaigns/index.js';
import { RETRY_DELAY_SECONDS } from '../../src/campaigns/queue-sender.js';
import { RetryableSendError, type EmailTransport } from '../../src/channels/types.js';
import { dueRanges, type SendDescriptor } from '../../src/delivery/index.js';
import { everyMinute } from '../../src/jobs.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts } from '../support/fixtures.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
let clock = NOW;
let t: TestApp;
let templateId: number;
const addresses = Array.from({ length: 12 }, (_, i) => `q${String(i).padStart(2, '0')}@example.fr`);

/** Addresses handed over, in order; those in `refuseOnce` are refused once (retryable) first. */
let sent: string[] = [];
const refuseOnce = new Set<string>();
const transport: EmailTransport = {
  name: 'recording',
  async send(m) {
    if (refuseOnce.delete(m.to.address)) throw new RetryableSendError('try again later');
    sent.push(m.to.address);
    return { providerMessageId: m.messageId };
  },
};
/** Each enqueue call's descriptors (one campaign a call). */
let enqueued: SendDescriptor[][] = [];
/** The enqueue calls for one campaign: the cron also enqueues those the other tests left sending. */
const enqueuedFor = (id: number) => enqueued.filter((call) => call[0].campaign_id === id);

beforeAll(async () => {
  t = await createTestApp({ SEND_BATCH_SIZE: '5' }, {
    clock: () => clock,
    sleep: async () => undefined,
    transports: { email: transport },
    sendQueue: { enqueue: async (descriptors) => void enqueued.push(descriptors) },
  });
  await createTopic(t, 'news');
  expect((await importContacts(t, ['email;timezone;email_topics', ...addresses.map((a) => `${a};UTC;news`)].join('\n'))).created).toBe(12);
  templateId = await createTemplate(t, 'email');
});
afterAll(() => t.close());

/** A campaign to the twelve, launched at `when`, its enqueue done. Returns its id and its ledger ids in order. */
async function launched(when: Date, body?: { local_time: string }) {
  clock = when;
  enqueued = [];
  sent = [];
  const id = await createCampaign(t, { template_id: templateId, topic: 'news' });
  expect((await t.json('POST', `/v1/campaigns/${id}/launch`, body)).status).toBe(202);
  await t.deps.background.idle();
  const rows = await t.deps.db.selectFrom('messages').select('id').where('campaign_id', '=', id).orderBy('id').execute();
  return { id, ids: rows.map((r) => Number(r.id)) };
}

const stretch = (campaign_id: number, ids: number[]) => ({ campaign_id, from_id: ids[0], to_id: ids.at(-1)! });

/** Queue messages that record what the consumer did with them. */
function deliver(...bodies: SendDescriptor[]) {
  return bodies.map((body) => {
    const m = { body, acks: 0, retries: [] as Array<{ delaySeconds?: number } | undefined>, ack: () => void m.acks++, retry: (o?: { delaySeconds?: number }) => void m.retries.push(o) };
    return m satisfies QueueMessage;
  });
}

const hold = async (id: number) => (await t.deps.db.selectFrom('campaigns').select('enqueued_until').where('id', '=', id).executeTakeFirstOrThrow()).enqueued_until;

async function cron(when: Date) {
  clock = when;
  enqueued = [];
  await everyMinute(t.deps);
  await t.deps.background.idle();
}

describe('what is enqueued', () => {
  it('a launch enqueues its due messages in stretches of SEND_BATCH_SIZE, held for 2 minutes and a second each', async () => {
    const { id, ids } = await launched(NOW);
    expect(enqueuedFor(id)).toEqual([[stretch(id, ids.slice(0, 5)), stretch(id, ids.slice(5, 10)), stretch(id, ids.slice(10))]]);
    // The queue carries it: nothing was sent in this process.
    expect(sent).toEqual([]);
    expect(await hold(id)).toEqual(at(123));
  });

  it('stretches count only pending messages that are due, from the first to the last of each five', async () => {
    const { id, ids } = await launched(NOW);
    // 0 sent, 3 deferred until later, 4 deferred until a moment ago (due), 7 sending (claimed).
    await sql`update messages set status = 'sent' where id = ${ids[0]}`.execute(t.deps.db);
    await sql`update messages set not_before = ${at(60)} where id = ${ids[3]}`.execute(t.deps.db);
    await sql`update messages set not_before = ${at(-1)} where id = ${ids[4]}`.execute(t.deps.db);
    await sql`update messages set status = 'sending' where id = ${ids[7]}`.execute(t.deps.db);
    // Due: 1 2 4 5 6 | 8 9 10 11.
    expect(await dueRanges(t.deps.db, id, NOW, 5)).toEqual([{ fromId: ids[1], toId: ids[6] }, { fromId: ids[8], toId: ids[11] }]);
    expect(await dueRanges(t.deps.db, id, at(60), 5)).toEqual([{ fromId: ids[1], toId: ids[5] }, { fromId: ids[6], toId: ids[11] }]);
  });
});

describe('the consumer', () => {
  it('sends each message once, however often and however side by side a descriptor comes', async () => {
    const { id } = await launched(NOW);
    const [d0, d1, d2] = enqueuedFor(id)[0];
    // d0 twice in one batch, d1 again in a later invocation, d2 in two invocations at once.
    const first = deliver(d0, d0, d1);
    await consumeDescriptors(t.deps, first);
    const again = deliver(d1);
    const sideBySide = [deliver(d2), deliver(d2)];
    await Promise.all([consumeDescriptors(t.deps, again), ...sideBySide.map((m) => consumeDescriptors(t.deps, m))]);
    expect(sent.sort()).toEqual(addresses);
    for (const m of [...first, ...again, ...sideBySide.flat()]) expect([m.acks, m.retries]).toEqual([1, []]);
    expect((await getCampaign(t, id)).status).toBe('sent');
  });

  it('a descriptor whose messages the transport asked to retry comes back later, and sends only those', async () => {
    const { id, ids } = await launched(NOW);
    refuseOnce.add(addresses[2]);
    const [d0] = deliver(enqueuedFor(id)[0][0]);
    await consumeDescriptors(t.deps, [d0]);
    expect([d0.acks, d0.retries]).toEqual([0, [{ delaySeconds: RETRY_DELAY_SECONDS }]]);
    expect(sent.sort()).toEqual([addresses[0], addresses[1], addresses[3], addresses[4]]);
    // Its wait (full jitter, at most 30 s) is over when the queue delivers it again.
    const row = await t.deps.db.selectFrom('messages').select(['status', 'not_before']).where('id', '=', ids[2]).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(new Date(row.not_before!) <= at(RETRY_DELAY_SECONDS)).toBe(true);
    clock = at(RETRY_DELAY_SECONDS);
    sent = [];
    const [redelivered] = deliver(enqueuedFor(id)[0][0]);
    await consumeDescriptors(t.deps, [redelivered]);
    expect([redelivered.acks, redelivered.retries, sent]).toEqual([1, [], [addresses[2]]]);
    expect((await getCampaign(t, id)).status).toBe('sending');
  });

  it('a campaign paused or gone: its descriptors are acknowledged, nothing sent', async () => {
    const { id } = await launched(NOW);
    expect((await t.json('POST', `/v1/campaigns/${id}/pause`)).status).toBe(200);
    const messages = deliver(...enqueuedFor(id)[0], { campaign_id: 999_999, from_id: 1, to_id: 5 });
    await consumeDescriptors(t.deps, messages);
    expect(sent).toEqual([]);
    expect(messages.map((m) => [m.acks, m.retries.length])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0]]);
  });
});

describe('the cron', () => {
  it('enqueues a campaign again only once its hold is over, and a consumer at work moves the hold on', async () => {
    const { id } = await launched(NOW);
    const [d0, d1, d2] = enqueuedFor(id)[0];
    // A minute later the descriptors are taken to be on the queue still: nothing is enqueued.
    await cron(at(60));
    expect(enqueuedFor(id)).toEqual([]);
    // Past the hold, and nothing was consumed: they were lost, and are enqueued again (held anew).
    await cron(at(124));
    expect(enqueuedFor(id)).toEqual([[d0, d1, d2]]);
    expect(await hold(id)).toEqual(at(124 + 123));
    // A consumer sends d0 when less than a minute of the hold is left: two more minutes from then.
    clock = at(124 + 70);
    await consumeDescriptors(t.deps, deliver(d0));
    expect(await hold(id)).toEqual(at(124 + 70 + 120));
    await cron(at(124 + 130));
    expect(enqueuedFor(id)).toEqual([]);
    // The last descriptor finishes the campaign, which keeps its hold.
    await consumeDescriptors(t.deps, deliver(d1, d2));
    expect(sent.sort()).toEqual(addresses);
    expect([(await getCampaign(t, id)).status, await hold(id)]).toEqual(['sent', at(124 + 70 + 120)]);
  });

  it('takes back a dead invocation\'s claims, and enqueues them once the hold is over', async () => {
    const { id, ids } = await launched(NOW);
    // An invocation claimed the first two, for a minute, and died.
    await sql`update messages set status = 'sending', attempts = 1, lease_until = ${at(60)} where id = any(${ids.slice(0, 2)}::bigint[])`.execute(t.deps.db);
    await consumeDescriptors(t.deps, deliver(...enqueuedFor(id)[0]));
    expect(sent.sort()).toEqual(addresses.slice(2));
    // The lease is over, the hold is not: taken back, not enqueued.
    await cron(at(90));
    const statuses = await t.deps.db.selectFrom('messages').select('status').where('id', 'in', ids.slice(0, 2)).execute();
    expect([statuses, enqueuedFor(id)]).toEqual([[{ status: 'pending' }, { status: 'pending' }], []]);
    await cron(at(124));
    expect(enqueuedFor(id)).toEqual([[stretch(id, ids.slice(0, 2))]]);
    await consumeDescriptors(t.deps, deliver(...enqueuedFor(id)[0]));
    expect(sent.sort()).toEqual(addresses);
    expect((await getCampaign(t, id)).status).toBe('sent');
  });

  it('the last consumer at work, leaving nothing due, ends the hold: what becomes due is enqueued at the next run', async () => {
    // 09:00 has passed today in UTC: everyone waits until tomorrow, nothing is enqueued.
    const { id, ids } = await launched(NOW, { local_time: '09:00' });
    expect([enqueuedFor(id), await hold(id)]).toEqual([[], null]);
    // Two come due: the cron enqueues them; once they are sent, nothing is due and the hold ends.
    await sql`update messages set not_before = ${at(-1)} where id = any(${[ids[4], ids[9]]}::bigint[])`.execute(t.deps.db);
    await cron(NOW);
    expect(enqueuedFor(id)).toEqual([[stretch(id, [ids[4], ids[9]])]]);
    await consumeDescriptors(t.deps, deliver(...enqueuedFor(id)[0]));
    expect([sent.sort(), await hold(id)]).toEqual([[addresses[4], addresses[9]], null]);
    await cron(at(10));
    expect(enqueuedFor(id)).toEqual([]);
    // Tomorrow: the rest, at once.
    await cron(at(24 * 3600));
    expect(enqueuedFor(id)).toEqual([[stretch(id, [0, 1, 2, 3, 5].map((i) => ids[i])), stretch(id, [6, 7, 8, 10, 11].map((i) => ids[i]))]]);
  });
});
