// Inputs that each answered 500 before, found by hand or by the generated fuzz (fuzz.test.ts), kept as regular
// tests: each is a 4xx naming the field, or for the preference center's form, the rest of the form applied.
import { createHmac } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/app-env.js';
import { handleError } from '../../src/http/errors.js';
import { smsInboundRouter } from '../../src/inbound/index.js';
import { auditRoutes } from '../../src/audit/index.js';
import { contactRoutes } from '../../src/contacts/index.js';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { listRoutes } from '../../src/segments/index.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { bounceEvent, CERT_URL, makeCertificate, notification, recordingFetcher, type TestCertificate } from '../support/sns.js';
import { createContact, createList, createTemplate, createTopic, importContacts } from '../support/fixtures.js';
import { csrfOf, publicLinks, type PublicLinks } from './fuzz/public-links.js';

const SMS_SECRET = 'sms-webhook-secret-for-bad-input';
const SURROGATE = 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)';
const NUL = 'must not contain the NUL character (\\u0000)';
const DATE_RANGE = 'must be a date and time with an offset (2025-03-01T09:30:00+01:00), between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

let t: TestApp;
let links: PublicLinks;
let template: number;
let cert: TestCertificate;

beforeAll(async () => {
  cert = makeCertificate();
  t = await createTestApp({ SMS_WEBHOOK_SECRET: SMS_SECRET }, { fetch: recordingFetcher({ [CERT_URL]: cert.pem }).fetcher });
  links = await publicLinks(t, 'bad-input@example.fr');
  await createTopic(t, 'bad');
  template = await createTemplate(t, 'sms');
});
afterAll(() => t.close());

/** The 422's details, as [field, message] pairs. */
const problems = (body: { error: { details?: unknown } }) => ((body.error.details ?? []) as Array<{ field: string; message: string }>).map((d) => [d.field, d.message]);

describe('the preference center form: a bad field is ignored, the rest of the form applied', () => {
  const post = async (fields: Record<string, string>) => {
    const body = new URLSearchParams({ csrf: await csrfOf(t, links.preferences), action: 'save', locale: 'fr', ...fields });
    return t.app.request(links.preferences, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  };
  const contact = async () => expectStatus(await t.api(contactRoutes.getContactRoute, { param: { id: links.contactId } }), 200);
  const frequency = (channel: string) =>
    t.deps.db.selectFrom('contact_preferences').select(['max_messages', 'period']).where('contact_id', '=', links.contactId).where('channel', '=', channel).execute();
  const token = () => links.preferences.split('/').pop();
  const news = () => `sub:${links.topics['links-news']}:email`;

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('freq:email=%s is ignored; the name and the other channel are saved', async (choice) => {
    const res = await post({ first_name: `Léa ${choice}`, [news()]: 'on', 'freq:email': choice, 'freq:sms': '2m' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${token()}?done=saved`);
    expect((await contact()).first_name).toBe(`Léa ${choice}`);
    expect(await frequency('email')).toEqual([]);
    expect(await frequency('sms')).toEqual([{ max_messages: 2, period: 'calendar_month' }]);
  });

  it('a NUL character in the name keeps the name as it was, saves the rest and says so', async () => {
    const before = await contact();
    const res = await post({ first_name: 'Zo\u0000é', last_name: 'Martin', [news()]: 'on', 'freq:email': '1w' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${token()}?done=saved_except_name`);
    const after = await contact();
    expect([after.first_name, after.last_name]).toEqual([before.first_name, 'Martin']);
    expect(await frequency('email')).toEqual([{ max_messages: 1, period: 'calendar_week' }]);
    const page = await (await t.app.request(`${links.preferences}?done=saved_except_name`)).text();
    // The notice's markup is the page style's; its words are ours.
    expect(page).toMatch(/<p role="status"[^>]*>Vos préférences sont enregistrées, sauf votre nom, qui contient un caractère non valide\.<\/p>/);
  });

  it('a multipart form with a file where a name goes keeps the name', async () => {
    const before = await contact();
    const form = new FormData();
    form.set('csrf', await csrfOf(t, links.preferences));
    form.set('action', 'save');
    form.set('first_name', new File(['x'], 'x.txt'));
    form.set('last_name', 'Durand');
    form.set(news(), 'on');
    const res = await t.app.request(links.preferences, { method: 'POST', body: form });
    expect(res.status).toBe(303);
    const after = await contact();
    expect([after.first_name, after.last_name]).toEqual([before.first_name, 'Durand']);
  });
});

describe('lone UTF-16 surrogates are refused with 422 naming the field', () => {
  it('in a contact’s fields, its attribute names and values', async () => {
    for (const [input, field] of [
      [{ email: 'a@example.fr', first_name: '\ud800' }, 'first_name'],
      [{ email: 'a@example.fr', address: { city: 'Pa\udc00ris' } }, 'address.city'],
      [{ email: 'a@example.fr', attributes: { note: 'x\ud83d' } }, 'attributes.note'],
      [{ email: 'a@example.fr', attributes: { ['k\ud800']: 'x' } }, 'attributes.k\ud800'],
    ] as const) {
      const res = await t.api(contactRoutes.upsertContactRoute, { json: input });
      expect(res.status, JSON.stringify(input)).toBe(422);
      expect(problems(expectStatus(res, 422))).toEqual([[field, SURROGATE]]);
    }
    // A well-formed pair (an emoji) is stored as it is.
    expect((await createContact(t, { email: 'velo@example.fr', first_name: 'Zoé 🚲' })).first_name).toBe('Zoé 🚲');
  });

  it('in an event’s free-form properties', async () => {
    const res = await t.api(contactRoutes.postEventsRoute, { json: { contact_id: links.contactId, type: 'purchase', properties: { items: [{ sku: '\udfff' }] } } });
    expect(problems(expectStatus(res, 422))).toEqual([['properties.items.0.sku', SURROGATE]]);
  });

  it('in a campaign name', async () => {
    const res = await t.api(campaignRoutes.createCampaignRoute, { json: { name: '\ud800', channel: 'sms', template_id: template, topic: 'bad', audience: { all: true } } });
    expect(problems(expectStatus(res, 422))).toEqual([['name', SURROGATE]]);
  });

  describe('the SMS webhook’s JSON form', () => {
    const sms = (body: unknown) =>
      t.app.request('/webhooks/sms', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SMS_SECRET}` }, body: JSON.stringify(body) });

    it.each([
      [{ from: '+33612345678', text: 'STOP \ud800' }, 'text', SURROGATE],
      [{ from: '+3361234\udc00', text: 'STOP' }, 'from', SURROGATE],
      [{ from: '+33612345678', to: '361\ud811', text: 'HELP' }, 'to', SURROGATE],
      [{ from: '+33612345678', text: 'STOP\u0000' }, 'text', NUL],
      [{ from: '+33612345678\u0000', text: 'Bonjour' }, 'from', NUL],
    ])('%j is 422 naming %s', async (body, field, message) => {
      const res = await sms(body);
      expect(res.status).toBe(422);
      expect(problems(await res.json())).toEqual([[field, message]]);
    });
  });
});

describe('the SMS webhook’s Twilio form (signed)', () => {
  const TOKEN = 'twilio-auth-token-for-bad-input';
  // The router with Twilio configured, as sms-inbound.test.ts mounts it.
  const twilio = () => {
    const app = new OpenAPIHono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('deps', { ...t.deps, config: { ...t.deps.config, twilio: { accountSid: 'AC-test', authToken: TOKEN } } });
      await next();
    });
    app.onError(handleError);
    app.route('/', smsInboundRouter());
    return app;
  };
  const sign = (params: Record<string, string>) =>
    createHmac('sha1', TOKEN).update(`${t.deps.config.publicUrl}/webhooks/sms` + Object.keys(params).sort().map((k) => k + params[k]).join('')).digest('base64');

  it.each([
    [{ From: '+33612345678', Body: 'Bonjour\u0000', MessageSid: 'SM1' }, 'Body'],
    [{ From: '+3361234\u00005678', Body: 'STOP', MessageSid: 'SM2' }, 'From'],
  ])('%j is 422 naming %s', async (params, field) => {
    const res = await twilio().request('/webhooks/sms', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(params) }, body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(422);
    expect(problems(await res.json())).toEqual([[field, NUL]]);
  });
});

describe('date-times out of the range PostgreSQL and JavaScript both hold are 422 naming the field', () => {
  const event = (occurred_at: string) => t.api(contactRoutes.postEventsRoute, { json: { contact_id: links.contactId, type: 'visit', occurred_at } });

  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '1899-12-31T23:59:59Z', '1900-01-01T00:30:00+01:00', '0001-01-01T00:00:00Z'])(
    'occurred_at %s',
    async (at) => {
      expect(problems(expectStatus(await event(at), 422))).toEqual([['occurred_at', DATE_RANGE]]);
    },
  );

  it('the same in a batch, naming the event', async () => {
    const res = await t.api(contactRoutes.postEventsRoute, {
      json: { events: [{ contact_id: links.contactId, type: 'visit' }, { contact_id: links.contactId, type: 'visit', occurred_at: '0000-01-01T00:00:00Z' }] },
    });
    expect(errorFields(expectStatus(res, 422))).toEqual(['events.1.occurred_at']);
  });

  it('accepts the bounds, in any offset', async () => {
    for (const at of ['1900-01-01T00:00:00Z', '1900-01-01T01:00:00+01:00', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999+00:00', '9999-12-31T22:00:00-01:00']) {
      expect(expectStatus(await event(at), 201).accepted, at).toBe(1);
    }
    const stored = await t.deps.db.selectFrom('events').select('occurred_at').where('contact_id', '=', links.contactId).where('type', '=', 'visit').orderBy('occurred_at').execute();
    expect(stored.map((e) => new Date(e.occurred_at).toISOString())).toEqual([
      '1900-01-01T00:00:00.000Z', '1900-01-01T00:00:00.000Z', '9999-12-31T23:00:00.000Z', '9999-12-31T23:59:59.000Z', '9999-12-31T23:59:59.999Z',
    ]);
  });

  it('a campaign deadline', async () => {
    for (const deadline of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00']) {
      const res = await t.api(campaignRoutes.createCampaignRoute, { json: { name: 'C', channel: 'sms', template_id: template, topic: 'bad', audience: { all: true }, deadline } });
      expect(problems(expectStatus(res, 422))).toEqual([['deadline', DATE_RANGE]]);
    }
  });

  it('the audit log’s since, in the query string', async () => {
    for (const since of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00']) {
      const res = await t.api(auditRoutes.listAuditLogRoute, { query: { since } });
      expect(problems(expectStatus(res, 422))).toEqual([['since', DATE_RANGE]]);
    }
    expect((await t.api(auditRoutes.listAuditLogRoute, { query: { since: '1900-01-01T00:00:00Z' } })).status).toBe(200);
  });
});

describe('CSV cells that cannot be stored reject their row, naming the column', () => {
  it('a list import', async () => {
    const list = await createList(t, []);
    const res = await t.api(listRoutes.addMembersCsvRoute, { param: { id: list }, body: 'email\nbad-input@example.fr\nx\u0000@example.fr\n' });
    expect(expectStatus(res, 200)).toEqual({ added: 1, already_members: 0, rejected: [{ line: 3, errors: [{ field: 'email', message: NUL }] }] });
  });

  it('a contact import', async () => {
    const report = await importContacts(t, 'email;first_name;city\nnul@example.fr;Zo\u0000é;Lyon\nok@example.fr;Zoé;Lyon\n');
    expect([report.created, report.rejected]).toEqual([1, [{ line: 2, errors: [{ field: 'first_name', message: NUL }] }]]);
  });
});

describe('the SES webhook: a signed message holding text that cannot be stored', () => {
  const post = (body: unknown) => t.app.request('/webhooks/ses', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });

  it.each([
    ['a NUL in the bounced address', () => notification(bounceEvent('Permanent', 'a\u0000@example.fr'), cert.privateKey), 'Message.bounce.bouncedRecipients.0.emailAddress', NUL],
    ['a lone surrogate in the bounced address', () => notification(bounceEvent('Permanent', 'a\ud800@example.fr'), cert.privateKey), 'Message.bounce.bouncedRecipients.0.emailAddress', SURROGATE],
    ['a NUL in the message id', () => notification(bounceEvent('Permanent', 'ok@example.fr'), cert.privateKey, { MessageId: 'id\u0000' }), 'MessageId', NUL],
  ])('%s is 422 naming the field, and nothing is recorded', async (_, message, field, problem) => {
    const res = await post(message());
    expect(res.status).toBe(422);
    expect(problems(await res.json())).toEqual([[field, problem]]);
    expect(await t.deps.db.selectFrom('suppressions').select('id').execute()).toEqual([]);
  });

  it('a clean one is applied', async () => {
    expect((await post(notification(bounceEvent('Permanent', 'gone@example.fr'), cert.privateKey))).status).toBe(200);
    expect(await t.deps.db.selectFrom('suppressions').select('reason').execute()).toEqual([{ reason: 'hard_bounce' }]);
  });
});

describe('CSV headers that are names of Object.prototype (found by FUZZ_RUNS=100)', () => {
  // Headers and mapping targets were looked up with [] on plain objects, so "constructor" found
  // Object.prototype.constructor; the tables are Maps now.
  it('a header named "constructor" is an ignored column, not a 500', async () => {
    const res = await t.api(contactRoutes.importContactsRoute, { body: 'constructor,email\n' });
    expect(res.status).toBe(200);
  });

  it('a column mapped to "constructor" is a 422 naming the mapping, not a 500', async () => {
    const res = await t.call('POST', '/v1/contacts/import?map[email]=constructor', 'email\nmapped@example.fr\n', { headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(422);
  });
});
