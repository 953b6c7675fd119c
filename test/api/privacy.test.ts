// Data-subject rights: the export of everything held about a contact, erasure (hashed suppression, ledger and
// consent proof kept without personal data, audited), a re-import of an erased person, and the retention purge.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRouter } from '../../src/audit/audit.handlers.js';
import { privacyRouter } from '../../src/privacy/privacy.handlers.js';
import { purgeInactiveProspects, retentionCutoff } from '../../src/privacy/privacy.service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate } from '../support/fixtures.js';

const NOW = new Date('2025-06-15T10:00:00.000Z');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Mounts the privacy and audit routes under /v1 unless app.ts already does (they then share its auth middleware). */
function wire(t: TestApp) {
  if (!t.app.routes.some((r) => r.path === '/v1/audit-log')) {
    t.app.route('/v1', privacyRouter());
    t.app.route('/v1', auditRouter());
  }
}

async function newApp() {
  const t = await createTestApp({}, { clock: () => new Date(NOW) });
  wire(t);
  return t;
}

/** Rows of every table of the schema whose text contains `needle` (case-insensitive), by table. */
async function rowsContaining(t: TestApp, needle: string) {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name
  `.execute(t.deps.db);
  const hits: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)} x where x::text ilike ${'%' + needle + '%'}`.execute(t.deps.db);
    if (Number(r.rows[0].n)) hits[table_name] = Number(r.rows[0].n);
  }
  return hits;
}

const auditRows = (t: TestApp, action: string) =>
  t.deps.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details', 'occurred_at']).where('action', '=', action).orderBy('id').execute();

async function emailCampaign(t: TestApp, name: string, topic = 'news') {
  const template = await createTemplate(t, 'email', { name: `T ${name}`, subject: 'Bonjour {{first_name}}' });
  return createCampaign(t, { name, template_id: template, topic });
}

describe('export and erasure', () => {
  let t: TestApp;
  let jeanne: number;
  let paul: number;
  let campaignId: number;
  let messageIds: number[];
  const EMAIL = 'jeanne.martin@example.fr';
  const PHONE = '+33612345678';
  const IP = '203.0.113.7';
  const UA = 'Mozilla/5.0 (JeanneBrowser)';

  beforeAll(async () => {
    t = await newApp();
    await t.json('POST', '/v1/topics', { key: 'news', name: 'News' });
    await t.json('POST', '/v1/topics', { key: 'offers', name: 'Offers' });
    expect((await t.json('PUT', '/v1/attributes/vip', { type: 'boolean' })).status).toBe(201);
    const created = await t.json('POST', '/v1/contacts', {
      email: 'Jeanne.Martin@Example.fr', phone: '06 12 34 56 78', first_name: 'Jeanne', last_name: 'Martin', attributes: { vip: true },
      subscriptions: [
        { channel: 'email', topic: 'news', ip: IP, user_agent: UA, wording_version: 'v1' },
        { channel: 'email', topic: 'offers', ip: IP, user_agent: UA, wording_version: 'v1' },
        { channel: 'sms', topic: 'news', ip: IP, user_agent: UA, wording_version: 'v1' },
      ],
    });
    expect(created.status).toBe(201);
    jeanne = created.body.id;
    // A fourth consent record: the opt-out from offers.
    await t.json('PATCH', `/v1/contacts/${jeanne}`, { subscriptions: [{ channel: 'email', topic: 'offers', status: 'unsubscribed' }] });
    paul = (await t.json('POST', '/v1/contacts', { email: 'paul@example.fr', subscriptions: [{ channel: 'email', topic: 'news' }] })).body.id;

    await t.json('POST', '/v1/events', {
      events: [
        { contact_id: jeanne, type: 'purchase', value: 49.9, occurred_at: '2025-05-01T12:00:00Z' },
        { contact_id: jeanne, type: 'page_view', occurred_at: '2025-05-02T12:00:00Z', properties: { path: '/shoes' } },
        { contact_id: paul, type: 'page_view' },
      ],
    });
    const vip = (await t.json('POST', '/v1/lists', { name: 'VIP' })).body.id;
    const salon = (await t.json('POST', '/v1/lists', { name: 'Salon' })).body.id;
    await t.json('POST', `/v1/lists/${vip}/members`, { contact_ids: [jeanne, paul] });
    await t.json('POST', `/v1/lists/${salon}/members`, { contact_ids: [jeanne] });

    campaignId = await emailCampaign(t, 'Soldes');
    const db = t.deps.db;
    const inserted = await db.insertInto('messages').values([
      {
        campaign_id: campaignId, contact_id: jeanne, channel: 'email', status: 'sent', public_id: 'm-jeanne-1', address: EMAIL,
        sent_at: new Date('2025-05-10T08:00:00Z'),
      },
      { campaign_id: campaignId, contact_id: jeanne, channel: 'sms', status: 'failed', public_id: 'm-jeanne-2', address: PHONE, error: `Number ${PHONE} unreachable` },
      { campaign_id: campaignId, contact_id: paul, channel: 'email', status: 'sent', public_id: 'm-paul-1', address: 'paul@example.fr', sent_at: new Date('2025-05-10T08:00:00Z') },
    ]).returning('id').execute();
    messageIds = inserted.slice(0, 2).map((r) => Number(r.id));
    await db.insertInto('message_engagement').values({
      message_id: messageIds[0], campaign_id: campaignId, contact_id: jeanne,
      first_open_human_at: new Date('2025-05-10T09:00:00Z'), first_click_human_at: new Date('2025-05-10T09:05:00Z'),
    }).execute();
    await db.insertInto('responses').values({
      response_key: 'r1', message_id: messageIds[0], campaign_id: campaignId, contact_id: jeanne, channel: 'email', kind: 'reply', body: 'Taille 38 ?',
      occurred_at: new Date('2025-05-10T10:00:00Z'),
    }).execute();
    await db.insertInto('tracking_hits').values({
      hit_id: '5b0a4f7e-2d1c-4f3e-9a8b-7c6d5e4f3a2b', occurred_at: new Date('2025-05-10T09:00:00Z'), message_id: messageIds[0], campaign_id: campaignId,
      contact_id: jeanne, kind: 'open', method: 'GET', user_agent: UA, ip_prefix: '203.0.113.0/24', class: 'human', rule: 'default_human',
    }).execute();
    await db.insertInto('contact_preferences').values({ contact_id: jeanne, channel: 'email', max_messages: 1, period: 'calendar_week' }).execute();
    await db.insertInto('pressure_ledger').values({ message_id: messageIds[0], contact_id: jeanne, channel: 'email', counted_at: new Date('2025-05-10T08:00:00Z') }).execute();
  });
  afterAll(() => t.close());

  it('exports everything held about the contact, for admins and marketers, and audits it', async () => {
    const res = await t.json('GET', `/v1/contacts/${jeanne}/export`, undefined, { key: t.keys.marketer });
    expect(res.status).toBe(200);
    const x = res.body;
    expect(Object.keys(x).sort()).toEqual([
      'calls', 'consent_records', 'contact', 'events', 'exported_at', 'lists', 'messages', 'preferences', 'pressure_ledger', 'purchase_summary',
      'responses', 'subscriptions', 'suppressions', 'tracked_hits',
    ]);
    expect(x.responses).toEqual([
      { id: expect.any(Number), message_id: 'm-jeanne-1', channel: 'email', kind: 'reply', body: 'Taille 38 ?', code: null, occurred_at: '2025-05-10T10:00:00.000Z' },
    ]);
    expect(x.tracked_hits).toEqual([{
      message_id: 'm-jeanne-1', kind: 'open', link: null, occurred_at: '2025-05-10T09:00:00.000Z', method: 'GET', user_agent: UA,
      ip_prefix: '203.0.113.0/24', class: 'human', rule: 'default_human',
    }]);
    expect(x.exported_at).toBe(NOW.toISOString());
    expect(x.contact).toMatchObject({
      id: jeanne, email: EMAIL, phone: PHONE, first_name: 'Jeanne', last_name: 'Martin', attributes: { vip: true }, locale: 'fr',
      created_at: NOW.toISOString(),
    });
    expect(x.subscriptions).toEqual([
      { channel: 'email', topic: 'news', status: 'subscribed', paused_until: null, updated_at: NOW.toISOString() },
      { channel: 'sms', topic: 'news', status: 'subscribed', paused_until: null, updated_at: NOW.toISOString() },
      { channel: 'email', topic: 'offers', status: 'unsubscribed', paused_until: null, updated_at: NOW.toISOString() },
    ]);
    expect(x.consent_records).toHaveLength(4);
    expect(x.consent_records.map((r: any) => [r.channel, r.topic, r.status, r.source, r.ip, r.user_agent, r.wording_version])).toEqual([
      ['email', 'news', 'subscribed', 'api', IP, UA, 'v1'],
      ['email', 'offers', 'subscribed', 'api', IP, UA, 'v1'],
      ['sms', 'news', 'subscribed', 'api', IP, UA, 'v1'],
      ['email', 'offers', 'unsubscribed', 'api', null, null, null],
    ]);
    expect(x.messages).toEqual([
      {
        id: messageIds[0], campaign_id: campaignId, campaign_name: 'Soldes', purpose: 'campaign', channel: 'email', status: 'sent', skip_reason: null, address: EMAIL,
        created_at: expect.any(String), sent_at: '2025-05-10T08:00:00.000Z', opened_at: '2025-05-10T09:00:00.000Z',
        clicked_at: '2025-05-10T09:05:00.000Z', replied_at: null, converted_at: null,
      },
      {
        id: messageIds[1], campaign_id: campaignId, campaign_name: 'Soldes', purpose: 'campaign', channel: 'sms', status: 'failed', skip_reason: null, address: PHONE,
        created_at: expect.any(String), sent_at: null, opened_at: null, clicked_at: null, replied_at: null, converted_at: null,
      },
    ]);
    expect(x.events.map((e: any) => [e.type, e.occurred_at, e.value, e.properties])).toEqual([
      ['purchase', '2025-05-01T12:00:00.000Z', 49.9, {}],
      ['page_view', '2025-05-02T12:00:00.000Z', null, { path: '/shoes' }],
    ]);
    expect(x.lists.map((l: any) => l.name)).toEqual(['VIP', 'Salon']);
    expect(x.preferences).toEqual([{ channel: 'email', max_messages: 1, period: 'calendar_week', days: null }]);
    expect(x.pressure_ledger).toEqual([{ message_id: messageIds[0], channel: 'email', counted_at: '2025-05-10T08:00:00.000Z' }]);
    expect(x.purchase_summary).toEqual({
      first_purchase_at: '2025-05-01T12:00:00.000Z', last_purchase_at: '2025-05-01T12:00:00.000Z', purchase_count: 1, purchase_total: 49.9,
    });
    expect(x.suppressions).toEqual([]);

    expect((await t.json('GET', `/v1/contacts/${jeanne}/export`)).status).toBe(200);
    expect(await auditRows(t, 'contact.exported')).toEqual([
      { actor: 'marketer', action: 'contact.exported', subject: `contact:${jeanne}`, details: { actor_key_id: t.keyIds.marketer }, occurred_at: NOW },
      { actor: 'admin', action: 'contact.exported', subject: `contact:${jeanne}`, details: { actor_key_id: t.keyIds.admin }, occurred_at: NOW },
    ]);
  });

  it('refuses analysts (personal data) and answers 404 for an unknown contact, without auditing either', async () => {
    const audited = (await auditRows(t, 'contact.exported')).length;
    const denied = await t.json('GET', `/v1/contacts/${jeanne}/export`, undefined, { key: t.keys.analyst });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await t.json('GET', '/v1/contacts/999999/export')).status).toBe(404);
    expect((await t.json('GET', '/v1/contacts/abc/export')).status).toBe(422);
    expect(await auditRows(t, 'contact.exported')).toHaveLength(audited);
  });

  it('erases the personal data everywhere, keeps hashed suppressions, the ledger and the consent proof', async () => {
    const before = (await t.json('GET', `/v1/campaigns/${campaignId}`)).body.counts;
    const consentIds = (await t.deps.db.selectFrom('consent_records').select('id').where('contact_id', '=', jeanne).orderBy('id').execute()).map((r) => Number(r.id));
    expect(consentIds).toHaveLength(4);
    expect(await rowsContaining(t, EMAIL)).toMatchObject({ contacts: 1, messages: 1 });

    expect((await t.call('DELETE', `/v1/contacts/${jeanne}`, undefined, { key: t.keys.analyst })).status).toBe(403);
    const del = await t.call('DELETE', `/v1/contacts/${jeanne}`);
    expect(del.status).toBe(204);
    expect((await t.json('GET', `/v1/contacts/${jeanne}`)).status).toBe(404);

    // No row of any table holds the email, the phone, the IP or the user agent any more.
    for (const needle of [EMAIL, '612345678', IP, 'JeanneBrowser', 'Martin']) expect(await rowsContaining(t, needle), needle).toEqual({});

    // Hashed suppressions, clear address gone.
    const suppressions = await t.deps.db.selectFrom('suppressions').select(['channel', 'address_hash', 'address', 'reason', 'source']).orderBy('id').execute();
    expect(suppressions).toEqual([
      { channel: 'email', address_hash: sha256(EMAIL), address: null, reason: 'erased', source: 'erasure' },
      { channel: 'sms', address_hash: sha256(PHONE), address: null, reason: 'erased', source: 'erasure' },
      // The phone is not to be called either.
      { channel: 'call', address_hash: sha256(PHONE), address: null, reason: 'erased', source: 'erasure' },
    ]);

    // The ledger keeps both messages, anonymous; the counts still add up.
    const messages = await t.deps.db.selectFrom('messages').select(['id', 'contact_id', 'address', 'status', 'error']).where('id', 'in', messageIds).orderBy('id').execute();
    expect(messages.map((m) => [Number(m.id), m.contact_id, m.address, m.status, m.error])).toEqual([
      [messageIds[0], null, null, 'sent', null],
      [messageIds[1], null, null, 'failed', '[erased]'],
    ]);
    // What was done with them stays counted, tied to no one.
    // The reply is still counted for its message, without the words or the person.
    expect(await t.deps.db.selectFrom('responses').select(['message_id', 'contact_id', 'body']).execute())
      .toEqual([{ message_id: messageIds[0], contact_id: null, body: null }]);
    expect(await t.deps.db.selectFrom('message_engagement').select(['message_id', 'contact_id', 'first_click_human_at']).execute())
      .toEqual([{ message_id: messageIds[0], contact_id: null, first_click_human_at: new Date('2025-05-10T09:05:00Z') }]);
    expect((await t.json('GET', `/v1/campaigns/${campaignId}`)).body.counts).toEqual(before);
    // Paul is untouched.
    expect(await rowsContaining(t, 'paul@example.fr')).toEqual({ contacts: 1, messages: 1 });

    // Consent proof kept without contact, IP or user agent.
    const consents = await t.deps.db.selectFrom('consent_records').select(['contact_id', 'channel', 'status', 'source', 'ip', 'user_agent', 'wording_version']).where('id', 'in', consentIds).orderBy('id').execute();
    expect(consents).toEqual([
      { contact_id: null, channel: 'email', status: 'subscribed', source: 'api', ip: null, user_agent: null, wording_version: 'v1' },
      { contact_id: null, channel: 'email', status: 'subscribed', source: 'api', ip: null, user_agent: null, wording_version: 'v1' },
      { contact_id: null, channel: 'sms', status: 'subscribed', source: 'api', ip: null, user_agent: null, wording_version: 'v1' },
      { contact_id: null, channel: 'email', status: 'unsubscribed', source: 'api', ip: null, user_agent: null, wording_version: null },
    ]);

    // Cascades: nothing left keyed by the contact.
    for (const table of ['subscriptions', 'events', 'list_members', 'contact_preferences', 'pressure_ledger', 'contact_stats'] as const) {
      const r = await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', '=', jeanne).executeTakeFirstOrThrow();
      expect(Number(r.n), table).toBe(0);
    }

    expect(await auditRows(t, 'contact.erased')).toEqual([
      {
        actor: 'admin', action: 'contact.erased', subject: `contact:${jeanne}`, occurred_at: NOW,
        details: { reason: 'request', suppressed_addresses: 3, messages_kept: 2, consent_records_kept: 4, actor_key_id: t.keyIds.admin },
      },
    ]);

    expect((await t.json('DELETE', `/v1/contacts/${jeanne}`)).status).toBe(404);
    expect((await t.json('DELETE', '/v1/contacts/999999')).status).toBe(404);
    expect(await auditRows(t, 'contact.erased')).toHaveLength(1);
  });

  it('a re-import of the erased person creates a contact that campaigns skip as suppressed', async () => {
    const csv = ['email;prénom;email_topics', `${EMAIL};Jeanne;news`, 'nouveau@example.fr;Nina;news'].join('\n');
    const imported = await t.json('POST', '/v1/contacts/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(imported.body).toMatchObject({ created: 2, updated: 0, rejected: [] });
    const again = (await t.json('GET', `/v1/contacts?email=${EMAIL}`)).body.data[0];
    expect(again.id).not.toBe(jeanne);
    // By phone through POST /v1/contacts: the erased entry is found by hash.
    expect((await t.json('POST', '/v1/contacts', { phone: '+33 6 12 34 56 78', first_name: 'J' })).status).toBe(201);
    const bySms = await t.json('GET', `/v1/suppressions?address=${encodeURIComponent(PHONE)}`);
    expect(bySms.body.data).toEqual([
      expect.objectContaining({ channel: 'sms', address: null, reason: 'erased' }), expect.objectContaining({ channel: 'call', address: null, reason: 'erased' }),
    ]);

    const id = await emailCampaign(t, 'Relance');
    expect((await t.json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(202);
    await t.deps.background.idle();
    const counts = (await t.json('GET', `/v1/campaigns/${id}`)).body.counts;
    // Paul and Nina subscribed to news; the re-imported Jeanne is suppressed; the phone-only contact has no email.
    expect(counts).toMatchObject({ audience: 4, sent: 2, skipped: { suppressed: 1, no_address: 1 } });
    const mine = await t.deps.db.selectFrom('messages').select(['status', 'skip_reason']).where('campaign_id', '=', id).where('contact_id', '=', again.id).execute();
    expect(mine).toEqual([{ status: 'skipped', skip_reason: 'suppressed' }]);
    const sentTo = (await t.outboxFiles('.eml')).map((f) => f.content);
    expect(sentTo.filter((c) => c.includes(EMAIL))).toEqual([]);
    expect(sentTo.filter((c) => c.includes('nouveau@example.fr'))).toHaveLength(1);
  });

  it('leaves a phone another contact shares unsuppressed, and skips the pending messages', async () => {
    const shared = '+33698765432';
    const a = (await t.json('POST', '/v1/contacts', { email: 'mere@example.fr', phone: shared })).body.id;
    const b = (await t.json('POST', '/v1/contacts', { email: 'fils@example.fr', phone: shared })).body.id;
    const [pending] = await t.deps.db.insertInto('messages').values({
      campaign_id: campaignId, contact_id: a, channel: 'email', status: 'pending', public_id: 'm-mere-1', address: 'mere@example.fr',
    }).returning('id').execute();
    expect((await t.call('DELETE', `/v1/contacts/${a}`)).status).toBe(204);
    const rows = await t.deps.db.selectFrom('suppressions').select(['channel', 'address_hash']).where('address_hash', 'in', [sha256('mere@example.fr'), sha256(shared)]).execute();
    expect(rows).toEqual([{ channel: 'email', address_hash: sha256('mere@example.fr') }]);
    expect((await t.json('GET', `/v1/contacts/${b}`)).body.phone).toBe(shared);
    const message = await t.deps.db.selectFrom('messages').select(['status', 'skip_reason', 'address', 'contact_id']).where('id', '=', pending.id).executeTakeFirstOrThrow();
    expect(message).toEqual({ status: 'skipped', skip_reason: 'contact_deleted', address: null, contact_id: null });
    const audit = await auditRows(t, 'contact.erased');
    expect(audit[audit.length - 1].details).toEqual({
      reason: 'request', suppressed_addresses: 1, addresses_shared_with_other_contacts: 2, messages_kept: 1, consent_records_kept: 0,
      actor_key_id: t.keyIds.admin,
    });
  });

  it('erases a contact known only by external id (nothing to suppress)', async () => {
    const id = (await t.json('POST', '/v1/contacts', { external_id: 'CRM-77', first_name: 'Zoé' })).body.id;
    const before = await t.deps.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await t.call('DELETE', `/v1/contacts/${id}`, undefined, { key: t.keys.marketer })).status).toBe(204);
    const after = await t.deps.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await rowsContaining(t, 'CRM-77')).toEqual({});
    const audit = await auditRows(t, 'contact.erased');
    expect(audit[audit.length - 1]).toMatchObject({
      actor: 'marketer', subject: `contact:${id}`, details: { reason: 'request', suppressed_addresses: 0, messages_kept: 0, consent_records_kept: 0, actor_key_id: t.keyIds.marketer },
    });
  });
});

describe('retention purge', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const OLD = new Date('2021-01-10T00:00:00Z'); // more than 4 years before NOW

  beforeAll(async () => {
    t = await newApp();
    const db = t.deps.db;
    const contact = async (key: string, created_at: Date) => {
      const row = await db.insertInto('contacts').values({ email: `${key}@example.fr`, first_name: key, created_at, updated_at: created_at }).returning('id').executeTakeFirstOrThrow();
      ids[key] = Number(row.id);
    };
    await contact('opener', OLD);
    await contact('clicker', OLD);
    await contact('buyer', OLD);
    await contact('recent', new Date('2024-06-15T10:00:00Z'));
    await contact('unsubscriber', OLD);
    await contact('reimported', OLD);
    await contact('oldclick', OLD);

    const [topic] = await db.insertInto('topics').values({ key: 'news', name: 'News' }).returning('id').execute();
    const [template] = await db.insertInto('templates').values({ name: 'T', channel: 'email', subject: 'S', mjml: '<mjml></mjml>' }).returning('id').execute();
    const [campaign] = await db.insertInto('campaigns').values({
      name: 'Old', channel: 'email', template_id: template.id, topic_id: topic.id, audience: JSON.stringify({ all: true }), status: 'sent',
    }).returning('id').execute();
    const message = async (key: string, engagement: { first_open_human_at?: Date; first_click_human_at?: Date; first_click_machine_at?: Date }) => {
      const row = await db.insertInto('messages').values({
        campaign_id: campaign.id, contact_id: ids[key], channel: 'email', status: 'sent', public_id: `m-${key}`, address: `${key}@example.fr`,
        sent_at: new Date('2021-02-01T00:00:00Z'),
      }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('message_engagement').values({ message_id: row.id, campaign_id: campaign.id, contact_id: ids[key], ...engagement }).execute();
    };
    await message('opener', { first_open_human_at: new Date('2025-03-01T00:00:00Z') });
    await message('clicker', { first_open_human_at: new Date('2024-06-01T00:00:00Z'), first_click_human_at: new Date('2024-06-01T00:01:00Z') });
    // A scanner's recent click is no contact from the person.
    await message('oldclick', { first_click_human_at: new Date('2021-06-01T00:00:00Z'), first_click_machine_at: new Date('2025-06-01T00:00:00Z') });
    // An open recorded as an event is not a contact either.
    await db.insertInto('events').values({ contact_id: ids.opener, type: 'email_opened', occurred_at: new Date('2025-03-01T00:00:00Z') }).execute();
    // A purchase long ago: a customer, not a prospect.
    expect((await t.json('POST', '/v1/events', { contact_id: ids.buyer, type: 'purchase', value: 10, occurred_at: '2021-02-01T00:00:00Z' })).status).toBe(201);
    // A consent change by the person (one-click) a year ago counts; a re-import by the company does not.
    await db.insertInto('consent_records').values([
      { contact_id: ids.unsubscriber, channel: 'email', topic_id: topic.id, status: 'unsubscribed', source: 'one-click', occurred_at: new Date('2024-09-01T00:00:00Z') },
      { contact_id: ids.reimported, channel: 'email', topic_id: topic.id, status: 'subscribed', source: 'import', occurred_at: new Date('2024-09-01T00:00:00Z') },
    ]).execute();
  });
  afterAll(() => t.close());

  const remaining = async () =>
    (await t.deps.db.selectFrom('contacts').select('first_name').orderBy('id').execute()).map((r) => r.first_name);

  it('counts years back on the calendar', () => {
    expect(retentionCutoff(NOW, 3).toISOString()).toBe('2022-06-15T10:00:00.000Z');
  });

  it('erases prospects with no contact for 3 years (an open is not a contact), keeps the others, and audits', async () => {
    expect(await purgeInactiveProspects(t.deps.db, { now: NOW })).toEqual({ erased: 3 });
    expect(await remaining()).toEqual(['clicker', 'buyer', 'recent', 'unsubscriber']);

    const erasures = await auditRows(t, 'contact.erased');
    expect(erasures.map((a) => [a.actor, a.subject, (a.details as any).reason])).toEqual([
      ['retention', `contact:${ids.opener}`, 'retention'],
      ['retention', `contact:${ids.reimported}`, 'retention'],
      ['retention', `contact:${ids.oldclick}`, 'retention'],
    ]);
    expect(await auditRows(t, 'retention.purge')).toEqual([
      { actor: 'retention', action: 'retention.purge', subject: null, occurred_at: NOW, details: { erased: 3, years: 3, cutoff: '2022-06-15T10:00:00.000Z' } },
    ]);
    // Same erasure as on request: hashed suppression, no clear address left.
    const s = await t.deps.db.selectFrom('suppressions').select(['address_hash', 'address', 'reason', 'source']).orderBy('id').execute();
    expect(s).toEqual(['opener', 'reimported', 'oldclick'].map((k) => ({ address_hash: sha256(`${k}@example.fr`), address: null, reason: 'erased', source: 'retention' })));
    for (const k of ['opener', 'reimported', 'oldclick']) expect(await rowsContaining(t, `${k}@example.fr`), k).toEqual({});
    const ledger = await t.deps.db.selectFrom('messages').select(['public_id', 'contact_id', 'address']).orderBy('id').execute();
    expect(ledger).toEqual([
      { public_id: 'm-opener', contact_id: null, address: null },
      { public_id: 'm-clicker', contact_id: ids.clicker, address: 'clicker@example.fr' },
      { public_id: 'm-oldclick', contact_id: null, address: null },
    ]);
  });

  it('runs through the API for admins only, and nothing is left to erase', async () => {
    for (const key of [t.keys.marketer, t.keys.analyst]) {
      const denied = await t.json('POST', '/v1/privacy/retention/run', undefined, { key });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('forbidden');
    }
    const run = await t.json('POST', '/v1/privacy/retention/run');
    expect(run).toEqual({ status: 200, body: { erased: 0 } });
    const summaries = await auditRows(t, 'retention.purge');
    expect(summaries).toHaveLength(2);
    expect(summaries[1].details).toEqual({ erased: 0, years: 3, cutoff: '2022-06-15T10:00:00.000Z', triggered_by: 'admin', triggered_by_key_id: t.keyIds.admin });
  });

  it('takes the period as an option', async () => {
    // One year: the click of June 2024 is now too old; the one-click of September 2024 and a contact created
    // exactly one year ago are not.
    expect(await purgeInactiveProspects(t.deps.db, { now: NOW, years: 1 })).toEqual({ erased: 1 });
    expect(await remaining()).toEqual(['buyer', 'recent', 'unsubscriber']);
    await expect(purgeInactiveProspects(t.deps.db, { now: NOW, years: 0 })).rejects.toThrow('Invalid retention period');
  });
});
