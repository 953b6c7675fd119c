// Who may do what: every role, and every way of not having one, against a read and a write on each area.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact, createTemplate, createTopic } from '../support/fixtures.js';

let t: TestApp;
let templateId: number;
let contactId: number;
let revokedKey: string;

beforeAll(async () => {
  t = await createTestApp();
  await createTopic(t, 'newsletter');
  templateId = await createTemplate(t, 'sms');
  contactId = (await createContact(t, { email: 'seed@example.fr', external_id: 'SEED' })).id;
  const created = await t.json('POST', '/v1/api-keys', { name: 'to revoke', role: 'admin' });
  expect(created.status).toBe(201);
  revokedKey = created.body.key;
  expect((await t.call('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
});
afterAll(() => t.close());

let n = 0;
const unique = () => `${Date.now().toString(36)}${++n}`;

interface Probe {
  area: string;
  kind: 'read' | 'write';
  method: string;
  path: () => string;
  body?: () => unknown;
  /** The success status for an allowed caller. */
  ok: number;
}

const probes: Probe[] = [
  { area: 'contacts', kind: 'read', method: 'GET', path: () => '/v1/contacts', ok: 200 },
  { area: 'contacts', kind: 'read', method: 'GET', path: () => `/v1/contacts/${contactId}`, ok: 200 },
  { area: 'contacts', kind: 'write', method: 'POST', path: () => '/v1/contacts', body: () => ({ email: `c${unique()}@example.fr` }), ok: 201 },
  { area: 'contacts', kind: 'write', method: 'PATCH', path: () => `/v1/contacts/${contactId}`, body: () => ({ first_name: 'Seed' }), ok: 200 },
  { area: 'attributes', kind: 'read', method: 'GET', path: () => '/v1/attributes', ok: 200 },
  { area: 'attributes', kind: 'write', method: 'PUT', path: () => `/v1/attributes/a${unique()}`, body: () => ({ type: 'text' }), ok: 201 },
  { area: 'topics', kind: 'read', method: 'GET', path: () => '/v1/topics', ok: 200 },
  { area: 'topics', kind: 'write', method: 'POST', path: () => '/v1/topics', body: () => ({ key: `t${unique()}`, name: 'T' }), ok: 201 },
  { area: 'events', kind: 'write', method: 'POST', path: () => '/v1/events', body: () => ({ contact_id: contactId, type: 'purchase' }), ok: 201 },
  { area: 'templates', kind: 'read', method: 'GET', path: () => '/v1/templates', ok: 200 },
  { area: 'templates', kind: 'read', method: 'GET', path: () => `/v1/templates/${templateId}`, ok: 200 },
  { area: 'templates', kind: 'write', method: 'POST', path: () => '/v1/templates', body: () => ({ name: 'T', channel: 'sms', text: 'Hi' }), ok: 201 },
  { area: 'campaigns', kind: 'read', method: 'GET', path: () => '/v1/campaigns', ok: 200 },
  {
    area: 'campaigns', kind: 'write', method: 'POST', path: () => '/v1/campaigns',
    body: () => ({ name: 'C', channel: 'sms', template_id: templateId, topic: 'newsletter', audience: { all: true } }), ok: 201,
  },
  { area: 'lists', kind: 'read', method: 'GET', path: () => '/v1/lists', ok: 200 },
  { area: 'lists', kind: 'write', method: 'POST', path: () => '/v1/lists', body: () => ({ name: 'L' }), ok: 201 },
  { area: 'api-keys', kind: 'read', method: 'GET', path: () => '/v1/api-keys', ok: 200 },
  { area: 'api-keys', kind: 'write', method: 'POST', path: () => '/v1/api-keys', body: () => ({ name: `k${unique()}`, role: 'analyst' }), ok: 201 },
];

/** The expected status, written out per role (not derived from the code's own rules). */
const expected: Record<'admin' | 'marketer' | 'analyst', (p: Probe) => number> = {
  admin: (p) => p.ok,
  marketer: (p) => (p.area === 'api-keys' ? 403 : p.ok),
  analyst: (p) => (p.area === 'api-keys' ? 403 : p.kind === 'read' ? p.ok : 403),
};

async function errorOf(res: Response) {
  const body = await res.json();
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

describe('the role matrix', () => {
  for (const role of ['admin', 'marketer', 'analyst'] as const) {
    for (const p of probes) {
      it(`${role}: ${p.method} ${p.area} (${p.kind}) → ${expected[role](p)}`, async () => {
        const res = await t.call(p.method, p.path(), p.body?.(), { key: t.keys[role] });
        const want = expected[role](p);
        expect(res.status).toBe(want);
        if (want === 403) expect((await errorOf(res)).code).toBe('forbidden');
      });
    }
  }

  const strangers: Array<[string, Record<string, string> | (() => Record<string, string>)]> = [
    ['no key', {}],
    ['a bogus key', { authorization: 'Bearer rk_thisIsNotAKeyThatExists0000000000000000000' }],
    ['a revoked key', () => ({ authorization: `Bearer ${revokedKey}` })],
    ['a Basic header', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ];
  for (const [who, headers] of strangers) {
    for (const p of probes) {
      it(`${who}: ${p.method} ${p.area} (${p.kind}) → 401`, async () => {
        const h = typeof headers === 'function' ? headers() : headers;
        const body = p.body?.();
        const res = await t.app.request(p.path(), {
          method: p.method,
          headers: { ...h, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        expect(res.status).toBe(401);
        expect((await errorOf(res)).code).toBe('unauthorized');
      });
    }
  }

  it('an analyst gets 403, not a validation error, for an invalid write', async () => {
    const res = await t.call('POST', '/v1/contacts', { nonsense: true }, { key: t.keys.analyst });
    expect(res.status).toBe(403);
  });

  it('an analyst cannot delete, launch or revoke', async () => {
    for (const [method, path] of [
      ['DELETE', `/v1/contacts/${contactId}`],
      ['DELETE', `/v1/templates/${templateId}`],
      ['POST', '/v1/campaigns/1/launch'],
      ['POST', '/v1/campaigns/1/cancel'],
      ['DELETE', '/v1/api-keys/1'],
    ]) {
      const res = await t.call(method, path, undefined, { key: t.keys.analyst });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await t.json('GET', `/v1/contacts/${contactId}`)).status).toBe(200);
  });

  it('a marketer cannot revoke keys', async () => {
    expect((await t.call('DELETE', '/v1/api-keys/1', undefined, { key: t.keys.marketer })).status).toBe(403);
  });

  it('the health page and unsubscribe links need no key', async () => {
    expect((await t.app.request('/health')).status).toBe(200);
  });
});

describe('keys', () => {
  it('a created key is shown once, works with its role, and is stored only as a hash', async () => {
    const created = await t.json('POST', '/v1/api-keys', { name: 'Agency', role: 'marketer' });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'Agency', role: 'marketer', revoked_at: null, prefix: key.slice(0, 8) });

    // It works, with the marketer's rights and no more.
    expect((await t.call('POST', '/v1/lists', { name: 'by agency' }, { key })).status).toBe(201);
    expect((await t.call('GET', '/v1/api-keys', undefined, { key })).status).toBe(403);

    // The listing never shows a secret.
    const list = await t.call('GET', '/v1/api-keys');
    const text = await list.text();
    expect(text).not.toContain(key);
    const listed = JSON.parse(text).data.find((k: any) => k.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id, name: 'Agency', role: 'marketer', prefix: key.slice(0, 8), created_at: expect.any(String), revoked_at: null,
    });
    expect(listed.key).toBeUndefined();

    // The table holds the SHA-256 of the key, and nowhere the key itself.
    const rows = await t.deps.db.selectFrom('api_keys').selectAll().execute();
    const row = rows.find((r) => Number(r.id) === created.body.id)!;
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    for (const r of rows) for (const value of Object.values(r)) expect(String(value)).not.toContain(key);
    const dump = await sql<{ t: string }>`select string_agg(api_keys::text, '|') as t from api_keys`.execute(t.deps.db);
    expect(dump.rows[0].t).not.toContain(key);
  });

  it('revoking makes the key fail at once; revoking again is 404', async () => {
    const created = await t.json('POST', '/v1/api-keys', { name: 'Temp', role: 'analyst' });
    const key: string = created.body.key;
    expect((await t.call('GET', '/v1/contacts', undefined, { key })).status).toBe(200);
    expect((await t.call('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await t.call('GET', '/v1/contacts', undefined, { key })).status).toBe(401);
    const again = await t.json('DELETE', `/v1/api-keys/${created.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    const listed = (await t.json('GET', '/v1/api-keys')).body.data.find((k: any) => k.id === created.body.id);
    expect(listed.revoked_at).toEqual(expect.any(String));
  });

  it('revoking an unknown key is 404', async () => {
    expect((await t.json('DELETE', '/v1/api-keys/987654')).status).toBe(404);
  });

  it('rejects invalid key requests with 422 naming the field', async () => {
    const bad = await t.json('POST', '/v1/api-keys', { name: 'x', role: 'superuser' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: any) => d.field)).toEqual(['role']);
    const empty = await t.json('POST', '/v1/api-keys', { name: '', role: 'admin' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.map((d: any) => d.field)).toEqual(['name']);
  });

  it('a bearer key of the right length but wrong secret is refused; the prefix alone is not enough', async () => {
    const created = await t.json('POST', '/v1/api-keys', { name: 'Prefix', role: 'admin' });
    const key: string = created.body.key;
    const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await t.call('GET', '/v1/contacts', undefined, { key: flipped })).status).toBe(401);
    expect((await t.call('GET', '/v1/contacts', undefined, { key: key.slice(0, 8) })).status).toBe(401);
    // The scheme is case-insensitive (RFC 7235).
    const res = await t.app.request('/v1/contacts', { headers: { authorization: `bearer ${key}` } });
    expect(res.status).toBe(200);
  });
});
