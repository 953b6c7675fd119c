// POST /webhooks/sms end to end: authentication of each form, keywords, answers, replies and redeliveries.
import { createHmac } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SmsMessage, SmsTransport } from '../../src/channels/types.js';
import { smsInboundRouter } from '../../src/inbound/index.js';
import type { AppEnv } from '../../src/http/app-env.js';
import { handleError } from '../../src/http/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';

const SECRET = 'sms-webhook-secret-0123456789';
const TOKEN = 'twilio-auth-token-abcdef';
const PUBLIC = 'https://mail.example.test';

describe('POST /webhooks/sms', () => {
  let t: TestApp;
  const sent: SmsMessage[] = [];
  const recorder: SmsTransport = {
    name: 'recording',
    async send(m) {
      sent.push(m);
      return { providerMessageId: m.messageId };
    },
  };
  let phoneSeq = 10;

  // The router as src/app.ts will mount it, on its own app until it is wired.
  const appWith = (options: { secret?: string; twilioAuthToken?: string; helpContact?: string }) => {
    const app = new OpenAPIHono<AppEnv>();
    const config = {
      ...t.deps.config, publicUrl: PUBLIC, smsWebhookSecret: options.secret, smsHelpContact: options.helpContact,
      twilio: options.twilioAuthToken ? { accountSid: 'AC-test', authToken: options.twilioAuthToken } : undefined,
    };
    app.use('*', async (c, next) => {
      c.set('deps', { ...t.deps, config });
      await next();
    });
    app.onError(handleError);
    app.route('/', smsInboundRouter());
    return app;
  };
  let app: ReturnType<typeof appWith>;

  const postJson = (body: unknown, secret: string | null = SECRET, target = app) =>
    target.request('/webhooks/sms', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== null ? { authorization: `Bearer ${secret}` } : {}) },
      body: JSON.stringify(body),
    });
  const sms = async (from: string, text: string) => {
    const res = await postJson({ from, to: '36111', text });
    expect(res.status).toBe(200);
    return ((await res.json()) as { action: string }).action;
  };

  // Twilio's algorithm written again with node:crypto, independent of the Web Crypto implementation.
  const twilioSign = (url: string, params: Record<string, string>, token = TOKEN) =>
    createHmac('sha1', token).update(url + Object.keys(params).sort().map((k) => k + params[k]).join('')).digest('base64');
  const postTwilio = (params: Record<string, string>, signature: string | null, options: { url?: string; target?: typeof app } = {}) =>
    (options.target ?? app).request(options.url ?? 'http://10.0.0.5:3000/webhooks/sms', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
  const twilioParams = (from: string, body: string, sid: string) => ({
    AccountSid: 'AC0123', MessageSid: sid, SmsMessageSid: sid, From: from, To: '+33644000000', Body: body, NumMedia: '0', FromCountry: 'FR',
  });

  /** A contact subscribed to SMS promotions and news, and to the email newsletter; returns its E.164 phone. */
  async function contact(locale = 'fr') {
    const n = phoneSeq++;
    const phone = `+336123450${String(n).padStart(2, '0')}`;
    const res = await t.json('POST', '/v1/contacts', {
      external_id: `S${n}`, email: `s${n}@example.fr`, phone, locale,
      subscriptions: [{ channel: 'sms', topic: 'promotions' }, { channel: 'sms', topic: 'news' }, { channel: 'email', topic: 'newsletter' }],
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as number, phone };
  }
  const subscriptions = async (id: number) =>
    (await t.json('GET', `/v1/contacts/${id}`)).body.subscriptions.map((s: any) => `${s.channel}:${s.topic}:${s.status}`).sort();
  const records = (id: number) =>
    t.deps.db.selectFrom('consent_records').innerJoin('topics', 'topics.id', 'consent_records.topic_id')
      .select(['topics.key', 'channel', 'status', 'source']).where('contact_id', '=', id).orderBy('consent_records.id').execute();
  const events = (id: number) =>
    t.deps.db.selectFrom('events').select(['type', 'properties']).where('contact_id', '=', id).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp({ BRAND_NAME: 'La Boutique', SMS_FROM: 'BOUTIQUE' }, { transports: { sms: recorder } });
    for (const [key, name] of [['promotions', 'Promotions'], ['news', 'News'], ['newsletter', 'Newsletter']]) {
      await t.json('POST', '/v1/topics', { key, name });
    }
    app = appWith({ secret: SECRET, twilioAuthToken: TOKEN, helpContact: '01 23 45 67 89' });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    sent.length = 0;
  });

  describe('authentication', () => {
    it('refuses the JSON form when no secret is configured, whatever the bearer', async () => {
      const { id, phone } = await contact();
      const open = appWith({ twilioAuthToken: TOKEN });
      for (const secret of [null, '', 'anything', SECRET]) {
        expect((await postJson({ from: phone, text: 'STOP' }, secret, open)).status).toBe(403);
      }
      expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:subscribed', 'sms:promotions:subscribed']);
      expect(sent).toEqual([]);
    });

    it('refuses a missing or wrong bearer with 401, and accepts the right one', async () => {
      const { id, phone } = await contact();
      expect((await postJson({ from: phone, text: 'STOP' }, null)).status).toBe(401);
      expect((await postJson({ from: phone, text: 'STOP' }, `${SECRET}x`)).status).toBe(401);
      expect((await postJson({ from: phone, text: 'STOP' }, SECRET.slice(0, -1))).status).toBe(401);
      const basic = await app.request('/webhooks/sms', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`x:${SECRET}`)}` }, body: '{}',
      });
      expect(basic.status).toBe(401);
      expect(await subscriptions(id)).toContain('sms:promotions:subscribed');
      expect(sent).toEqual([]);
      expect(await sms(phone, 'STOP')).toBe('unsubscribed');
    });

    it('validates the JSON body and refuses other content types', async () => {
      const bad = await postJson({ from: '+33612345678' });
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.details.map((d: any) => d.field)).toEqual(['text']);
      expect((await postJson({ from: '+33612345678', text: 'x', extra: 1 })).status).toBe(422);
      const plain = await app.request('/webhooks/sms', { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${SECRET}` }, body: 'STOP' });
      expect(plain.status).toBe(415);
    });

    it('accepts Twilio’s form signed over the public URL, answering with empty TwiML', async () => {
      const { id, phone } = await contact();
      const params = twilioParams(phone, 'STOP', 'SM-valid-1');
      const res = await postTwilio(params, twilioSign(`${PUBLIC}/webhooks/sms`, params));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:unsubscribed', 'sms:promotions:unsubscribed']);
      expect(sent.map((m) => [m.from, m.to, m.text])).toEqual([['+33644000000', phone, 'Vous ne recevrez plus de SMS de La Boutique.']]);
    });

    it('signs the query string too', async () => {
      const { id, phone } = await contact();
      const params = twilioParams(phone, 'STOP', 'SM-query-1');
      const res = await postTwilio(params, twilioSign(`${PUBLIC}/webhooks/sms?account=main`, params), { url: 'http://10.0.0.5/webhooks/sms?account=main' });
      expect(res.status).toBe(200);
      expect(await subscriptions(id)).toContain('sms:promotions:unsubscribed');
    });

    it('refuses a wrong, missing or foreign signature, or any form while no Twilio token is configured', async () => {
      const { id, phone } = await contact();
      const params = twilioParams(phone, 'STOP', 'SM-forged-1');
      const good = twilioSign(`${PUBLIC}/webhooks/sms`, params);
      expect((await postTwilio(params, null)).status).toBe(403);
      expect((await postTwilio(params, twilioSign(`${PUBLIC}/webhooks/sms`, params, 'other-token'))).status).toBe(403);
      // Signed over the URL the request reached rather than the public one.
      expect((await postTwilio(params, twilioSign('http://10.0.0.5:3000/webhooks/sms', params))).status).toBe(403);
      expect((await postTwilio({ ...params, Body: 'START' }, good)).status).toBe(403);
      expect((await postTwilio(params, good, { target: appWith({ secret: SECRET }) })).status).toBe(403);
      expect(await subscriptions(id)).toContain('sms:promotions:subscribed');
      expect(sent).toEqual([]);
      // The signature refused above is genuine: the same request with the token configured passes.
      expect((await postTwilio(params, good)).status).toBe(200);
      expect(await subscriptions(id)).toContain('sms:promotions:unsubscribed');
    });
  });

  describe('STOP', () => {
    it.each(['STOP', 'stop', 'Arrêt', 'ARRÊT', 'ARRET', ' Stop SMS ', 'opt out', 'Opt-Out!', 'Cancel.', 'UNSUBSCRIBE', 'QUIT', 'END', 'REVOKE', 'OPTOUT', 'STOPALL'])(
      '%j unsubscribes every SMS topic, records sms_keyword and sends one confirmation',
      async (keyword) => {
        const { id, phone } = await contact();
        expect(await sms(phone, keyword)).toBe('unsubscribed');
        expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:unsubscribed', 'sms:promotions:unsubscribed']);
        expect((await records(id)).filter((r) => r.source === 'sms_keyword')).toEqual([
          { key: 'promotions', channel: 'sms', status: 'unsubscribed', source: 'sms_keyword' },
          { key: 'news', channel: 'sms', status: 'unsubscribed', source: 'sms_keyword' },
        ]);
        expect(sent).toEqual([
          { messageId: expect.any(String), from: '36111', to: phone, text: 'Vous ne recevrez plus de SMS de La Boutique.', encoding: 'GSM-7', segments: 1 },
        ]);
      },
    );

    it('answers in the contact’s language, from SMS_FROM when the number written to is not given', async () => {
      const { phone } = await contact('en-CA');
      const res = await postJson({ from: phone, text: 'stop' });
      expect(await res.json()).toEqual({ action: 'unsubscribed' });
      expect(sent.map((m) => [m.from, m.text])).toEqual([['BOUTIQUE', 'You will no longer receive SMS from La Boutique.']]);
    });

    it('reads a national number in the default country', async () => {
      const { id, phone } = await contact();
      expect(await sms(`0${phone.slice(3, 4)} ${phone.slice(4)}`, 'STOP')).toBe('unsubscribed');
      expect(await subscriptions(id)).toContain('sms:promotions:unsubscribed');
    });

    it('a repeated STOP changes and records nothing more, and is confirmed again', async () => {
      const { id, phone } = await contact();
      await sms(phone, 'STOP');
      const before = await records(id);
      expect(await sms(phone, 'ARRET')).toBe('unsubscribed');
      expect(await records(id)).toEqual(before);
      expect(sent.map((m) => m.text)).toEqual(['Vous ne recevrez plus de SMS de La Boutique.', 'Vous ne recevrez plus de SMS de La Boutique.']);
    });

    it('acts on every contact sharing the number, with one confirmation', async () => {
      const a = await contact();
      const b = await t.json('POST', '/v1/contacts', { external_id: 'SHARED', phone: a.phone, subscriptions: [{ channel: 'sms', topic: 'promotions' }] });
      expect(await sms(a.phone, 'STOP')).toBe('unsubscribed');
      expect(await subscriptions(b.body.id)).toEqual(['sms:promotions:unsubscribed']);
      expect(await subscriptions(a.id)).toContain('sms:promotions:unsubscribed');
      expect(sent).toHaveLength(1);
    });
  });

  describe('START', () => {
    it('re-subscribes exactly the SMS topics a keyword unsubscribed', async () => {
      const { id, phone } = await contact();
      // news was left through the API: START must not undo that.
      await t.json('PATCH', `/v1/contacts/${id}`, { subscriptions: [{ channel: 'sms', topic: 'news', status: 'unsubscribed' }] });
      await sms(phone, 'STOP');
      expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:unsubscribed', 'sms:promotions:unsubscribed']);
      sent.length = 0;
      expect(await sms(phone, 'Start')).toBe('resubscribed');
      expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:unsubscribed', 'sms:promotions:subscribed']);
      expect((await records(id)).filter((r) => r.channel === 'sms')).toEqual([
        { key: 'promotions', channel: 'sms', status: 'subscribed', source: 'api' },
        { key: 'news', channel: 'sms', status: 'subscribed', source: 'api' },
        { key: 'news', channel: 'sms', status: 'unsubscribed', source: 'api' },
        { key: 'promotions', channel: 'sms', status: 'unsubscribed', source: 'sms_keyword' },
        { key: 'promotions', channel: 'sms', status: 'subscribed', source: 'sms_keyword' },
      ]);
      expect(sent.map((m) => [m.to, m.text])).toEqual([[phone, 'Vous recevez à nouveau les SMS de La Boutique. Répondez STOP pour ne plus en recevoir.']]);
    });

    it('with nothing stopped by keyword, changes nothing and answers nothing', async () => {
      const { id, phone } = await contact();
      expect(await sms(phone, 'UNSTOP')).toBe('ignored');
      await sms(phone, 'STOP');
      expect(await sms(phone, 'YES')).toBe('resubscribed');
      expect(await sms(phone, 'START')).toBe('ignored');
      expect(await subscriptions(id)).toEqual(['email:newsletter:subscribed', 'sms:news:subscribed', 'sms:promotions:subscribed']);
      expect(sent).toHaveLength(2);
    });
  });

  it('HELP answers with the brand, where to get help and how to stop, changing nothing', async () => {
    const fr = await contact();
    const en = await contact('en');
    expect(await sms(fr.phone, 'Aide')).toBe('help');
    expect(await sms(en.phone, 'HELP')).toBe('help');
    expect(await sms(en.phone, 'info')).toBe('help');
    expect(sent.map((m) => [m.to, m.text])).toEqual([
      [fr.phone, 'La Boutique - aide : 01 23 45 67 89. Répondez STOP pour ne plus recevoir de SMS.'],
      [en.phone, 'La Boutique - help: 01 23 45 67 89. Reply STOP to opt out.'],
      [en.phone, 'La Boutique - help: 01 23 45 67 89. Reply STOP to opt out.'],
    ]);
    expect(await subscriptions(fr.id)).toContain('sms:promotions:subscribed');
    expect(await records(fr.id)).toHaveLength(3);
  });

  it('other text is kept as an sms_reply event, with no answer and no consent change', async () => {
    const { id, phone } = await contact();
    expect(await sms(phone, 'Merci ! Vous ouvrez à quelle heure ?')).toBe('reply');
    expect(await sms(phone, 'please stop')).toBe('reply');
    expect(await events(id)).toEqual([
      { type: 'sms_reply', properties: { text: 'Merci ! Vous ouvrez à quelle heure ?', to: '36111' } },
      { type: 'sms_reply', properties: { text: 'please stop', to: '36111' } },
    ]);
    expect(await subscriptions(id)).toContain('sms:promotions:subscribed');
    expect(sent).toEqual([]);
  });

  it('unknown or invalid senders get 200 and nothing happens', async () => {
    const before = await t.deps.db.selectFrom('consent_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await sms('+33699999999', 'STOP')).toBe('ignored');
    expect(await sms('+33699999999', 'HELP')).toBe('ignored');
    expect(await sms('not a phone', 'STOP')).toBe('ignored');
    const params = twilioParams('+33699999999', 'STOP', 'SM-unknown-1');
    expect(await (await postTwilio(params, twilioSign(`${PUBLIC}/webhooks/sms`, params))).text()).toContain('<Response/>');
    const after = await t.deps.db.selectFrom('consent_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(sent).toEqual([]);
  });

  it('a redelivered MessageSid is processed once, even when the deliveries race', async () => {
    const { id, phone } = await contact();
    const stop = twilioParams(phone, 'STOP', 'SM-dup-stop');
    const sig = twilioSign(`${PUBLIC}/webhooks/sms`, stop);
    const statuses = await Promise.all([postTwilio(stop, sig), postTwilio(stop, sig), postTwilio(stop, sig)].map(async (r) => (await r).status));
    expect(statuses).toEqual([200, 200, 200]);
    expect(sent).toHaveLength(1);
    expect((await records(id)).filter((r) => r.source === 'sms_keyword')).toHaveLength(2);

    const reply = twilioParams(phone, 'Bonjour', 'SM-dup-reply');
    const replySig = twilioSign(`${PUBLIC}/webhooks/sms`, reply);
    await postTwilio(reply, replySig);
    await postTwilio(reply, replySig);
    expect(await events(id)).toEqual([{ type: 'sms_reply', properties: { text: 'Bonjour', to: '+33644000000' } }]);
    const marked = await t.deps.db.selectFrom('provider_events').select('event_id').where('provider', '=', 'twilio').where('event_id', 'like', 'SM-dup-%').orderBy('event_id').execute();
    expect(marked.map((r) => r.event_id)).toEqual(['SM-dup-reply', 'SM-dup-stop']);
  });
});
