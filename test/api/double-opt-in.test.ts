// Double opt-in: consent to a topic that asks for it stays pending until the person confirms by a signed link.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createList, createTemplate, createTopic, launch } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createTopic(t, 'news', { name: 'La lettre', double_opt_in: true });
  await createTopic(t, 'promo', { name: 'Promotions' });
});
afterAll(() => t.close());

/** The confirmation link in the one confirmation email sent to `address`. */
async function confirmationLink(address: string) {
  const mails = await Promise.all((await t.outboxFiles('.eml')).map((f) => PostalMime.parse(f.content)));
  const mine = mails.filter((m) => m.to?.[0]?.address === address);
  expect(mine).toHaveLength(1);
  return /href="https:\/\/mail\.example\.test(\/c\/[^"]+)"/.exec(mine[0].html ?? '')![1];
}

const status = async (id: number, topic: string) =>
  (await t.json('GET', `/v1/contacts/${id}`)).body.subscriptions.find((s: any) => s.topic === topic && s.channel === 'email')?.status;

describe('double opt-in', () => {
  it('keeps the consent pending, mails one confirmation, and subscribes only after the POST', async () => {
    const res = await t.json('POST', '/v1/contacts', {
      email: 'zoe@example.fr', first_name: 'Zoé', subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'promo' }],
    });
    const id = res.body.id;
    await t.deps.background.idle();
    expect(await status(id, 'news')).toBe('pending');
    expect(await status(id, 'promo')).toBe('subscribed');

    // A campaign to the topic skips the pending contact.
    const audience = { list_ids: [await createList(t, [id])] };
    const campaign = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news', audience });
    expect((await launch(t, campaign)).counts).toMatchObject({ audience: 1, sent: 0, skipped: { pending: 1 } });

    // Exactly one confirmation email, with a signed link; another change does not send a second one.
    await t.json('PATCH', `/v1/contacts/${id}`, { last_name: 'Martin' });
    await t.deps.background.idle();
    // (Only Zoé's mail: the other tests of this file send confirmations of their own.)
    const mails = (await Promise.all((await t.outboxFiles('.eml')).map((f) => PostalMime.parse(f.content)))).filter((m) => m.to?.[0]?.address === 'zoe@example.fr');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).toBe('Confirmez votre inscription : La lettre');
    const link = /href="https:\/\/mail\.example\.test(\/c\/[^"]+)"/.exec(mail.html ?? '')?.[1];
    expect(link).toBeDefined();
    expect(mail.headers.find((h) => h.key === 'list-unsubscribe')).toBeUndefined();

    // Prefetching the link changes nothing; the button's POST confirms, with a consent record.
    expect((await t.app.request(link!)).status).toBe(200);
    expect(await status(id, 'news')).toBe('pending');
    expect((await t.app.request(link!, { method: 'POST' })).status).toBe(200);
    expect(await status(id, 'news')).toBe('subscribed');
    const records = await t.deps.db.selectFrom('consent_records').select(['status', 'source']).where('contact_id', '=', id).orderBy('id').execute();
    expect(records.filter((r) => r.source === 'double_opt_in')).toEqual([{ status: 'subscribed', source: 'double_opt_in' }]);
  });

  it('an old confirmation link cannot undo a later opt-out, and a tampered one acts on nobody', async () => {
    const res = await t.json('POST', '/v1/contacts', { email: 'paul@example.fr', locale: 'en', subscriptions: [{ channel: 'email', topic: 'news' }] });
    await t.deps.background.idle();
    const files = await t.outboxFiles('.eml');
    const mails = await Promise.all(files.map((f) => PostalMime.parse(f.content)));
    const mine = mails.find((m) => m.to?.[0]?.address === 'paul@example.fr')!;
    expect(mine.subject).toBe('Please confirm your subscription: La lettre');
    const link = /href="https:\/\/mail\.example\.test(\/c\/[^"]+)"/.exec(mine.html ?? '')![1];
    await t.json('PATCH', `/v1/contacts/${res.body.id}`, { subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }] });
    await t.app.request(link, { method: 'POST' });
    expect(await status(res.body.id, 'news')).toBe('unsubscribed');
    const tampered = link.slice(0, -2) + (link.endsWith('A') ? 'BB' : 'AA');
    expect((await t.app.request(tampered, { method: 'POST' })).status).toBe(404);
  });

  it('re-sending consent for a confirmed subscription keeps it confirmed, and asks nothing again', async () => {
    const body = { email: 'lea@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }] };
    const { id } = (await t.json('POST', '/v1/contacts', body)).body;
    await t.deps.background.idle();
    expect((await t.app.request(await confirmationLink('lea@example.fr'), { method: 'POST' })).status).toBe(200);
    expect(await status(id, 'news')).toBe('subscribed');
    const again = await t.json('POST', '/v1/contacts', body);
    expect(again).toMatchObject({ status: 200, body: { id } });
    await t.deps.background.idle();
    expect(await status(id, 'news')).toBe('subscribed');
    await confirmationLink('lea@example.fr'); // still exactly one confirmation email
  });
});
