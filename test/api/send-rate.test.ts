// The send rate: a token bucket per transport in the database, which the sender waits on (through deps.sleep, which
// here moves the clock on instead of sleeping), shared by every sender, and halved when the provider throttles.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { classifySesError } from '../../src/channels/email/ses.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts, launch, mjml } from '../support/fixtures.js';

const T0 = new Date('2026-03-02T10:00:00.000Z');
let clock = T0;
let t: TestApp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
});

/** An app whose email transport records when (ms after T0) each message was handed over; `fail` may throw instead. */
async function setup(env: Record<string, string>, contacts: number, fail?: (call: number) => Error | undefined) {
  clock = T0;
  const sent: Array<{ to: string; at: number }> = [];
  let calls = 0;
  const transport: EmailTransport = {
    name: 'recording',
    async send(m) {
      const error = fail?.(++calls);
      if (error) throw error;
      sent.push({ to: m.to.address, at: clock.getTime() - T0.getTime() });
      return { providerMessageId: m.messageId };
    },
  };
  const sleep = async (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  // One hand-over at a time: a sleep moves the clock for every message in flight, so exact times need one.
  t = await createTestApp({ SEND_CONCURRENCY: '1', ...env }, { clock: () => clock, sleep, transports: { email: transport } });
  await createTopic(t, 'news');
  const rows = ['email;email_topics', ...Array.from({ length: contacts }, (_, i) => `r${String(i).padStart(2, '0')}@example.fr;news`)];
  expect((await importContacts(t, rows.join('\n'))).created).toBe(contacts);
  const id = await createCampaign(t, { template_id: await createTemplate(t, 'email', { mjml: mjml('Bonjour') }), topic: 'news' });
  return { t, id, sent };
}

const times = (sent: Array<{ at: number }>) => sent.map((s) => s.at);
const bucket = (t: TestApp) => t.deps.db.selectFrom('transport_rates').selectAll().execute();

describe('send rate', () => {
  it('lets 5 through at once at 5/s, then 5 a second later, the rest when the bucket holds them', async () => {
    const { t, id, sent } = await setup({ SES_MAX_SEND_RATE: '5' }, 12);
    const done = await launch(t, id);
    expect([done.status, done.counts?.sent]).toEqual(['sent', 12]);
    expect(times(sent)).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 1400, 1400]);
    expect(await bucket(t)).toEqual([
      { transport: 'email:recording', rate_per_second: 5, tokens: 0, refilled_at: new Date(T0.getTime() + 1400), throttled_until: null, max_rate: 5 },
    ]);
  });

  it('shares one budget between concurrent senders', async () => {
    const { t, id, sent } = await setup({ SES_MAX_SEND_RATE: '5', SEND_BATCH_SIZE: '4', SEND_IN_PROCESS: 'false' }, 20);
    expect((await launch(t, id)).status).toBe('sending');
    await Promise.all([sendCampaign(t.deps, id), sendCampaign(t.deps, id)]);
    expect((await getCampaign(t, id)).status).toBe('sent');
    expect(sent.map((s) => s.to).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}@example.fr`));
    // Never more than the bucket grants: 5 + 5/s × the time elapsed (two buckets would let eight go at once, two
    // batches of four). The clock moves whenever either sender sleeps, so the exact times depend on the interleaving.
    expect(times(sent).filter((at) => at === 0).length).toBeLessThanOrEqual(5);
    for (const [i, at] of times(sent).entries()) expect(i + 1).toBeLessThanOrEqual(5 + (5 * at) / 1000);
    expect(times(sent).at(-1)).toBeGreaterThanOrEqual(3000);
  });

  it('halves the rate when the provider throttles, for every sender', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const { t, id, sent } = await setup({ SES_MAX_SEND_RATE: '8' }, 10, (call) => (call === 3 ? classifySesError(throttled) : undefined));
    // The throttled message's backoff: 29.7 s, past the end of this test.
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    await launch(t, id);
    // 8/s: two go, the third is throttled; then 4/s: four a second later, three more 750 ms after (a bucket of 4
    // refilling at 4/s). The throttled one waits for its own backoff.
    expect(times(sent)).toEqual([0, 0, 1000, 1000, 1000, 1000, 1750, 1750, 1750]);
    const [row] = await bucket(t);
    expect(row!.throttled_until).toEqual(new Date(T0.getTime() + 1000));
    // Recovering from 4/s by 8/s a tenth a minute: 0.75 s later, 4.01/s.
    expect(row!.rate_per_second).toBeCloseTo(4.01, 9);
  });

  it('sends without waiting when no rate is set', async () => {
    const { t, id, sent } = await setup({}, 12);
    await launch(t, id);
    expect(times(sent)).toEqual(Array(12).fill(0));
    expect(await bucket(t)).toEqual([]);
  });
});
