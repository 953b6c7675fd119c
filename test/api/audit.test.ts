// GET /v1/audit-log: admins only, newest first, cursor pagination, filters by action, subject and time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRouter, writeAudit } from '../../src/audit/index.js';
import { privacyRouter } from '../../src/privacy/privacy.handlers.js';
import { encodeCursor } from '../../src/http/pagination.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const NOW = new Date('2025-06-15T10:00:00.000Z');
const at = (day: number) => new Date(Date.UTC(2025, 5, day, 9, 0, 0));

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date(NOW) });
  // Mounted under /v1 (API key, then read/write by method) unless app.ts already does.
  if (!t.app.routes.some((r) => r.path === '/v1/audit-log')) {
    t.app.route('/v1', privacyRouter());
    t.app.route('/v1', auditRouter());
  }
  // Seven entries, written in date order: June 1 to June 7.
  const entries = [
    { actor: 'admin', action: 'contact.erased', subject: 'contact:101', details: { reason: 'request' } },
    { actor: 'marketer', action: 'contact.exported', subject: 'contact:102' },
    { actor: 'admin', action: 'suppression.added', subject: 'suppression:1', details: { channel: 'email', reason: 'manual' } },
    { actor: 'marketer', action: 'contact.exported', subject: 'contact:101' },
    { actor: 'retention', action: 'contact.erased', subject: 'contact:103', details: { reason: 'retention' } },
    { actor: 'retention', action: 'retention.purge', details: { erased: 1 } },
    { actor: 'admin', action: 'settings.pressure', details: { rules: [] } },
  ];
  for (const [i, e] of entries.entries()) await writeAudit(t.deps.db, e, at(i + 1));
});
afterAll(() => t.close());

const actions = (body: any) => body.data.map((e: any) => `${e.action} ${e.subject ?? '-'}`);

describe('GET /v1/audit-log', () => {
  it('is for admins only', async () => {
    for (const key of [t.keys.marketer, t.keys.analyst]) {
      const res = await t.json('GET', '/v1/audit-log', undefined, { key });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.call('GET', '/v1/audit-log', undefined, { key: 'nope' })).status).toBe(401);
  });

  it('lists entries newest first with their fields', async () => {
    const res = await t.json('GET', '/v1/audit-log');
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(actions(res.body)).toEqual([
      'settings.pressure -', 'retention.purge -', 'contact.erased contact:103', 'contact.exported contact:101',
      'suppression.added suppression:1', 'contact.exported contact:102', 'contact.erased contact:101',
    ]);
    const ids = res.body.data.map((e: any) => e.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    expect(res.body.data[6]).toEqual({
      id: ids[6], occurred_at: '2025-06-01T09:00:00.000Z', actor: 'admin', action: 'contact.erased', subject: 'contact:101', details: { reason: 'request' },
    });
    expect(res.body.data[5].details).toEqual({});
  });

  it('pages with a cursor towards older entries', async () => {
    const p1 = await t.json('GET', '/v1/audit-log?limit=3');
    expect(actions(p1.body)).toEqual(['settings.pressure -', 'retention.purge -', 'contact.erased contact:103']);
    expect(p1.body.next_cursor).toBe(encodeCursor(p1.body.data[2].id));
    const p2 = await t.json('GET', `/v1/audit-log?limit=3&cursor=${p1.body.next_cursor}`);
    expect(actions(p2.body)).toEqual(['contact.exported contact:101', 'suppression.added suppression:1', 'contact.exported contact:102']);
    const p3 = await t.json('GET', `/v1/audit-log?limit=3&cursor=${p2.body.next_cursor}`);
    expect(actions(p3.body)).toEqual(['contact.erased contact:101']);
    expect(p3.body.next_cursor).toBeNull();
    // Exactly one page left: no cursor after it.
    const last = await t.json('GET', `/v1/audit-log?limit=1&cursor=${encodeCursor(p3.body.data[0].id + 1)}`);
    expect(actions(last.body)).toEqual(['contact.erased contact:101']);
    expect(last.body.next_cursor).toBeNull();
  });

  it('filters by action, subject and since, combined with paging', async () => {
    expect(actions((await t.json('GET', '/v1/audit-log?action=contact.erased')).body)).toEqual(['contact.erased contact:103', 'contact.erased contact:101']);
    expect(actions((await t.json('GET', '/v1/audit-log?subject=contact:101')).body)).toEqual(['contact.exported contact:101', 'contact.erased contact:101']);
    expect(actions((await t.json('GET', '/v1/audit-log?action=contact.exported&subject=contact:101')).body)).toEqual(['contact.exported contact:101']);
    // since is inclusive: June 5 09:00 is the erasure of contact 3.
    const since = await t.json('GET', `/v1/audit-log?since=${encodeURIComponent('2025-06-05T11:00:00+02:00')}`);
    expect(actions(since.body)).toEqual(['settings.pressure -', 'retention.purge -', 'contact.erased contact:103']);
    const paged = await t.json('GET', '/v1/audit-log?since=2025-06-03T00:00:00Z&limit=2');
    expect(actions(paged.body)).toEqual(['settings.pressure -', 'retention.purge -']);
    const rest = await t.json('GET', `/v1/audit-log?since=2025-06-03T00:00:00Z&limit=2&cursor=${paged.body.next_cursor}`);
    expect(actions(rest.body)).toEqual(['contact.erased contact:103', 'contact.exported contact:101']);
    const end = await t.json('GET', `/v1/audit-log?since=2025-06-03T00:00:00Z&limit=2&cursor=${rest.body.next_cursor}`);
    expect(actions(end.body)).toEqual(['suppression.added suppression:1']);
    expect(end.body.next_cursor).toBeNull();
    expect((await t.json('GET', '/v1/audit-log?action=nothing.like.this')).body).toEqual({ data: [], next_cursor: null });
  });

  it('rejects bad filters and cursors with 422', async () => {
    for (const q of ['since=yesterday', 'cursor=garbage', 'limit=0', 'action=']) {
      const res = await t.json('GET', `/v1/audit-log?${q}`);
      expect(res.status, q).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('shows the entries the API writes, with the key that made them', async () => {
    const contact = await t.json('POST', '/v1/contacts', { email: 'audit@example.fr' });
    await t.json('GET', `/v1/contacts/${contact.body.id}/export`, undefined, { key: t.keys.marketer });
    expect((await t.call('DELETE', `/v1/contacts/${contact.body.id}`, undefined, { key: t.keys.marketer })).status).toBe(204);
    const res = await t.json('GET', `/v1/audit-log?subject=contact:${contact.body.id}`);
    expect(res.body.data.map((e: any) => [e.actor, e.action, e.occurred_at])).toEqual([
      ['marketer', 'contact.erased', NOW.toISOString()],
      ['marketer', 'contact.exported', NOW.toISOString()],
    ]);
    expect(JSON.stringify(res.body)).not.toContain('audit@example.fr');
  });
});
