// Platform surface: health, OpenAPI document, docs page, demo data rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadDemoData, loadStarterTemplates, shouldLoadDemoData } from '../../src/entry/demo-data.js';
import { templatesFolder } from '../../src/entry/node-runtime.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('platform', () => {
  it('reports health: database and transports', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      runtime: 'node',
      database: { kind: usingPostgres ? 'postgres' : 'pglite', status: 'ok' },
      transports: { email: 'outbox', sms: 'outbox', postal: 'outbox', webhook: 'webhook' },
      renderer: 'compiled',
    });
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and a docs page', async () => {
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/contacts', '/v1/contacts/import', '/v1/contacts/{id}', '/v1/templates/{id}/preview', '/v1/campaigns/{id}/launch', '/v1/attributes/{name}', '/v1/topics', '/v1/events']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const docs = await t.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('lets only admins change workspace settings; every role reads them', async () => {
    const body = { rules: [{ channel: 'sms', max: 3, period: 'calendar_month' }] };
    expect((await t.json('PUT', '/v1/settings/pressure', body, { key: t.keys.marketer })).status).toBe(403);
    expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] }, { key: t.keys.marketer })).status).toBe(403);
    expect((await t.json('GET', '/v1/settings/pressure', undefined, { key: t.keys.analyst })).status).toBe(200);
    expect((await t.json('PUT', '/v1/settings/pressure', body, { key: t.keys.admin })).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('loads demo data only into a new embedded database unless asked', async () => {
    const embedded = loadConfig({});
    const postgres = loadConfig({ DATABASE_URL: 'postgres://x' });
    expect(await shouldLoadDemoData(t.deps.db, embedded, true)).toBe(true);
    expect(await shouldLoadDemoData(t.deps.db, embedded, false)).toBe(false);
    expect(await shouldLoadDemoData(t.deps.db, postgres, true)).toBe(false);
    expect(await shouldLoadDemoData(t.deps.db, loadConfig({ DATABASE_URL: 'postgres://x', DEMO_DATA: 'true' }), false)).toBe(true);
    expect(await shouldLoadDemoData(t.deps.db, loadConfig({ DEMO_DATA: 'false' }), true)).toBe(false);
  });

  it('demo data loads every starter template without warnings, then never again', async () => {
    const summary = await loadDemoData(t.deps, templatesFolder());
    expect(summary).toMatch(/^300 contacts, \d+ purchases, 5 starter templates, 2 topics, 1 list$/);
    const templates = await t.json('GET', '/v1/templates?limit=100');
    // One template per kind, each in French with an English variant.
    expect(templates.body.data.map((x: { locale: string }) => x.locale)).toEqual(['fr', 'fr', 'fr', 'fr', 'fr']);
    const newsletter = await t.json('GET', `/v1/templates/${templates.body.data[0].id}`);
    expect(newsletter.body.variants.map((v: { locale: string }) => v.locale)).toEqual(['en']);
    const contacts = await t.json('GET', '/v1/contacts?limit=500');
    expect(contacts.body.data).toHaveLength(300);
    expect(await shouldLoadDemoData(t.deps.db, loadConfig({ DEMO_DATA: 'true' }), true)).toBe(false);
    // With the demo attributes declared, every starter template is clean.
    for (const starter of await loadStarterTemplates(templatesFolder())) {
      const saved = await t.json('POST', '/v1/templates', starter);
      expect([starter.name, saved.status, saved.body.warnings]).toEqual([starter.name, 201, []]);
    }
  });
});
