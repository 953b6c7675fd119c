// POST/GET/PATCH/DELETE /v1/contacts: matching, normalisation, typed attributes, consent, listing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, def] of Object.entries({
    vip: { type: 'boolean' },
    revenue: { type: 'number' },
    birthday: { type: 'date' },
    tier: { type: 'enum', values: ['Gold', 'Silver'] },
    note: { type: 'text' },
  })) {
    expect((await t.json('PUT', `/v1/attributes/${name}`, def)).status).toBe(201);
  }
  expect((await t.json('POST', '/v1/topics', { key: 'newsletter', name: 'Newsletter' })).status).toBe(201);
  expect((await t.json('POST', '/v1/topics', { key: 'promotions', name: 'Promotions' })).status).toBe(201);
});
afterAll(() => t.close());

const fields = (body: any): string[] => (body?.error?.details ?? []).map((d: { field: string }) => d.field);

describe('POST /v1/contacts upsert', () => {
  it('creates (201) then updates (200) the contact with the same external_id', async () => {
    const first = await t.json('POST', '/v1/contacts', { external_id: 'X-1', email: 'Marie.Dupont@Example.FR', first_name: 'Marie' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ external_id: 'X-1', email: 'marie.dupont@example.fr', first_name: 'Marie', locale: 'fr', timezone: 'Europe/Paris' });
    const again = await t.json('POST', '/v1/contacts', { external_id: 'X-1', first_name: 'Marie-Anne' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body).toMatchObject({ email: 'marie.dupont@example.fr', first_name: 'Marie-Anne' });
    // Changing the email of a contact found by external_id is allowed.
    const moved = await t.json('POST', '/v1/contacts', { external_id: 'X-1', email: 'marie@example.fr' });
    expect(moved.status).toBe(200);
    expect(moved.body.id).toBe(first.body.id);
    expect(moved.body.email).toBe('marie@example.fr');
  });

  it('matches on the email (any case) when there is no external_id', async () => {
    const first = await t.json('POST', '/v1/contacts', { email: 'jean@example.fr', last_name: 'Martin' });
    expect(first.status).toBe(201);
    expect(first.body.external_id).toBeNull();
    const again = await t.json('POST', '/v1/contacts', { email: '  JEAN@Example.fr ', first_name: 'Jean' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, email: 'jean@example.fr', first_name: 'Jean', last_name: 'Martin' });
    // An external_id may be given to a contact found by email that has none yet.
    const keyed = await t.json('POST', '/v1/contacts', { email: 'jean@example.fr', external_id: 'J-9' });
    expect(keyed.status).toBe(200);
    expect(keyed.body).toMatchObject({ id: first.body.id, external_id: 'J-9' });
  });

  it('normalises phones in the contact’s country: fr, fr-CA, en-CA, and an address country', async () => {
    const fr = await t.json('POST', '/v1/contacts', { external_id: 'P-FR', phone: '06 12 34 56 78', locale: 'fr' });
    expect(fr.status).toBe(201);
    expect(fr.body.phone).toBe('+33612345678');
    const frCa = await t.json('POST', '/v1/contacts', { external_id: 'P-FRCA', phone: '(514) 555-0199', locale: 'fr-CA' });
    expect(frCa.body).toMatchObject({ phone: '+15145550199', locale: 'fr-CA' });
    const enCa = await t.json('POST', '/v1/contacts', { external_id: 'P-ENCA', phone: '(514) 555-0199', locale: 'en_ca' });
    expect(enCa.body).toMatchObject({ phone: '+15145550199', locale: 'en-CA' });
    const byCountry = await t.json('POST', '/v1/contacts', { external_id: 'P-ADDR', phone: '(514) 555-0199', address: { city: 'Montréal', country: 'ca' } });
    expect(byCountry.body).toMatchObject({ phone: '+15145550199', address: { city: 'Montréal', country: 'CA' } });
    const international = await t.json('POST', '/v1/contacts', { external_id: 'P-INT', phone: '+33 6 12 34 56 78', locale: 'en-CA' });
    expect(international.body.phone).toBe('+33612345678');
  });

  it('rejects an invalid phone with 422 naming phone, and saves nothing', async () => {
    const res = await t.json('POST', '/v1/contacts', { external_id: 'BAD-PHONE', phone: '12', locale: 'fr' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_input');
    expect(fields(res.body)).toEqual(['phone']);
    expect((await t.json('GET', '/v1/contacts?external_id=BAD-PHONE')).body.data).toEqual([]);
  });

  it('rejects an invalid email, locale, timezone and country, naming each field', async () => {
    const res = await t.json('POST', '/v1/contacts', {
      email: 'not-an-email', locale: 'de', timezone: 'Mars/Olympus', address: { country: 'F1' }, external_id: 'MANY',
    });
    expect(res.status).toBe(422);
    expect(fields(res.body).sort()).toEqual(['address.country', 'email', 'locale', 'timezone']);
  });

  it('rejects a contact with nothing to identify it', async () => {
    const res = await t.json('POST', '/v1/contacts', { first_name: 'Nobody' });
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(['email']);
  });

  it('rejects an undeclared attribute with 422 naming attributes.x', async () => {
    const res = await t.json('POST', '/v1/contacts', { email: 'undeclared@example.fr', attributes: { x: 1 } });
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(['attributes.x']);
  });

  describe('typed attributes', () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['vip', true, true], ['vip', false, false],
      ['vip', 'true', true], ['vip', 'FALSE', false], ['vip', 'True', true],
      ['vip', 'yes', true], ['vip', 'No', false], ['vip', 'YES', true],
      ['vip', 'oui', true], ['vip', 'NON', false], ['vip', 'Oui', true], ['vip', 'non', false],
      ['vip', '1', true], ['vip', '0', false], ['vip', 1, true], ['vip', 0, false],
      ['revenue', '1 254,50', 1254.5], ['revenue', '1,254.50', 1254.5], ['revenue', '1254.5', 1254.5],
      ['revenue', '1\u202f254,50', 1254.5], ['revenue', '-3,25', -3.25], ['revenue', 42, 42], ['revenue', '0', 0],
      ['birthday', '1990-05-17', '1990-05-17'], ['birthday', '17/05/1990', '1990-05-17'], ['birthday', '29/02/2024', '2024-02-29'],
      ['tier', 'Gold', 'Gold'], ['tier', 'silver', 'Silver'],
      ['note', 'hello', 'hello'],
    ];
    cases.forEach(([name, raw, want], i) => {
      it(`${name} = ${JSON.stringify(raw)} is stored as ${JSON.stringify(want)}`, async () => {
        const res = await t.json('POST', '/v1/contacts', { external_id: `ATTR-${i}`, attributes: { [name]: raw } });
        expect(res.status).toBe(201);
        expect(res.body.attributes).toEqual({ [name]: want });
        const read = await t.json('GET', `/v1/contacts/${res.body.id}`);
        expect(read.body.attributes).toEqual({ [name]: want });
      });
    });

    const invalid: Array<[string, unknown, string]> = [
      ['vip', 'maybe', '"maybe" is not a yes/no value (true/false, yes/no, oui/non, 1/0)'],
      ['vip', 2, '"2" is not a yes/no value (true/false, yes/no, oui/non, 1/0)'],
      ['revenue', 'abc', '"abc" is not a number'],
      ['revenue', '1,2,3', '"1,2,3" is not a number'],
      ['birthday', '31/02/1990', '"31/02/1990" is not a date (YYYY-MM-DD or DD/MM/YYYY)'],
      ['birthday', '1990-13-01', '"1990-13-01" is not a date (YYYY-MM-DD or DD/MM/YYYY)'],
      ['birthday', '29/02/2023', '"29/02/2023" is not a date (YYYY-MM-DD or DD/MM/YYYY)'],
      ['tier', 'Bronze', '"Bronze" is not one of Gold, Silver'],
    ];
    invalid.forEach(([name, raw, message], i) => {
      it(`${name} = ${JSON.stringify(raw)} is refused`, async () => {
        const res = await t.json('POST', '/v1/contacts', { external_id: `BADATTR-${i}`, attributes: { [name]: raw } });
        expect(res.status).toBe(422);
        expect(res.body.error.details).toEqual([{ field: `attributes.${name}`, message }]);
      });
    });
  });

  it('refuses an email that belongs to another contact (by external_id), with a clear message', async () => {
    const a = await t.json('POST', '/v1/contacts', { external_id: 'A', email: 'a@example.fr' });
    const b = await t.json('POST', '/v1/contacts', { external_id: 'B', email: 'b@example.fr' });
    expect([a.status, b.status]).toEqual([201, 201]);
    // A exists and asks for B's email.
    const taken = await t.json('POST', '/v1/contacts', { external_id: 'A', email: 'b@example.fr' });
    expect([409, 422]).toContain(taken.status);
    expect(fields(taken.body)).toEqual(['email']);
    expect(taken.body.error.details[0].message).toContain('b@example.fr');
    expect(taken.body.error.details[0].message).toContain(String(b.body.id));
    // A new external_id with B's email.
    const fresh = await t.json('POST', '/v1/contacts', { external_id: 'C', email: 'b@example.fr' });
    expect([409, 422]).toContain(fresh.status);
    expect(fields(fresh.body)).toEqual(['email']);
    expect(fresh.body.error.details[0].message).toContain('b@example.fr');
    // Nothing changed.
    expect((await t.json('GET', `/v1/contacts/${a.body.id}`)).body.email).toBe('a@example.fr');
    expect((await t.json('GET', '/v1/contacts?external_id=C')).body.data).toEqual([]);
  });

  it('records subscriptions with a consent record whose source is api', async () => {
    const res = await t.json('POST', '/v1/contacts', {
      email: 'consent@example.fr',
      phone: '0612345679',
      subscriptions: [
        { channel: 'email', topic: 'newsletter', wording_version: 'v3', ip: '203.0.113.7', user_agent: 'Form/1.0' },
        { channel: 'sms', topic: 'promotions' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.subscriptions.map((s: any) => [s.topic, s.channel, s.status])).toEqual([
      ['newsletter', 'email', 'subscribed'],
      ['promotions', 'sms', 'subscribed'],
    ]);
    const records = await t.deps.db
      .selectFrom('consent_records')
      .innerJoin('topics', 'topics.id', 'consent_records.topic_id')
      .select(['topics.key', 'channel', 'status', 'source', 'ip', 'user_agent', 'wording_version'])
      .where('contact_id', '=', res.body.id)
      .orderBy('consent_records.id')
      .execute();
    expect(records).toEqual([
      { key: 'newsletter', channel: 'email', status: 'subscribed', source: 'api', ip: '203.0.113.7', user_agent: 'Form/1.0', wording_version: 'v3' },
      { key: 'promotions', channel: 'sms', status: 'subscribed', source: 'api', ip: null, user_agent: null, wording_version: null },
    ]);

    // The same subscription again changes nothing and records nothing; an unsubscribe is recorded.
    await t.json('POST', '/v1/contacts', { email: 'consent@example.fr', subscriptions: [{ channel: 'email', topic: 'newsletter' }] });
    const unsub = await t.json('POST', '/v1/contacts', {
      email: 'consent@example.fr', subscriptions: [{ channel: 'email', topic: 'newsletter', status: 'unsubscribed' }],
    });
    expect(unsub.status).toBe(200);
    const after = await t.deps.db
      .selectFrom('consent_records').select(['status', 'source']).where('contact_id', '=', res.body.id).orderBy('id').execute();
    expect(after).toEqual([
      { status: 'subscribed', source: 'api' },
      { status: 'subscribed', source: 'api' },
      { status: 'unsubscribed', source: 'api' },
    ]);
  });

  it('rejects an unknown topic or channel naming subscriptions.N', async () => {
    const res = await t.json('POST', '/v1/contacts', {
      email: 'topics@example.fr',
      subscriptions: [{ channel: 'email', topic: 'newsletter' }, { channel: 'email', topic: 'nope' }],
    });
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(['subscriptions.1.topic']);
    const channel = await t.json('POST', '/v1/contacts', { email: 'topics@example.fr', subscriptions: [{ channel: 'fax', topic: 'newsletter' }] });
    expect(channel.status).toBe(422);
    expect(fields(channel.body)).toEqual(['subscriptions.0.channel']);
  });
});

describe('PUT /v1/attributes/{name}', () => {
  it('declares (201) then changes (200) an attribute, and lists them', async () => {
    expect((await t.json('PUT', '/v1/attributes/shoe_size', { type: 'number' })).status).toBe(201);
    const again = await t.json('PUT', '/v1/attributes/shoe_size', { type: 'text' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ name: 'shoe_size', type: 'text', values: null, aliases: [], converted: 0 });
    const list = await t.json('GET', '/v1/attributes');
    expect(list.body.data.find((a: any) => a.name === 'shoe_size')).toEqual({ name: 'shoe_size', type: 'text', values: null, aliases: [] });
    expect(list.body.data.find((a: any) => a.name === 'tier')).toEqual({ name: 'tier', type: 'enum', values: ['Gold', 'Silver'], aliases: [] });
  });

  it('refuses enum without values, values on a non-enum, and bad names', async () => {
    expect((await t.json('PUT', '/v1/attributes/colour', { type: 'enum' })).status).toBe(422);
    expect((await t.json('PUT', '/v1/attributes/colour', { type: 'text', values: ['a'] })).status).toBe(422);
    expect((await t.json('PUT', '/v1/attributes/Colour', { type: 'text' })).status).toBe(422);
  });

  it('never fails with a 500 when a text attribute holding words becomes a number', async () => {
    expect((await t.json('PUT', '/v1/attributes/code', { type: 'text' })).status).toBe(201);
    expect((await t.json('POST', '/v1/contacts', { email: 'code@example.fr', attributes: { code: 'ABC' } })).status).toBe(201);
    const res = await t.json('PUT', '/v1/attributes/code', { type: 'number' });
    expect(res.status).toBeLessThan(500);
  });
});

describe('GET, PATCH, DELETE /v1/contacts/{id}', () => {
  it('reads, merges attributes on PATCH, deletes, then 404s', async () => {
    const created = await t.json('POST', '/v1/contacts', {
      email: 'crud@example.fr', first_name: 'Anne', attributes: { vip: 'oui', revenue: '10,5', note: 'keep me' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const got = await t.json('GET', `/v1/contacts/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, email: 'crud@example.fr', first_name: 'Anne', attributes: { vip: true, revenue: 10.5, note: 'keep me' }, subscriptions: [] });

    const patched = await t.json('PATCH', `/v1/contacts/${id}`, { last_name: 'Leroy', attributes: { vip: 'non', tier: 'gold' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, email: 'crud@example.fr', first_name: 'Anne', last_name: 'Leroy' });
    expect(patched.body.attributes).toEqual({ vip: false, revenue: 10.5, note: 'keep me', tier: 'Gold' });

    // null clears one attribute and leaves the others.
    const cleared = await t.json('PATCH', `/v1/contacts/${id}`, { attributes: { note: null } });
    expect(cleared.body.attributes).toEqual({ vip: false, revenue: 10.5, note: null, tier: 'Gold' });

    const badPatch = await t.json('PATCH', `/v1/contacts/${id}`, { attributes: { revenue: 'lots' } });
    expect(badPatch.status).toBe(422);
    expect(fields(badPatch.body)).toEqual(['attributes.revenue']);

    const del = await t.call('DELETE', `/v1/contacts/${id}`);
    expect(del.status).toBe(204);
    const gone = await t.json('GET', `/v1/contacts/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await t.json('PATCH', `/v1/contacts/${id}`, { first_name: 'X' })).status).toBe(404);
    expect((await t.json('DELETE', `/v1/contacts/${id}`)).status).toBe(404);
  });

  it('PATCH refuses an email already used by another contact', async () => {
    const one = await t.json('POST', '/v1/contacts', { email: 'one@example.fr' });
    const two = await t.json('POST', '/v1/contacts', { email: 'two@example.fr' });
    const res = await t.json('PATCH', `/v1/contacts/${two.body.id}`, { email: 'ONE@example.fr' });
    expect([409, 422]).toContain(res.status);
    expect(fields(res.body)).toEqual(['email']);
    expect((await t.json('GET', `/v1/contacts/${two.body.id}`)).body.email).toBe('two@example.fr');
    expect((await t.json('GET', `/v1/contacts/${one.body.id}`)).body.email).toBe('one@example.fr');
  });
});

describe('GET /v1/contacts', () => {
  let p: TestApp;
  const ids: number[] = [];
  beforeAll(async () => {
    p = await createTestApp();
    expect((await p.json('POST', '/v1/topics', { key: 'newsletter', name: 'Newsletter' })).status).toBe(201);
    const people = [
      { email: 'alice@example.fr', external_id: 'K1', first_name: 'Alice', subscriptions: [{ channel: 'email', topic: 'newsletter' }] },
      { email: 'bob@example.fr', external_id: 'K2', last_name: 'Bobineau' },
      { email: 'carole@example.com', external_id: 'K3', phone: '0612345670', subscriptions: [{ channel: 'sms', topic: 'newsletter' }] },
      { email: 'david@example.com', external_id: 'K4', subscriptions: [{ channel: 'email', topic: 'newsletter', status: 'unsubscribed' }] },
      { email: 'eve_100%@example.com', external_id: 'K5' },
      { email: 'franck@example.fr', external_id: 'K6', subscriptions: [{ channel: 'email', topic: 'newsletter' }] },
      { email: 'gus@example.fr', external_id: 'SPECIAL-7' },
    ];
    for (const person of people) {
      const res = await p.json('POST', '/v1/contacts', person);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
  });
  afterAll(() => p.close());

  it('pages 7 contacts by 3: 3, 3, 1, without gaps or repeats, ending with a null cursor', async () => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await p.json('GET', `/v1/contacts?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.data.map((c: any) => c.id));
      cursor = res.body.next_cursor;
      expect(pages.length).toBeLessThanOrEqual(3);
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(ids);
  });

  it('a page that ends exactly at the last contact has a null cursor', async () => {
    const res = await p.json('GET', '/v1/contacts?limit=7');
    expect(res.body.data).toHaveLength(7);
    expect(res.body.next_cursor).toBeNull();
    const six = await p.json('GET', '/v1/contacts?limit=6');
    expect(six.body.data).toHaveLength(6);
    expect(typeof six.body.next_cursor).toBe('string');
  });

  it('filters by email (any case), external_id and q', async () => {
    const byEmail = await p.json('GET', '/v1/contacts?email=BOB%40Example.fr');
    expect(byEmail.body.data.map((c: any) => c.id)).toEqual([ids[1]]);
    const byExternal = await p.json('GET', '/v1/contacts?external_id=K3');
    expect(byExternal.body.data.map((c: any) => c.id)).toEqual([ids[2]]);
    const q = await p.json('GET', '/v1/contacts?q=example.com');
    expect(q.body.data.map((c: any) => c.id)).toEqual([ids[2], ids[3], ids[4]]);
    const qName = await p.json('GET', '/v1/contacts?q=BOBIN');
    expect(qName.body.data.map((c: any) => c.id)).toEqual([ids[1]]);
    const qExternal = await p.json('GET', '/v1/contacts?q=special');
    expect(qExternal.body.data.map((c: any) => c.id)).toEqual([ids[6]]);
    // LIKE wildcards are literal.
    const percent = await p.json('GET', `/v1/contacts?q=${encodeURIComponent('_100%')}`);
    expect(percent.body.data.map((c: any) => c.id)).toEqual([ids[4]]);
    const underscore = await p.json('GET', '/v1/contacts?q=_');
    expect(underscore.body.data.map((c: any) => c.id)).toEqual([ids[4]]);
    const none = await p.json('GET', '/v1/contacts?email=nobody@example.fr');
    expect(none.body).toEqual({ data: [], next_cursor: null });
  });

  it('filters by topic and channel: only current subscribers', async () => {
    const email = await p.json('GET', '/v1/contacts?topic=newsletter');
    expect(email.body.data.map((c: any) => c.id)).toEqual([ids[0], ids[5]]);
    const emailExplicit = await p.json('GET', '/v1/contacts?topic=newsletter&channel=email');
    expect(emailExplicit.body.data.map((c: any) => c.id)).toEqual([ids[0], ids[5]]);
    const sms = await p.json('GET', '/v1/contacts?topic=newsletter&channel=sms');
    expect(sms.body.data.map((c: any) => c.id)).toEqual([ids[2]]);
    const unknown = await p.json('GET', '/v1/contacts?topic=nope');
    expect(unknown.body.data).toEqual([]);
    const paged = await p.json('GET', '/v1/contacts?topic=newsletter&limit=1');
    expect(paged.body.data.map((c: any) => c.id)).toEqual([ids[0]]);
    const next = await p.json('GET', `/v1/contacts?topic=newsletter&limit=1&cursor=${paged.body.next_cursor}`);
    expect(next.body.data.map((c: any) => c.id)).toEqual([ids[5]]);
    expect(next.body.next_cursor).toBeNull();
  });

  it('refuses a garbage cursor, a bad limit and a bad channel with 422 naming the parameter', async () => {
    for (const [query, field] of [
      ['cursor=garbage', 'cursor'],
      ['cursor=%21%21%21', 'cursor'],
      [`cursor=${btoa('id:-4')}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['channel=fax&topic=newsletter', 'channel'],
    ]) {
      const res = await p.json('GET', `/v1/contacts?${query}`);
      expect(res.status, query).toBe(422);
      expect(fields(res.body), query).toEqual([field]);
    }
  });
});
