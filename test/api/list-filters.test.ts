// List filters: an unknown one is refused with a 422 naming it (it used to be ignored, answering the whole list),
// on every list the API documents; and a language filter finds that language's regional forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('unknown filters', () => {
  it('GET /v1/contacts?city=Lille is a 422 naming city', async () => {
    const res = await t.json('GET', '/v1/contacts?city=Lille');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'city', message: 'unknown field "city"' }] });
  });

  it('is a 422 on every GET of the OpenAPI document that takes a query, while its own parameters still work', async () => {
    const doc = (await t.json('GET', '/openapi.json')).body;
    const lists = Object.entries<Record<string, any>>(doc.paths)
      .filter(([path, ops]) => path.startsWith('/v1/') && ops.get?.parameters?.some((p: any) => p.in === 'query'))
      .map(([path, ops]) => ({ path: path.replace(/\{[^}]+\}/g, '1'), names: ops.get.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name) }));
    // Contacts, campaigns, lists, segments (and a segment's preview), templates, suppressions, the audit log.
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const { path, names } of lists) {
      expect(names).not.toContain('bogus');
      const res = await t.json('GET', `${path}?bogus=1`);
      expect([path, res.status, res.body.error?.details]).toEqual([path, 422, [{ field: 'bogus', message: 'unknown field "bogus"' }]]);
    }
    expect((await t.json('GET', '/v1/contacts?limit=2&locale=fr')).status).toBe(200);
  });
});

describe('the locale filter', () => {
  it('finds a language with its regional forms, and a regional form alone, whatever the case', async () => {
    const ids: Record<string, number> = {};
    for (const locale of ['fr', 'fr-CA', 'en', 'en-CA', 'en-GB']) {
      const res = await t.api(contactRoutes.upsertContactRoute, { json: { email: `${locale.toLowerCase()}@example.test`, locale } });
      if (res.status !== 201) throw new Error(`contact ${locale}: ${res.status}`);
      ids[locale] = res.body.id;
    }
    const found = async (locale: string) => {
      const res = await t.api(contactRoutes.listContactsRoute, { query: { locale, limit: 500 } });
      if (res.status !== 200) throw new Error(`locale=${locale}: ${res.status}`);
      return res.body.data.map((c) => c.id).sort((a, b) => a - b);
    };
    expect(await found('en')).toEqual([ids.en, ids['en-CA'], ids['en-GB']]);
    expect(await found('EN')).toEqual([ids.en, ids['en-CA'], ids['en-GB']]);
    expect(await found('en-CA')).toEqual([ids['en-CA']]);
    expect(await found('fr')).toEqual([ids.fr, ids['fr-CA']]);
    // No prefix match within a language tag, and LIKE's wildcards are plain characters.
    expect(await found('e')).toEqual([]);
    expect(await found('e_')).toEqual([]);
    expect(await found('%')).toEqual([]);
  });
});
