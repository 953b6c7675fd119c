// Email replies: marketing email says Reply-To: reply+<message>-<MAC>@REPLY_DOMAIN; what comes back there (SES inbound
// through SNS, or the generic JSON form) is a reply of that message, once, and out-of-office answers are not.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSesNotification } from '../../src/inbound/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

const SECRET = 'inbound-email-secret-0123';
let t: TestApp;
let campaign: number;
const replyTo = new Map<string, string>();

const post = (body: unknown, secret: string | null = SECRET) =>
  t.app.request('/webhooks/email', {
    method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) }, body: JSON.stringify(body),
  });
const replies = async () => (await t.json('GET', `/v1/campaigns/${campaign}/report`)).body.engagement.replies;
const mime = (to: string, headers: string, body: string) =>
  `From: Marie <marie@example.fr>\r\nTo: ${to}\r\nSubject: Re: Soldes\r\nMessage-ID: <x@example.fr>\r\n${headers}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
const received = (raw: string, recipients: string[], snsMessageId: string) => handleSesNotification(t.deps.db, {
  snsMessageId,
  message: JSON.stringify({
    notificationType: 'Received', mail: { messageId: 'inbound-1', timestamp: '2026-03-02T12:00:00.000Z' },
    receipt: { recipients, action: { type: 'SNS', encoding: 'BASE64' } }, content: Buffer.from(raw).toString('base64'),
  }),
}, { at: new Date('2026-03-02T12:00:00.000Z') });

beforeAll(async () => {
  t = await createTestApp({ REPLY_DOMAIN: 'reply.shop.example', INBOUND_EMAIL_SECRET: SECRET });
  await createTopic(t, 'news');
  for (const email of ['marie@example.fr', 'paul@example.fr']) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  campaign = await createCampaign(t, { template_id: await createTemplate(t, 'email'), topic: 'news' });
  await launch(t, campaign);
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    replyTo.set(mail.to![0].address!, mail.replyTo![0].address!);
  }
});
afterAll(() => t.close());

describe('email replies', () => {
  it('each marketing email has its own signed reply address', async () => {
    const messages = await t.deps.db.selectFrom('messages').select(['public_id', 'address']).where('campaign_id', '=', campaign).execute();
    for (const m of messages) expect(replyTo.get(m.address!)).toMatch(new RegExp(`^reply\\+${m.public_id}-[0-9a-f]{16}@reply\\.shop\\.example$`));
  });

  it('the JSON form: a reply is recorded once; a forged address or an out-of-office is not a reply', async () => {
    const to = replyTo.get('marie@example.fr')!;
    // Mail systems may change the case of an address: the reply address is read whatever its case.
    const body = { to: [to.toUpperCase()], from: 'marie@example.fr', subject: 'Re: Soldes', text: 'Avez-vous la taille 38 ?', message_id: '<a1@example.fr>' };
    const first = await post(body);
    const again = await post(body);
    expect([first.status, await first.json(), await again.json()]).toEqual([200, { action: 'reply' }, { action: 'reply', duplicate: true }]);
    const forged = to.replace(/-([0-9a-f])/, (_, d: string) => `-${d === '0' ? '1' : '0'}`);
    expect(await (await post({ to: forged, text: 'x', message_id: '<a2@example.fr>' })).json()).toEqual({ action: 'unknown_recipient' });
    expect(await (await post({ to, text: 'Absent', auto_submitted: true, message_id: '<a3@example.fr>' })).json()).toEqual({ action: 'automatic' });
    expect(await replies()).toBe(1);
    const row = await t.deps.db.selectFrom('responses').innerJoin('messages', 'messages.id', 'responses.message_id')
      .select(['responses.body', 'responses.channel', 'responses.properties', 'messages.address']).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: 'Avez-vous la taille 38 ?', channel: 'email', properties: { subject: 'Re: Soldes', from: 'marie@example.fr' }, address: 'marie@example.fr' });
  });

  it('refuses the JSON form without the bearer secret', async () => {
    expect((await post({ to: 'x@y.fr' }, null)).status).toBe(401);
    expect((await post({ to: 'x@y.fr' }, 'wrong-secret-0123456789')).status).toBe(401);
  });

  it('SES inbound through SNS: the MIME message is read, the reply linked once; an auto-reply is not counted', async () => {
    const to = replyTo.get('paul@example.fr')!;
    const reply = mime(to, '', 'Je passe samedi.');
    expect(await received(reply, ['other@reply.shop.example', to], 'sns-r1')).toMatchObject({ duplicate: false, reply: 'reply' });
    expect(await received(reply, [to], 'sns-r1')).toMatchObject({ duplicate: true });
    expect(await received(mime(to, 'Auto-Submitted: auto-replied\r\n', 'Je suis absent.'), [to], 'sns-r2')).toMatchObject({ reply: 'automatic' });
    expect(await replies()).toBe(2);
    const bodies = await t.deps.db.selectFrom('responses').select('body').orderBy('id').execute();
    expect(bodies.map((b) => b.body)).toEqual(['Avez-vous la taille 38 ?', 'Je passe samedi.']);
  });
});
