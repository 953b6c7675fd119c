// Control of a sending campaign: retries wait their backoff, pause / resume / cancel at any moment without sending
// anyone twice, the campaign pauses itself past SEND_PAUSE_ERROR_RATE, SES SendingPaused pauses every email campaign,
// and GET shows the progress. A movable clock and transports that record every call, scripted per address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeSending } from '../../src/campaigns/index.js';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { createSesEmailTransport } from '../../src/channels/index.js';
import { classifySesError } from '../../src/channels/email/ses.js';
import { RetryableSendError, TransportPausedError, type EmailMessage, type EmailTransport, type SmsTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTemplate, createTopic, getCampaign, importContacts } from '../support/fixtures.js';

// A Tuesday, 22:00 in Paris: SMS quiet hours (Monday to Saturday 08:00–20:00) hold SMS until 08:00 (07:00Z).
const NOW = new Date('2026-11-17T21:00:00.000Z');
let clock = NOW;
const at = (ms: number) => new Date(NOW.getTime() + ms);

/** What an address makes the email transport do; `ok` unless scripted. */
type Script = 'ok' | 'retry-once' | 'retry-always' | 'reject' | 'ses';
const scripts = new Map<string, Script>();
/** Every call to the email transport, in order, and whether it was accepted. */
let calls: Array<{ to: string; accepted: boolean }> = [];
let gate: Promise<void> = Promise.resolve();
let entered: () => void = () => {};
let ses: EmailTransport;

const email: EmailTransport = {
  name: 'scripted',
  async send(m: EmailMessage) {
    entered();
    await gate;
    const to = m.to.address;
    const script = scripts.get(to) ?? 'ok';
    const tried = calls.filter((c) => c.to === to).length;
    if (script === 'ses') {
      calls.push({ to, accepted: false });
      return ses.send(m);
    }
    const accepted = script === 'ok' || (script === 'retry-once' && tried > 0);
    calls.push({ to, accepted });
    if (accepted) return { providerMessageId: `p-${m.messageId}` };
    if (script === 'reject') throw new Error('SES MessageRejected: Email address is not verified.');
    throw new RetryableSendError('SES TooManyRequestsException: Maximum sending rate exceeded.');
  },
};
let smsSent: string[] = [];
const sms: SmsTransport = {
  name: 'recording',
  async send(m) {
    await gate;
    smsSent.push(m.to);
    return { providerMessageId: `p-${m.messageId}` };
  },
};

/** Holds the transports until `release`; `inHand` resolves once a sender is inside one. */
function hold() {
  let release!: () => void;
  gate = new Promise((resolve) => (release = resolve));
  const inHand = new Promise<void>((resolve) => (entered = resolve));
  return { release, inHand };
}

let t: TestApp;
let emailTemplate: number;

/** `n` contacts `${prefix}${i}@example.fr` subscribed to a topic of their own; returns their addresses. */
async function people(prefix: string, n: number): Promise<string[]> {
  await createTopic(t, prefix);
  const addresses = Array.from({ length: n }, (_, i) => `${prefix}${i}@example.fr`);
  const csv = ['email;email_topics', ...addresses.map((a) => `${a};${prefix}`)].join('\n');
  expect((await importContacts(t, csv)).created).toBe(n);
  return addresses;
}

async function createCampaign(topic: string, channel: 'email' | 'sms' = 'email', template = emailTemplate): Promise<number> {
  const res = await t.json('POST', '/v1/campaigns', { name: topic, channel, template_id: template, topic, audience: { all: true } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const post = (id: number, action: 'launch' | 'pause' | 'resume' | 'cancel') => t.json('POST', `/v1/campaigns/${id}/${action}`);
const messages = (id: number) =>
  t.deps.db.selectFrom('messages').select(['address', 'status', 'attempts', 'not_before', 'error', 'contact_id'])
    .where('campaign_id', '=', id).where('status', '!=', 'skipped').orderBy('id').execute();
/** How many times the transport was handed each address (accepted or not). */
const handed = (addresses: string[]) => addresses.map((a) => calls.filter((c) => c.to === a).length);
const accepted = () => calls.filter((c) => c.accepted).map((c) => c.to);

beforeAll(async () => {
  // One hand-over at a time: the tests below read where a sender stops from the order the transport saw
  // (sender-concurrency.test.ts stops a concurrent one).
  t = await createTestApp({ SEND_BATCH_SIZE: '5', SEND_CONCURRENCY: '1' }, { clock: () => clock, transports: { email, sms } });
  emailTemplate = await createTemplate(t, 'email');
});
afterAll(() => t.close());

describe('retries', () => {
  it('wait their backoff in not_before, are counted as retrying (not deferred), and are sent once', async () => {
    clock = NOW;
    calls = [];
    const to = await people('retry', 10);
    scripts.set(to[0], 'retry-once').set(to[1], 'retry-once').set(to[2], 'reject').set(to[3], 'retry-always');
    const id = await createCampaign('retry');
    expect((await post(id, 'launch')).status).toBe(202);
    await t.deps.background.idle();

    // Each was handed over once: six sent, one rejected for good, three waiting.
    expect(handed(to)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const rows = await messages(id);
    const row = (a: string) => rows.find((r) => r.address === a)!;
    for (const a of [to[0], to[1], to[3]]) {
      const r = row(a);
      expect([r.status, r.attempts, r.error]).toEqual(['pending', 1, 'SES TooManyRequestsException: Maximum sending rate exceeded.']);
      // Full jitter over the first step: between 1 s and 30 s from now.
      expect(r.not_before!.getTime()).toBeGreaterThanOrEqual(at(1_000).getTime());
      expect(r.not_before!.getTime()).toBeLessThanOrEqual(at(30_000).getTime());
    }
    expect([row(to[2]).status, row(to[2]).attempts, row(to[2]).error]).toEqual(['failed', 1, 'SES MessageRejected: Email address is not verified.']);

    // Thirty seconds later: six sent in half a minute is 12 a minute; three left is 15 s.
    clock = at(30_000);
    const midway = await getCampaign(t, id);
    expect(midway.status).toBe('sending');
    expect(midway.counts).toMatchObject({ targeted: 10, sent: 6, failed: 1, pending: 3, retrying: 3, deferred: 0, sending: 0 });
    expect(midway.progress).toEqual({ handed_over: 7, remaining: 3, rate_per_minute: 12, eta_seconds: 15 });
    // The report does not take them for messages held by quiet hours.
    const report = await t.json('GET', `/v1/campaigns/${id}/report`);
    expect(report.body.deferred).toEqual({ quiet_hours: 0, caps: {}, local_time: 0, retrying: 3 });
    // Six minutes on, nothing was sent in the last five: no rate, no estimate.
    clock = at(6 * 60_000);
    expect((await getCampaign(t, id)).progress).toEqual({ handed_over: 7, remaining: 3, rate_per_minute: 0, eta_seconds: null });

    // Just before the first is due, a sender finds nothing to do.
    const due = Math.min(...[to[0], to[1], to[3]].map((a) => row(a).not_before!.getTime()));
    clock = new Date(due - 1);
    await sendCampaign(t.deps, id);
    expect(calls.length).toBe(10);

    // Once every backoff is over, the two are sent; the third fails again and waits up to a minute.
    clock = at(30_000);
    await sendCampaign(t.deps, id);
    expect(handed(to)).toEqual([2, 2, 1, 2, 1, 1, 1, 1, 1, 1]);
    const again = (await messages(id)).find((r) => r.address === to[3])!;
    expect(again.attempts).toBe(2);
    expect(again.not_before!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(again.not_before!.getTime() - clock.getTime()).toBeLessThanOrEqual(60_000);

    // Attempts 3, 4 and 5, each past the longest backoff (2, 4, 8 minutes); the fifth failure is final.
    for (const wait of [60_000, 120_000, 240_000]) {
      clock = new Date(clock.getTime() + wait);
      await sendCampaign(t.deps, id);
    }
    expect(handed(to)).toEqual([2, 2, 1, 5, 1, 1, 1, 1, 1, 1]);
    expect(accepted().sort()).toEqual(to.filter((a) => a !== to[2] && a !== to[3]).sort());
    const done = await getCampaign(t, id);
    expect([done.status, done.counts]).toMatchObject(['sent', { sent: 8, failed: 2, pending: 0, retrying: 0 }]);
    const last = (await messages(id)).find((r) => r.address === to[3])!;
    expect([last.status, last.attempts]).toEqual(['failed', 5]);
  });

  it('a message deferred by quiet hours is deferred, not retrying: the deferral is no attempt', async () => {
    clock = NOW;
    await createTopic(t, 'night');
    const res = await t.json('POST', '/v1/contacts', {
      email: 'night@example.fr', phone: '+33612340000', timezone: 'Europe/Paris', address: { country: 'FR' },
      subscriptions: [{ channel: 'sms', topic: 'night', status: 'subscribed' }],
    });
    expect(res.status).toBe(201);
    const id = await createCampaign('night', 'sms', await createTemplate(t, 'sms'));
    expect((await post(id, 'launch')).status).toBe(202);
    await t.deps.background.idle();
    const [row] = await messages(id);
    expect([row.status, row.attempts, row.not_before]).toEqual(['pending', 0, new Date('2026-11-18T07:00:00.000Z')]);
    expect((await getCampaign(t, id)).counts).toMatchObject({ pending: 1, deferred: 1, retrying: 0 });
    expect((await t.json('GET', `/v1/campaigns/${id}/report`)).body.deferred).toEqual({ quiet_hours: 1, caps: {}, local_time: 0, retrying: 0 });
    expect(smsSent).toEqual([]);
  });
});

describe('pause, resume and cancel', () => {
  it('pause stops the senders after the batch in hand; resume sends the rest, nobody twice', async () => {
    clock = NOW;
    calls = [];
    const to = await people('pause', 40);
    const id = await createCampaign('pause');
    const { release, inHand } = hold();
    expect((await post(id, 'launch')).status).toBe(202);
    await inHand;
    const paused = await post(id, 'pause');
    expect([paused.status, paused.body.status, paused.body.paused_reason, paused.body.paused_at]).toEqual([200, 'paused', 'manual', NOW.toISOString()]);
    release();
    await t.deps.background.idle();
    // The claimed batch (5) finished; nothing else was claimed.
    let now = await getCampaign(t, id);
    expect([now.status, calls.length]).toEqual(['paused', 5]);
    expect(now.counts).toMatchObject({ sent: 5, pending: 35, sending: 0 });
    expect(now.progress?.eta_seconds).toBeNull();

    // The every-minute job leaves a paused campaign alone; pausing again changes nothing.
    await resumeSending(t.deps);
    await t.deps.background.idle();
    expect(calls.length).toBe(5);
    const twice = await post(id, 'pause');
    expect([twice.status, twice.body.status, twice.body.paused_at]).toEqual([200, 'paused', NOW.toISOString()]);

    clock = at(60_000);
    const resumed = await post(id, 'resume');
    expect([resumed.status, resumed.body.status, resumed.body.paused_reason, resumed.body.paused_at]).toEqual([200, 'sending', null, null]);
    // The launch time stays the first launch's.
    expect(resumed.body.launched_at).toBe(NOW.toISOString());
    await t.deps.background.idle();
    now = await getCampaign(t, id);
    expect([now.status, now.counts?.sent]).toEqual(['sent', 40]);
    expect(handed(to)).toEqual(to.map(() => 1));
  });

  it('cancel works from paused; transitions that make no sense are 409s naming the status', async () => {
    clock = NOW;
    calls = [];
    await people('cancel', 12);
    const id = await createCampaign('cancel');
    const conflict = async (action: 'pause' | 'resume' | 'launch', status: string) => {
      const res = await post(id, action);
      expect([res.status, res.body.error.code]).toEqual([409, 'conflict']);
      expect(res.body.error.message).toContain(`Campaign ${id} is ${status}`);
    };
    await conflict('pause', 'draft');
    await conflict('resume', 'draft');

    const { release, inHand } = hold();
    expect((await post(id, 'launch')).status).toBe(202);
    await inHand;
    expect((await post(id, 'pause')).status).toBe(200);
    release();
    await t.deps.background.idle();
    await conflict('launch', 'paused');
    const cancelled = await post(id, 'cancel');
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect(cancelled.body.counts).toMatchObject({ sent: 5, pending: 0, cancelled: 7 });
    await conflict('resume', 'cancelled');
    await conflict('pause', 'cancelled');
    expect(calls.length).toBe(5);

    // A campaign sent cannot be paused or resumed.
    const other = await createCampaign('cancel');
    expect((await post(other, 'launch')).status).toBe(202);
    await t.deps.background.idle();
    for (const action of ['pause', 'resume'] as const) {
      const res = await post(other, action);
      expect([res.status, res.body.error.message]).toEqual([409, expect.stringContaining(`Campaign ${other} is sent`)]);
    }
    expect((await t.json('POST', '/v1/campaigns/999999/pause')).status).toBe(404);
  });
});

describe('automatic pause', () => {
  it('pauses the campaign once more than 20% of its last messages failed, with the reason, and gives the batch back', async () => {
    clock = NOW;
    calls = [];
    const to = await people('bad', 100);
    to.forEach((a, i) => i % 4 === 0 && scripts.set(a, 'reject'));
    const id = await createCampaign('bad');
    expect((await post(id, 'launch')).status).toBe(202);
    await t.deps.background.idle();

    // Where it should stop, read from the order the transport saw: the first failure after 50 outcomes that puts the
    // failures over 20% (one sender: every outcome is judged in the order it happened).
    let failed = 0;
    let stop = 0;
    for (const [i, c] of calls.entries()) {
      if (!c.accepted) failed++;
      if (!c.accepted && i + 1 >= 50 && failed > 0.2 * (i + 1)) {
        stop = i + 1;
        break;
      }
    }
    expect(stop).toBeGreaterThanOrEqual(50);
    expect(calls.length).toBe(stop);
    const now = await getCampaign(t, id);
    expect(now.status).toBe('paused');
    const pct = Math.round((failed / stop) * 1000) / 10;
    expect(now.paused_reason).toBe(`error_rate: ${failed} of the last ${stop} messages failed (${pct}%, over the limit of 20%)`);
    // The rest of the batch went back, unsent, its claim uncounted.
    expect(now.counts).toMatchObject({ failed, sent: stop - failed, pending: 100 - stop, sending: 0, retrying: 0 });
    const waiting = (await messages(id)).filter((m) => m.status === 'pending');
    expect(waiting.every((m) => m.attempts === 0)).toBe(true);
  });

  it('does not pause while the failures stay within the limit', async () => {
    clock = NOW;
    calls = [];
    const to = await people('fine', 100);
    to.forEach((a, i) => i % 10 === 0 && scripts.set(a, 'reject'));
    const id = await createCampaign('fine');
    expect((await post(id, 'launch')).status).toBe(202);
    await t.deps.background.idle();
    const done = await getCampaign(t, id);
    expect([done.status, done.paused_reason, done.counts?.failed, done.counts?.sent]).toEqual(['sent', null, 10, 90]);
  });
});

describe('SES refusing everything', () => {
  let server: Server;
  let errorType = 'SendingPausedException';
  beforeAll(async () => {
    // A stand-in for SES that refuses every SendEmail the way SES does.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-ErrorType': errorType });
        res.end(JSON.stringify({ message: 'Sending is paused for this account.' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    ses = createSesEmailTransport({
      region: 'eu-west-3', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', fromDomain: 'shop.example', maxAttempts: 1,
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('maps SendingPaused and AccountSuspended to TransportPausedError', async () => {
    const message: EmailMessage = {
      messageId: 'm1', from: { address: 'news@shop.example' }, to: { address: 'a@example.fr' }, subject: 's', html: '<p>h</p>', text: 't', headers: {},
    };
    for (const name of ['SendingPausedException', 'AccountSuspendedException']) {
      errorType = name;
      const err = await ses.send(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportPausedError);
      expect((err as Error).message).toBe(`SES ${name}: Sending is paused for this account.`);
    }
    errorType = 'SendingPausedException';
    expect(classifySesError(Object.assign(new Error('x'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }))).not.toBeInstanceOf(TransportPausedError);
  });

  it('pauses every email campaign sending, with the reason, and sends nothing; SMS goes on', async () => {
    clock = NOW;
    calls = [];
    smsSent = [];
    const first = await people('sesa', 10);
    const second = await people('sesb', 10);
    await createTopic(t, 'sesc');
    for (const phone of ['+33612340001', '+33612340002']) {
      const res = await t.json('POST', '/v1/contacts', { phone, timezone: 'Europe/Paris', address: { country: 'FR' }, subscriptions: [{ channel: 'sms', topic: 'sesc', status: 'subscribed' }] });
      expect(res.status).toBe(201);
    }
    // Daytime in Paris, so the SMS are not held by quiet hours.
    clock = new Date('2026-11-17T10:00:00.000Z');
    const a = await createCampaign('sesa');
    const b = await createCampaign('sesb');
    const c = await createCampaign('sesc', 'sms', await createTemplate(t, 'sms'));
    // The three are sending, each sender holding its first batch, when SES starts refusing: `a`'s first message meets it.
    for (const address of [...first, ...second]) scripts.set(address, 'ses');
    const { release } = hold();
    for (const id of [a, b, c]) expect((await post(id, 'launch')).status).toBe(202);
    release();
    await t.deps.background.idle();

    const reason = 'transport: SES SendingPausedException: Sending is paused for this account.';
    for (const id of [a, b]) {
      const now = await getCampaign(t, id);
      expect([now.status, now.paused_reason]).toEqual(['paused', reason]);
      expect(now.counts).toMatchObject({ sent: 0, failed: 0, sending: 0, pending: 10, retrying: 0 });
      // Refused, not sent: the attempt is given back.
      expect((await messages(id)).every((m) => m.attempts === 0)).toBe(true);
    }
    expect((await getCampaign(t, c)).status).toBe('sent');
    expect(smsSent.sort()).toEqual(['+33612340001', '+33612340002']);
    // At most the message in each sender's hands met SES.
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(accepted()).toEqual([]);

    // SES is fixed: resuming sends everyone once.
    for (const address of [...first, ...second]) scripts.delete(address);
    calls = [];
    for (const id of [a, b]) expect((await post(id, 'resume')).body.status).toBe('sending');
    await t.deps.background.idle();
    for (const id of [a, b]) expect((await getCampaign(t, id)).counts).toMatchObject({ sent: 10, pending: 0 });
    expect(accepted().sort()).toEqual([...first, ...second].sort());
  });
});

describe('progress', () => {
  it('counts the messages sent over the last five minutes, or since the launch', async () => {
    clock = NOW;
    await people('prog', 12);
    const id = await createCampaign('prog');
    const draft = await getCampaign(t, id);
    expect(draft.progress).toEqual({ handed_over: 0, remaining: 0, rate_per_minute: 0, eta_seconds: null });
    expect((await post(id, 'launch')).status).toBe(202);
    await t.deps.background.idle();
    // All twelve sent at NOW, launched at NOW: over 1 minute, 12 a minute; over 4 minutes, 3; sent: no estimate.
    clock = at(60_000);
    expect((await getCampaign(t, id)).progress).toEqual({ handed_over: 12, remaining: 0, rate_per_minute: 12, eta_seconds: null });
    clock = at(4 * 60_000);
    expect((await getCampaign(t, id)).progress).toEqual({ handed_over: 12, remaining: 0, rate_per_minute: 3, eta_seconds: null });
    // Past five minutes the window starts after them.
    clock = at(5 * 60_000 + 1);
    expect((await getCampaign(t, id)).progress?.rate_per_minute).toBe(0);
  });
});
