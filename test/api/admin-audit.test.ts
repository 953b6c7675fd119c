// Every administrative change lands in the audit log with the key that made it: API keys, settings, topics and
// attribute declarations. Each request below is followed by exactly the entry it should add, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRoutes } from '../../src/access/index.js';
import { topicRoutes } from '../../src/consent/index.js';
import { contactRoutes } from '../../src/contacts/index.js';
import { linkRoutes } from '../../src/links/index.js';
import { pressureSettingsRoutes } from '../../src/pressure/index.js';
import { segmentRoutes } from '../../src/segments/index.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const NOW = new Date('2026-03-02T09:30:00.000Z');
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date(NOW) });
});
afterAll(() => t.close());

/** The entries written since `before`, as stored. */
async function entriesSince(before: number) {
  const rows = await t.deps.db.selectFrom('audit_log').select(['id', 'actor', 'action', 'subject', 'details', 'occurred_at']).where('id', '>', before).orderBy('id').execute();
  return rows.map(({ id: _id, ...rest }) => rest);
}
async function lastId() {
  const row = await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

describe('the audit log records administrative changes with the key that made them', () => {
  it('API keys: creation and revocation, never the secret', async () => {
    const before = await lastId();
    const created = await t.api(keyRoutes.createKeyRoute, { json: { name: 'agence', role: 'marketer' } });
    if (created.status !== 201) throw new Error(`create: ${created.status}`);
    expect((await t.api(keyRoutes.revokeKeyRoute, { param: { id: created.body.id } })).status).toBe(204);
    const entries = await entriesSince(before);
    const details = { name: 'agence', role: 'marketer', prefix: created.body.key.slice(0, 8) };
    expect(entries).toEqual([
      { actor: 'admin', action: 'api_key.created', subject: `api_key:${created.body.id}`, details: { ...details, actor_key_id: t.keyIds.admin }, occurred_at: NOW },
      { actor: 'admin', action: 'api_key.revoked', subject: `api_key:${created.body.id}`, details: { ...details, actor_key_id: t.keyIds.admin }, occurred_at: NOW },
    ]);
    expect(JSON.stringify(entries)).not.toContain(created.body.key);
    // Revoking it again changes nothing and adds nothing.
    expect((await t.api(keyRoutes.revokeKeyRoute, { param: { id: created.body.id } })).status).toBe(404);
    expect(await entriesSince(before)).toHaveLength(2);
  });

  it('settings: pressure caps, quiet hours, lifecycle thresholds and the signing secret', async () => {
    const before = await lastId();
    const caps = [{ channel: 'sms' as const, max: 1, period: 'calendar_month' as const }];
    const quiet = [{ channel: 'sms' as const, days: ['sat' as const], from: '09:00', to: '12:00', skip_holidays: true }];
    const lifecycle = { new_days: 30, slowing_days: 120, lapsed_days: 400 };
    expect((await t.api(pressureSettingsRoutes.putPressureRoute, { json: { rules: caps } })).status).toBe(200);
    expect((await t.api(pressureSettingsRoutes.putQuietHoursRoute, { json: { rules: quiet } })).status).toBe(200);
    expect((await t.api(segmentRoutes.putLifecycleRoute, { json: lifecycle })).status).toBe(200);
    expect((await t.api(linkRoutes.rotateSigningSecretRoute)).status).toBeLessThan(300);
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.actor, e.action, (e.details as Record<string, unknown>).actor_key_id])).toEqual([
      ['admin', 'settings.pressure', t.keyIds.admin],
      ['admin', 'settings.quiet_hours', t.keyIds.admin],
      ['admin', 'settings.lifecycle', t.keyIds.admin],
      ['admin', 'settings.signing_secret_rotated', t.keyIds.admin],
    ]);
    expect(entries[0].details).toMatchObject({ rules: caps });
    expect(entries[1].details).toMatchObject({ rules: quiet });
    expect(entries[2].details).toMatchObject({ value: lifecycle });
  });

  it('topics and attribute declarations, by a marketer key', async () => {
    const before = await lastId();
    const key = t.keys.marketer;
    expect((await t.api(topicRoutes.createTopicRoute, { json: { key: 'club', name: 'Le club' }, key })).status).toBe(201);
    expect((await t.api(topicRoutes.updateTopicRoute, { param: { key: 'club' }, json: { names: { en: 'The club' } }, key })).status).toBe(200);
    const declared = await t.api(contactRoutes.putAttributeRoute, { param: { name: 'hote' }, json: { type: 'boolean', aliases: ['Hôte'] }, key });
    expect(declared.status).toBe(201);
    const by = { actor_key_id: t.keyIds.marketer };
    expect(await entriesSince(before)).toEqual([
      { actor: 'marketer', action: 'topic.created', subject: 'topic:club', details: { key: 'club', name: 'Le club', ...by }, occurred_at: NOW },
      { actor: 'marketer', action: 'topic.updated', subject: 'topic:club', details: { names: { en: 'The club' }, ...by }, occurred_at: NOW },
      {
        actor: 'marketer', action: 'attribute.declared', subject: 'attribute:hote', occurred_at: NOW,
        details: { type: 'boolean', values: null, aliases: ['Hôte'], created: true, converted: 0, ...by },
      },
    ]);
  });

  it('refused changes leave no entry', async () => {
    const before = await lastId();
    expect((await t.api(topicRoutes.createTopicRoute, { json: { key: 'club', name: 'Encore' } })).status).toBe(409);
    expect((await t.api(keyRoutes.createKeyRoute, { json: { name: 'x', role: 'marketer' }, key: t.keys.marketer })).status).toBe(403);
    expect(await entriesSince(before)).toEqual([]);
  });
});
