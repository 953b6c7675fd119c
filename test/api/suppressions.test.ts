// The suppression list: hashing, the one-query lookup the sender uses, erasure, and the /v1/suppressions API with
// roles and audit rows.
import { createHash } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireApiKey, requirePermission } from '../../src/access/auth.middleware.js';
import { suppressionsRouter } from '../../src/suppressions/suppressions.handlers.js';
import { addSuppression, eraseAddress, hashAddress, suppressedSet } from '../../src/suppressions/suppressions.repository.js';
import type { AppEnv } from '../../src/http/app-env.js';
import { handleError } from '../../src/http/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let api: OpenAPIHono<AppEnv>;

// Mounted as app.ts mounts /v1 routers: API key, then read for GET and write (marketer, admin) for the rest.
beforeAll(async () => {
  t = await createTestApp();
  api = new OpenAPIHono<AppEnv>();
  api.use('*', async (c, next) => {
    c.set('deps', t.deps);
    await next();
  });
  api.onError(handleError);
  const v1 = new OpenAPIHono<AppEnv>();
  v1.use('*', requireApiKey);
  v1.use('*', requirePermission('content'));
  v1.route('/', suppressionsRouter());
  api.route('/v1', v1);
});
afterAll(() => t.close());

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await api.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const audit = () => t.deps.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).orderBy('id').execute();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('hashing and lookup', () => {
  it('hashes the normalised address', async () => {
    expect(await hashAddress('email', '  Jeanne@Example.FR ')).toBe(sha256('jeanne@example.fr'));
    expect(await hashAddress('sms', '06 12 34 56 78')).toBe(sha256('+33612345678'));
    expect(await hashAddress('sms', '+33 6 12 34 56 78')).toBe(sha256('+33612345678'));
  });

  it('answers which addresses are suppressed, as given, per channel', async () => {
    await addSuppression(t.deps.db, { channel: 'email', address: 'Blocked@example.fr', reason: 'hard_bounce', source: 'test' });
    await addSuppression(t.deps.db, { channel: 'sms', address: '+33611111111', reason: 'sms_stop', source: 'test' });
    const set = await suppressedSet(t.deps.db, 'email', ['ok@example.fr', 'BLOCKED@example.fr', '+33611111111']);
    expect([...set]).toEqual(['BLOCKED@example.fr']);
    expect([...(await suppressedSet(t.deps.db, 'sms', ['06 11 11 11 11', '+33622222222']))]).toEqual(['06 11 11 11 11']);
    expect((await suppressedSet(t.deps.db, 'email', [])).size).toBe(0);
  });

  it('is idempotent and keeps the first reason', async () => {
    expect((await addSuppression(t.deps.db, { channel: 'email', address: 'twice@example.fr', reason: 'hard_bounce', source: 'test' })).created).toBe(true);
    const again = await addSuppression(t.deps.db, { channel: 'email', address: 'Twice@example.fr', reason: 'complaint', source: 'test' });
    expect(again.created).toBe(false);
    expect(again.suppression.reason).toBe('hard_bounce');
  });

  it('erasure keeps the hash and the reason, drops the clear address, and covers addresses never suppressed', async () => {
    await addSuppression(t.deps.db, { channel: 'email', address: 'bounced@example.fr', reason: 'hard_bounce', source: 'test' });
    const kept = await eraseAddress(t.deps.db, 'email', 'bounced@example.fr');
    expect(kept).toMatchObject({ address: null, reason: 'hard_bounce', address_hash: sha256('bounced@example.fr') });
    const fresh = await eraseAddress(t.deps.db, 'email', 'Gone@example.fr');
    expect(fresh).toMatchObject({ address: null, reason: 'erased' });
    expect([...(await suppressedSet(t.deps.db, 'email', ['gone@example.fr', 'bounced@example.fr']))]).toEqual(['gone@example.fr', 'bounced@example.fr']);
    // A re-import re-adding the address does not bring the clear address back.
    const readded = await addSuppression(t.deps.db, { channel: 'email', address: 'gone@example.fr', reason: 'manual' });
    expect(readded).toMatchObject({ created: false, suppression: { address: null, reason: 'erased' } });
  });
});

describe('/v1/suppressions', () => {
  it('adds an address (201), answers 200 with the same entry the second time, and audits the addition once', async () => {
    const before = (await audit()).length;
    const first = await call('POST', '/v1/suppressions', t.keys.marketer, { channel: 'email', address: ' Manual@Example.fr', reason: 'manual' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(Number), channel: 'email', address: 'manual@example.fr', reason: 'manual', source: 'api', created_at: expect.any(String),
    });
    const second = await call('POST', '/v1/suppressions', t.keys.admin, { channel: 'email', address: 'manual@example.fr' });
    expect(second).toEqual({ status: 200, body: first.body });
    expect((await audit()).slice(before)).toEqual([
      { actor: 'marketer', action: 'suppression.added', subject: `suppression:${first.body.id}`, details: { channel: 'email', reason: 'manual', actor_key_id: t.keyIds.marketer } },
    ]);
  });

  it('normalises phone numbers to E.164', async () => {
    const res = await call('POST', '/v1/suppressions', t.keys.marketer, { channel: 'sms', address: '06 98 76 54 32' });
    expect(res).toMatchObject({ status: 201, body: { channel: 'sms', address: '+33698765432' } });
  });

  it('rejects bad input with 422 naming the field', async () => {
    const bad = async (body: unknown) => (await call('POST', '/v1/suppressions', t.keys.marketer, body)).body.error.details.map((d: any) => d.field);
    expect(await bad({ channel: 'email', address: 'not-an-email' })).toEqual(['address']);
    expect(await bad({ channel: 'sms', address: '12' })).toEqual(['address']);
    expect(await bad({ channel: 'postal', address: 'x@example.fr' })).toEqual(['channel']);
    expect(await bad({ channel: 'email', address: 'x@example.fr', reason: 'complaint' })).toEqual(['reason']);
    expect(await bad({ channel: 'email', address: 'x@example.fr', extra: 1 })).toEqual(['extra']);
  });

  it('lets analysts read but not change the list', async () => {
    await addSuppression(t.deps.db, { channel: 'email', address: 'kept@example.fr', reason: 'manual', source: 'test' });
    expect((await call('GET', '/v1/suppressions', t.keys.analyst)).status).toBe(200);
    expect((await call('POST', '/v1/suppressions', t.keys.analyst, { channel: 'email', address: 'a@example.fr' })).status).toBe(403);
    const id = (await call('GET', '/v1/suppressions', t.keys.analyst)).body.data[0].id;
    expect((await call('DELETE', `/v1/suppressions/${id}`, t.keys.analyst)).status).toBe(403);
    expect((await call('GET', '/v1/suppressions', 'nope')).status).toBe(401);
  });

  it('pages with a cursor and filters by channel, reason and address (erased entries included)', async () => {
    // Entries of its own (an SMS number, an erased address), and the expected filter results read straight from
    // the table, so the answer does not depend on what the other tests added before.
    await addSuppression(t.deps.db, { channel: 'sms', address: '+33655555555', reason: 'sms_stop', source: 'test' });
    await eraseAddress(t.deps.db, 'email', 'paged-gone@example.fr');
    const table = await t.deps.db.selectFrom('suppressions').select(['id', 'channel', 'reason', 'address']).execute();
    const all = (await call('GET', '/v1/suppressions?limit=500', t.keys.analyst)).body;
    expect(all.data.map((s: any) => s.id).sort((a: number, b: number) => a - b)).toEqual(table.map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(all.next_cursor).toBeNull();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await call('GET', `/v1/suppressions?limit=2${cursor ? `&cursor=${cursor}` : ''}`, t.keys.analyst)).body;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s: any) => s.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((s: any) => s.id));
    const sms = (await call('GET', '/v1/suppressions?channel=sms', t.keys.analyst)).body.data;
    const smsInTable = table.filter((r) => r.channel === 'sms').map((r) => r.address).sort();
    expect(smsInTable).toContain('+33655555555');
    expect(sms.map((s: any) => s.address).sort()).toEqual(smsInTable);
    const erased = (await call('GET', '/v1/suppressions?reason=erased', t.keys.analyst)).body.data;
    const erasedInTable = table.filter((r) => r.reason === 'erased');
    expect(erasedInTable.length).toBeGreaterThan(0);
    expect(erased.map((s: any) => [s.id, s.address]).sort()).toEqual(erasedInTable.map((r) => [Number(r.id), null]).sort());
    const gone = (await call('GET', '/v1/suppressions?address=PAGED-GONE@example.fr', t.keys.analyst)).body.data;
    expect(gone.map((s: any) => [s.reason, s.address])).toEqual([['erased', null]]);
    expect((await call('GET', '/v1/suppressions?cursor=zzz', t.keys.analyst)).status).toBe(422);
  });

  it('removes an entry (204) with an audit row, 404 afterwards; erased entries cannot be removed', async () => {
    const created = await call('POST', '/v1/suppressions', t.keys.marketer, { channel: 'email', address: 'lift@example.fr' });
    const before = (await audit()).length;
    expect((await call('DELETE', `/v1/suppressions/${created.body.id}`, t.keys.admin)).status).toBe(204);
    expect((await audit()).slice(before)).toEqual([
      { actor: 'admin', action: 'suppression.removed', subject: `suppression:${created.body.id}`, details: { channel: 'email', reason: 'manual', source: 'api', actor_key_id: t.keyIds.admin } },
    ]);
    expect([...(await suppressedSet(t.deps.db, 'email', ['lift@example.fr']))]).toEqual([]);
    expect((await call('DELETE', `/v1/suppressions/${created.body.id}`, t.keys.admin)).status).toBe(404);
    const erased = await eraseAddress(t.deps.db, 'email', 'erased-here@example.fr');
    expect((await call('DELETE', `/v1/suppressions/${erased.id}`, t.keys.admin)).status).toBe(409);
    expect((await audit()).length).toBe(before + 1);
  });
});

it('documents the routes in OpenAPI', () => {
  const doc = api.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
  expect(Object.keys(doc.paths ?? {}).sort()).toEqual(['/v1/suppressions', '/v1/suppressions/{id}']);
  expect(Object.keys(doc.paths!['/v1/suppressions']!).sort()).toEqual(['get', 'post']);
});
