// POST /webhooks/ses: SNS signatures, subscription confirmation without SSRF, deduplication, and what bounces,
// deliveries and complaints do to the suppression list and to consent.
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetcher, SnsMessage } from '../../src/channels/index.js';
import { sesWebhookRouter } from '../../src/inbound/ses-webhook.handlers.js';
import { hashAddress, softBounceCount, suppressedSet } from '../../src/suppressions/suppressions.repository.js';
import type { AppEnv } from '../../src/http/app-env.js';
import { handleError } from '../../src/http/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  bounceEvent, CERT_URL, complaintEvent, deliveryEvent, makeCertificate, notification, recordingFetcher, subscriptionConfirmation,
  type TestCertificate,
} from '../support/sns.js';

let t: TestApp;
let cert: TestCertificate;
let hook: OpenAPIHono<AppEnv>;
let fetched: string[];

/** The router on its own app, with the configuration and outbound fetch a test gives it. */
function mount(options: { fetcher?: Fetcher; topicArns?: string[]; softBounceLimit?: number }) {
  const app = new OpenAPIHono<AppEnv>();
  const config = { ...t.deps.config, sesSnsTopicArns: options.topicArns, softBounceLimit: options.softBounceLimit ?? t.deps.config.softBounceLimit };
  app.use('*', async (c, next) => {
    c.set('deps', { ...t.deps, config, fetch: options.fetcher ?? t.deps.fetch });
    await next();
  });
  app.onError(handleError);
  app.route('/', sesWebhookRouter());
  return app;
}

async function post(body: SnsMessage | string, app = hook, contentType = 'text/plain; charset=UTF-8') {
  const res = await app.request('/webhooks/ses', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const suppressed = async (...emails: string[]) => [...(await suppressedSet(t.deps.db, 'email', emails))].sort();
const reasonOf = async (email: string) =>
  (await t.deps.db.selectFrom('suppressions').select('reason').where('address_hash', '=', await hashAddress('email', email)).executeTakeFirst())?.reason;

beforeAll(async () => {
  t = await createTestApp();
  cert = makeCertificate();
  const rec = recordingFetcher({ [CERT_URL]: cert.pem });
  fetched = rec.calls;
  hook = mount({ fetcher: rec.fetcher });
  await t.json('POST', '/v1/topics', { key: 'news', name: 'News' });
  await t.json('POST', '/v1/topics', { key: 'promos', name: 'Promos' });
});
afterAll(() => t.close());

describe('SNS signature', () => {
  it('accepts a valid signature, as text/plain and as application/json, without auth', async () => {
    expect(await post(notification(deliveryEvent('ok@example.fr'), cert.privateKey))).toEqual({ status: 200, body: { ok: true } });
    expect(await post(notification(deliveryEvent('ok@example.fr'), cert.privateKey), hook, 'application/json')).toEqual({ status: 200, body: { ok: true } });
  });

  it('refuses a tampered message, a foreign key and a bad signature with 403, and records nothing', async () => {
    const good = notification(bounceEvent('Permanent', 'victim@example.fr'), cert.privateKey);
    const tampered = { ...good, Message: good.Message.replace('victim@', 'other@') };
    expect((await post(tampered)).status).toBe(403);
    expect((await post(notification(bounceEvent('Permanent', 'victim@example.fr'), makeCertificate().privateKey))).status).toBe(403);
    expect((await post({ ...good, Signature: 'AAAA' })).status).toBe(403);
    expect(await suppressed('victim@example.fr', 'other@example.fr')).toEqual([]);
    const seen = await t.deps.db.selectFrom('provider_events').select('event_id').where('event_id', '=', good.MessageId).execute();
    expect(seen).toEqual([]);
  });

  it('refuses a certificate URL off sns.<region>.amazonaws.com with 403 without fetching it', async () => {
    const before = fetched.length;
    for (const url of ['https://evil.example/cert.pem', 'http://sns.eu-west-3.amazonaws.com/cert.pem', 'https://sns.eu-west-3.amazonaws.com.evil.example/c.pem']) {
      const res = await post(notification(bounceEvent('Permanent', 'x@example.fr'), cert.privateKey, { SigningCertURL: url }));
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    expect(fetched.length).toBe(before);
  });

  it('answers 400 to malformed bodies and 415 to other content types, never 500', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post('{"Type":"Notification"}')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post(JSON.stringify({ ...notification({}, cert.privateKey), Type: 'Other' }))).status).toBe(400);
    expect((await post(notification({}, cert.privateKey), hook, 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('accepts a signed Notification whose Message is not an SES event, doing nothing', async () => {
    expect((await post(notification('plain text', cert.privateKey))).status).toBe(200);
    expect((await post(notification({}, cert.privateKey))).status).toBe(200);
    expect((await post(notification({ eventType: 'Bounce' }, cert.privateKey))).status).toBe(200);
  });

  it('only accepts the configured topics when told to', async () => {
    const strict = mount({ fetcher: recordingFetcher({ [CERT_URL]: cert.pem }).fetcher, topicArns: ['arn:aws:sns:eu-west-3:123456789012:other'] });
    expect((await post(notification(deliveryEvent('a@example.fr'), cert.privateKey), strict)).status).toBe(403);
  });
});

describe('subscription confirmation', () => {
  it('confirms on an SNS host through the injected fetcher', async () => {
    const url = 'https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn&Token=token-123';
    const before = fetched.length;
    expect(await post(subscriptionConfirmation(url, cert.privateKey))).toEqual({ status: 200, body: { ok: true, confirmed: true } });
    expect(fetched.slice(before).filter((u) => u === url)).toEqual([url]);
  });

  it('refuses a SubscribeURL on any other host without fetching anything (Mailtrain #1392)', async () => {
    const rec = recordingFetcher({ [CERT_URL]: cert.pem });
    const app = mount({ fetcher: rec.fetcher });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://evil.example/?Action=ConfirmSubscription',
      'http://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription',
      'https://sns.eu-west-3.amazonaws.com@evil.example/',
    ]) {
      expect((await post(subscriptionConfirmation(url, cert.privateKey), app)).status).toBe(403);
    }
    expect(rec.calls).toEqual([]);
  });

  it('does not confirm a subscription whose signature is bad', async () => {
    const rec = recordingFetcher({ [CERT_URL]: cert.pem });
    const url = 'https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription&Token=forged';
    const forged = subscriptionConfirmation(url, makeCertificate().privateKey);
    expect((await post(forged, mount({ fetcher: rec.fetcher }))).status).toBe(403);
    expect(rec.calls).toEqual([CERT_URL]);
  });

  it('answers 503 when the certificate cannot be fetched, so SNS retries', async () => {
    const rec = recordingFetcher({});
    expect((await post(notification(deliveryEvent('a@example.fr'), cert.privateKey), mount({ fetcher: rec.fetcher }))).status).toBe(503);
  });
});

describe('SES events', () => {
  it('processes a redelivered message once', async () => {
    const m = notification(bounceEvent('Transient', 'dup@example.fr'), cert.privateKey);
    for (let i = 0; i < 3; i++) expect(await post(m)).toEqual({ status: 200, body: { ok: true } });
    expect(await softBounceCount(t.deps.db, await hashAddress('email', 'dup@example.fr'))).toBe(1);
    const rows = await t.deps.db.selectFrom('provider_events').selectAll().where('event_id', '=', m.MessageId).execute();
    expect(rows.map((r) => r.provider)).toEqual(['sns']);
  });

  it('suppresses each recipient of a permanent bounce and resets their soft counter', async () => {
    await post(notification(bounceEvent('Transient', 'hard1@example.fr'), cert.privateKey));
    await post(notification(bounceEvent('Permanent', 'Hard1@Example.fr', 'Jo <hard2@example.fr>'), cert.privateKey));
    expect(await suppressed('hard1@example.fr', 'hard2@example.fr', 'ok@example.fr')).toEqual(['hard1@example.fr', 'hard2@example.fr']);
    expect(await reasonOf('hard1@example.fr')).toBe('hard_bounce');
    expect(await softBounceCount(t.deps.db, await hashAddress('email', 'hard1@example.fr'))).toBe(0);
    const row = await t.deps.db.selectFrom('suppressions').select(['address', 'source']).where('address', '=', 'hard1@example.fr').executeTakeFirst();
    expect(row).toEqual({ address: 'hard1@example.fr', source: 'ses' });
  });

  it('suppresses after three soft bounces in a row, not two, and a delivery in between resets the run', async () => {
    const soft = (email: string) => post(notification(bounceEvent('Transient', email), cert.privateKey));
    await soft('two@example.fr');
    await soft('two@example.fr');
    await soft('three@example.fr');
    await soft('three@example.fr');
    await soft('three@example.fr');
    await soft('reset@example.fr');
    await soft('reset@example.fr');
    await post(notification(deliveryEvent('reset@example.fr'), cert.privateKey));
    await soft('reset@example.fr');
    await soft('reset@example.fr');
    expect(await suppressed('two@example.fr', 'three@example.fr', 'reset@example.fr')).toEqual(['three@example.fr']);
    expect(await reasonOf('three@example.fr')).toBe('soft_bounces');
    expect(await softBounceCount(t.deps.db, await hashAddress('email', 'reset@example.fr'))).toBe(2);
    await soft('reset@example.fr');
    expect(await suppressed('reset@example.fr')).toEqual(['reset@example.fr']);
  });

  it('takes the soft bounce limit from the router options', async () => {
    const one = mount({ fetcher: recordingFetcher({ [CERT_URL]: cert.pem }).fetcher, softBounceLimit: 1 });
    await post(notification(bounceEvent('Transient', 'once@example.fr'), cert.privateKey), one);
    expect(await suppressed('once@example.fr')).toEqual(['once@example.fr']);
  });

  it('suppresses a complaint and unsubscribes the contact from every email topic, with consent records', async () => {
    const created = await t.json('POST', '/v1/contacts', {
      email: 'angry@example.fr', phone: '0612345678',
      subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'promos' }, { channel: 'sms', topic: 'promos' }],
    });
    expect(created.status).toBe(201);
    const res = await post(notification(complaintEvent('Angry@example.fr'), cert.privateKey));
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(await reasonOf('angry@example.fr')).toBe('complaint');
    const subs = await t.deps.db
      .selectFrom('subscriptions').innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select(['topics.key', 'channel', 'status']).where('contact_id', '=', created.body.id).orderBy('topics.key').orderBy('channel').execute();
    expect(subs).toEqual([
      { key: 'news', channel: 'email', status: 'unsubscribed' },
      { key: 'promos', channel: 'email', status: 'unsubscribed' },
      { key: 'promos', channel: 'sms', status: 'subscribed' },
    ]);
    const records = await t.deps.db
      .selectFrom('consent_records').innerJoin('topics', 'topics.id', 'consent_records.topic_id')
      .select(['topics.key', 'channel', 'status', 'source']).where('contact_id', '=', created.body.id).where('source', '=', 'complaint')
      .orderBy('topics.key').execute();
    expect(records).toEqual([
      { key: 'news', channel: 'email', status: 'unsubscribed', source: 'complaint' },
      { key: 'promos', channel: 'email', status: 'unsubscribed', source: 'complaint' },
    ]);
  });

  it('does not suppress on sends, opens, clicks, delivery delays or rejects', async () => {
    for (const eventType of ['Send', 'Open', 'Click', 'DeliveryDelay', 'Reject']) {
      expect((await post(notification({ eventType, mail: { messageId: 'x', destination: ['quiet@example.fr'] } }, cert.privateKey))).status).toBe(200);
    }
    expect(await suppressed('quiet@example.fr')).toEqual([]);
  });
});

describe('SES events per message', () => {
  const SENT = '2026-03-02T09:00:00.000Z';
  let campaign: number;
  let messages: Record<string, number>;

  beforeAll(async () => {
    const db = t.deps.db;
    const [template] = await db.insertInto('templates').values({ name: 'T', channel: 'email', subject: 'S', mjml: '<mjml></mjml>' }).returning('id').execute();
    const topic = await db.selectFrom('topics').select('id').where('key', '=', 'news').executeTakeFirstOrThrow();
    const [c] = await db.insertInto('campaigns').values({
      name: 'SES', channel: 'email', template_id: template.id, topic_id: topic.id, audience: JSON.stringify({ all: true }), status: 'sent',
    }).returning('id').execute();
    campaign = Number(c.id);
    messages = {};
    for (const key of ['a', 'b', 'c']) {
      const [m] = await db.insertInto('messages').values({
        campaign_id: campaign, channel: 'email', status: 'sent', public_id: `pub-${key}`, provider_message_id: `prov-${key}`,
        address: `${key}@example.fr`, sent_at: new Date(SENT),
      }).returning('id').execute();
      messages[key] = Number(m.id);
    }
  });

  const event = (eventType: string, messageId: string, part: Record<string, unknown>) => ({ eventType, mail: { messageId, timestamp: SENT }, ...part });
  const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

  it('records delivery, bounces, complaints, rejects and delays per message once, and folds them into the rollups', async () => {
    const sent = [
      notification(event('Delivery', 'prov-a', { delivery: { recipients: ['a@example.fr'], timestamp: '2026-03-02T09:00:05.000Z' } }), cert.privateKey),
      notification(event('DeliveryDelay', 'prov-b', { deliveryDelay: { delayType: 'MailboxFull', timestamp: '2026-03-02T09:10:00.000Z' } }), cert.privateKey),
      notification(event('Bounce', 'prov-b', { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'b@example.fr' }], timestamp: '2026-03-02T10:20:00.000Z' } }), cert.privateKey),
      notification(event('Bounce', 'prov-b', { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'b@example.fr' }], timestamp: '2026-03-02T11:00:00.000Z' } }), cert.privateKey),
      notification(event('Reject', 'prov-c', { reject: { reason: 'Bad content' } }), cert.privateKey),
      notification(event('Complaint', 'prov-a', { complaint: { complainedRecipients: [{ emailAddress: 'a@example.fr' }], timestamp: '2026-03-02T12:30:00.000Z' } }), cert.privateKey),
      notification(event('Delivery', 'unknown-id', { delivery: { recipients: ['z@example.fr'] } }), cert.privateKey),
    ];
    for (const n of sent) expect((await post(n)).status).toBe(200);
    // SNS delivers at least once: the same notifications again change nothing.
    for (const n of sent) expect((await post(n)).status).toBe(200);

    const rows = await t.deps.db.selectFrom('delivery_events').select(['message_id', 'type', 'occurred_at', 'detail']).orderBy('id').execute();
    expect(rows.map((r) => [Number(r.message_id), r.type, new Date(r.occurred_at).toISOString(), r.detail])).toEqual([
      [messages.a, 'delivered', '2026-03-02T09:00:05.000Z', {}],
      [messages.b, 'delayed', '2026-03-02T09:10:00.000Z', { delay_type: 'MailboxFull' }],
      [messages.b, 'bounced_soft', '2026-03-02T10:20:00.000Z', {}],
      [messages.b, 'bounced_hard', '2026-03-02T11:00:00.000Z', {}],
      // A reject names no time of its own: the message's.
      [messages.c, 'rejected', SENT, { reason: 'Bad content' }],
      [messages.a, 'complained', '2026-03-02T12:30:00.000Z', {}],
    ]);
    const engagement = await t.deps.db.selectFrom('message_engagement')
      .select(['message_id', 'delivered_at', 'bounced_at', 'bounce', 'complained_at']).where('campaign_id', '=', campaign).orderBy('message_id').execute();
    expect(engagement.map((e) => [Number(e.message_id), e.delivered_at?.toISOString() ?? null, e.bounced_at?.toISOString() ?? null, e.bounce, e.complained_at?.toISOString() ?? null]))
      .toEqual([
        [messages.a, '2026-03-02T09:00:05.000Z', null, null, '2026-03-02T12:30:00.000Z'],
        [messages.b, null, '2026-03-02T10:20:00.000Z', 'hard', null],
        [messages.c, null, null, null, null],
      ]);
    const hourly = await t.deps.db.selectFrom('campaign_hourly').select(['metric', 'hour', 'events', 'uniques'])
      .where('campaign_id', '=', campaign).orderBy('metric').orderBy('hour').execute();
    expect(hourly.map((h) => [h.metric, new Date(h.hour).toISOString(), Number(h.events), Number(h.uniques)])).toEqual([
      ['bounce_hard', '2026-03-02T11:00:00.000Z', 1, 1],
      // A message that bounced soft, then hard, is counted once, as hard: its soft unique is taken back.
      ['bounce_soft', '2026-03-02T10:00:00.000Z', 1, 0],
      ['complaint', '2026-03-02T12:00:00.000Z', 1, 1],
      ['delay', '2026-03-02T09:00:00.000Z', 1, 0],
      ['delivered', '2026-03-02T09:00:00.000Z', 1, 1],
      ['reject', '2026-03-02T09:00:00.000Z', 1, 0],
    ]);
  });

  it('keeps SES opens and clicks as raw hits beside the tracker\'s, classified the same way, once per notification', async () => {
    const open = notification(event('Open', 'prov-c', { open: { timestamp: '2026-03-02T13:05:00.000Z', userAgent: browser, ipAddress: '198.51.100.7' } }), cert.privateKey);
    const click = notification(event('Click', 'prov-c', {
      click: { timestamp: '2026-03-02T13:06:00.000Z', userAgent: browser, ipAddress: '198.51.100.7', link: 'https://shop.example/promo' },
    }), cert.privateKey);
    const prefetch = notification(event('Open', 'prov-a', { open: { timestamp: '2026-03-02T13:07:00.000Z', userAgent: 'Mozilla/5.0', ipAddress: '17.58.0.1' } }), cert.privateKey);
    for (const n of [open, click, prefetch, open, click]) expect((await post(n)).status).toBe(200);
    const hits = await t.deps.db.selectFrom('tracking_hits').select(['message_id', 'kind', 'class', 'rule', 'source', 'ip_prefix', 'occurred_at'])
      .where('campaign_id', '=', campaign).orderBy('occurred_at').execute();
    expect(hits.map((h) => [Number(h.message_id), h.kind, h.class, h.source, h.ip_prefix, new Date(h.occurred_at).toISOString()])).toEqual([
      [messages.c, 'open', 'human', 'ses', '198.51.100.0/24', '2026-03-02T13:05:00.000Z'],
      [messages.c, 'click', 'human', 'ses', '198.51.100.0/24', '2026-03-02T13:06:00.000Z'],
      // Apple Mail Privacy Protection: "Mozilla/5.0" from Apple's proxy range.
      [messages.a, 'open', 'machine', 'ses', '17.58.0.0/24', '2026-03-02T13:07:00.000Z'],
    ]);
    const report = await t.json('GET', `/v1/campaigns/${campaign}/report`);
    expect(report.body.engagement.opens).toEqual({ human: 1, machine: 1, unique_human: 1, unique_machine: 1 });
    expect(report.body.engagement.clicks).toMatchObject({ human: 1, machine: 0, unique_human: 1, unique_machine: 0 });
  });
});
