// SES throttling, end to end: the local SES server answers as SES v2 does over the sending rate (429
// TooManyRequestsException), the real SES transport lets the SDK retry once, and what still fails goes back to the
// sender, which halves the shared rate and sends the message again after its backoff. Every recipient gets exactly one
// mail, and a throttled request is never counted as sent.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { createSesEmailTransport, type SesEmailTransportOptions } from '../../src/channels/email/ses.js';
import { startLocalSes, type LocalSes } from '../../src/channels/email/ses-test-server.js';
import { RetryableSendError, type EmailMessage } from '../../src/channels/types.js';
import { isThrottling } from '../../src/delivery/index.js';
import { RECOVERY_PER_MINUTE } from '../../src/delivery/send-rate.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts } from '../support/fixtures.js';

const options = {
  region: 'eu-west-3', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', fromDomain: 'shop.example', retryBaseDelayMs: 10,
} satisfies Partial<SesEmailTransportOptions>;
const message = (to: string): EmailMessage => ({
  messageId: `m${to.split('@')[0]}`, from: { address: 'news@shop.example' }, to: { address: to }, subject: 's', html: '<p>h</p>', text: 't', headers: {},
});
const perRecipient = (requests: Array<{ to: string[] }>) => {
  const counts = new Map<string, number>();
  for (const r of requests) for (const to of r.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
};

describe('the local SES server, throttling', () => {
  let ses: LocalSes;
  beforeAll(async () => {
    ses = await startLocalSes({ relay: false });
  });
  afterAll(() => ses?.stop());

  it('answers as SES does: the SDK retries it as throttling, and isThrottling recognises what is left', async () => {
    ses.throttleNext(1);
    const err = await createSesEmailTransport({ ...options, endpoint: ses.endpoint, maxAttempts: 1 }).send(message('a@example.fr')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toBe('SES TooManyRequestsException: Maximum sending rate exceeded.');
    const cause = (err as Error).cause as { name: string; $metadata: { httpStatusCode: number } };
    expect([cause.name, cause.$metadata.httpStatusCode]).toEqual(['TooManyRequestsException', 429]);
    expect(isThrottling(err)).toBe(true);
    expect([await ses.throttled(), await ses.messages()]).toEqual([[{ to: ['a@example.fr'] }], []]);

    // The transport retries only what the SDK classifies as throttling: two refusals, then the third attempt is sent.
    ses.throttleNext(2);
    const sent = await createSesEmailTransport({ ...options, endpoint: ses.endpoint, maxAttempts: 3 }).send(message('b@example.fr'));
    const messages = await ses.messages();
    expect(messages.map((m) => [m.to, m.messageId])).toEqual([[['b@example.fr'], sent.providerMessageId]]);
    expect((await ses.throttled()).map((r) => r.to[0])).toEqual(['a@example.fr', 'b@example.fr', 'b@example.fr']);
    await ses.clear();
  });

  it('accepts at most maxPerSecond a second (a bucket of one second), and throttles the rest', async () => {
    const limited = await startLocalSes({ relay: false, maxPerSecond: 5 });
    try {
      const transport = createSesEmailTransport({ ...options, endpoint: limited.endpoint, maxAttempts: 1 });
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => transport.send(message(`r${i}@example.fr`))));
      const seconds = (performance.now() - started) / 1000;
      const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(accepted).toBe((await limited.messages()).length);
      expect(20 - accepted).toBe((await limited.throttled()).length);
      expect(outcomes.every((o) => o.status === 'fulfilled' || isThrottling(o.reason))).toBe(true);
      // The bucket's bound, whatever the machine's speed: 5 at once, then 5 a second.
      expect(accepted).toBeGreaterThanOrEqual(5);
      expect(accepted).toBeLessThanOrEqual(5 + Math.floor(5 * seconds));
    } finally {
      await limited.stop();
    }
  });
});

describe('a campaign sent through a throttling SES', () => {
  const RECIPIENTS = 300;
  const MAX_RATE = 400;
  const CONCURRENCY = 8;
  let ses: LocalSes;
  let t: TestApp;
  // Real time, moved forward between passes past the retries' backoff (up to 30 s × 2^(attempt − 1)).
  let skew = 0;
  const clock = () => new Date(Date.now() + skew);

  beforeAll(async () => {
    // SES at 50 a second, the app told 400: the app must back off.
    ses = await startLocalSes({ relay: false, maxPerSecond: 50 });
    // Each hand-over is two SES requests at most: the SDK retries a throttled one once, 5–10 ms later.
    const email = createSesEmailTransport({ ...options, endpoint: ses.endpoint, maxAttempts: 2 });
    // Real sleeps, but short: the pacer asks the bucket again sooner, and grants only what the rate allows.
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50)));
    t = await createTestApp(
      { SES_MAX_SEND_RATE: String(MAX_RATE), SEND_BATCH_SIZE: '50', SEND_CONCURRENCY: String(CONCURRENCY) }, { clock, sleep, transports: { email } },
    );
  });
  afterAll(async () => {
    await t?.close();
    await ses?.stop();
  });

  it('sends everyone exactly once, never counts a throttled request as sent, halves the shared rate, and finishes', async () => {
    await createTopic(t, 'news');
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `t${i}@example.fr`);
    expect((await importContacts(t, ['email;email_topics', ...addresses.map((a) => `${a};news`)].join('\n'))).created).toBe(RECIPIENTS);
    const id = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news' });

    // SES throttles the first requests whatever the rate. With at most 8 hand-overs in flight, 9 refusals are enough for
    // one hand-over to be refused twice (had each taken one, all 9 would be in flight at once, waiting for their retry):
    // the transport gives up on it, and the sender must halve the rate. The per-second limit may add more.
    ses.throttleNext(2 * CONCURRENCY);
    const launchedAt = clock();
    expect((await t.json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(202);
    await t.deps.background.idle();
    const firstPass = clock();

    // The shared rate backed off: halved at least once, plus what it regained since (a tenth of the maximum a minute).
    const [bucket] = await t.deps.db.selectFrom('transport_rates').selectAll().execute();
    expect(bucket!.transport).toBe('email:ses');
    expect(bucket!.throttled_until).not.toBeNull();
    const regained = ((MAX_RATE * RECOVERY_PER_MINUTE) / 60) * ((firstPass.getTime() - launchedAt.getTime()) / 1000);
    expect(bucket!.rate_per_second).toBeLessThanOrEqual(MAX_RATE / 2 + regained);

    // What was refused waits its backoff; each pass moves the clock to the latest `not_before` and sends again.
    const ledger = () => t.deps.db.selectFrom('messages')
      .select(['address', 'status', 'attempts', 'provider_message_id', 'not_before']).where('campaign_id', '=', id).execute();
    expect((await ledger()).filter((m) => m.status === 'pending').every((m) => m.attempts >= 1 && m.not_before)).toBe(true);
    for (let pass = 0; (await getCampaign(t, id)).status === 'sending'; pass++) {
      if (pass === 5) throw new Error(`not sent after 5 more passes: ${JSON.stringify((await getCampaign(t, id)).counts)}`);
      const due = Math.max(...(await ledger()).filter((m) => m.status === 'pending').map((m) => m.not_before!.getTime()));
      skew += Math.max(0, due + 1 - clock().getTime());
      await sendCampaign(t.deps, id);
    }

    const done = await getCampaign(t, id);
    expect([done.status, done.counts]).toMatchObject(['sent', { targeted: RECIPIENTS, sent: RECIPIENTS, failed: 0, pending: 0, sending: 0 }]);
    // SES accepted exactly one mail per recipient, and the ledger holds the MessageId of that one.
    const accepted = await ses.messages();
    expect(accepted.length).toBe(RECIPIENTS);
    const messageIdOf = new Map(accepted.map((m) => [m.to[0]!, m.messageId]));
    expect([...perRecipient(accepted).entries()].sort()).toEqual(addresses.map((a) => [a, 1]).sort());
    const rows = await ledger();
    expect(rows.filter((r) => r.provider_message_id !== messageIdOf.get(r.address!))).toEqual([]);
    // Every refused hand-over is two throttled requests (the SDK's two attempts) and counts one attempt; a hand-over that
    // was sent had zero or one throttled request before it. So per recipient, with `a` attempts: 2(a − 1) or 2(a − 1) + 1.
    const throttled = perRecipient(await ses.throttled());
    const wrong = rows.filter((r) => {
      const n = throttled.get(r.address!) ?? 0;
      return n !== 2 * (r.attempts - 1) && n !== 2 * (r.attempts - 1) + 1;
    });
    expect(wrong.map((r) => [r.address, r.attempts, throttled.get(r.address!)])).toEqual([]);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    const total = await sql<{ n: string }>`select sum(attempts) as n from messages where campaign_id = ${id}`.execute(t.deps.db);
    console.log(`${RECIPIENTS} sent in ${Number(total.rows[0]!.n)} hand-overs; SES throttled ${(await ses.throttled()).length} requests`);
  });
});
