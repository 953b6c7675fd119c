// An opt-out committed while a campaign is sending stops every message whose hand-over starts FRESH_MS or more after
// it, even one already claimed in the same batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRESH_MS } from '../../src/campaigns/send-batch.js';
import type { EmailTransport } from '../../src/channels/types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

describe('opt-out during sending', () => {
  let t: TestApp;
  const sent: string[] = [];
  let onFirstSend: (() => Promise<void>) | undefined;
  const email: EmailTransport = {
    name: 'recording',
    async send(m) {
      sent.push(m.to.address);
      const hook = onFirstSend;
      onFirstSend = undefined;
      await hook?.();
      return { providerMessageId: m.messageId };
    },
  };

  beforeAll(async () => {
    // One batch holds everyone: the batch-level consent read happens before the opt-out. One hand-over at a time: with
    // SEND_CONCURRENCY above 1, those already in the transport's hands at the opt-out still leave.
    t = await createTestApp({ SEND_BATCH_SIZE: '100', SEND_CONCURRENCY: '1' }, { transports: { email } });
    await createTopic(t, 'news');
    for (const name of ['a', 'b', 'c']) await createContact(t, { email: `${name}@example.fr`, subscriptions: [{ channel: 'email', topic: 'news' }] });
  });
  afterAll(() => t.close());

  it('skips the contact who opted out after the batch was claimed', async () => {
    const c = (await t.json('GET', '/v1/contacts?email=c@example.fr')).body.data[0];
    // While a@ is being handed over, c@ unsubscribes through the API.
    onFirstSend = async () => {
      const res = await t.json('PATCH', `/v1/contacts/${c.id}`, { subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }] });
      expect(res.status).toBe(200);
      // The sender reads the batch's recipients again when its last read is FRESH_MS old.
      await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    };
    const campaign = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news' });
    const { counts } = await launch(t, campaign);
    expect(sent).toEqual(['a@example.fr', 'b@example.fr']);
    expect(counts).toMatchObject({ sent: 2, skipped: { unsubscribed: 1 } });
  });
});
