// A French marketer's first import: the file French Excel saves ("CSV (séparateur : point-virgule)", Windows-1252),
// French headers for declared attributes (aliases, or a mapping given with the import), country names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const declare = async (name: string, json: { type: 'boolean' | 'number' | 'date' | 'text'; aliases?: string[] }) =>
    expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name }, json }), 201);
  await declare('host', { type: 'boolean', aliases: ['Hôte'] });
  await declare('annual_revenue', { type: 'number', aliases: ["Chiffre d'affaires", 'CA'] });
  await declare('birthday', { type: 'date', aliases: ['Date de naissance'] });
  await declare('ambassador', { type: 'text' });
});
afterAll(() => t.close());

/** Windows-1252: Latin-1 letters are their code point; the euro sign and the curly apostrophe come from its table. */
const cp1252 = (s: string) => Uint8Array.from([...s].map((ch) => ({ '€': 0x80, '’': 0x92 })[ch] ?? ch.charCodeAt(0)));

async function importCsv(body: Uint8Array | string, query = '') {
  const res = await t.app.request(`/v1/contacts/import${query}`, {
    method: 'POST', headers: { authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' }, body: body as BodyInit,
  });
  return { status: res.status, body: await res.json() };
}

const contact = async (email: string) => {
  const found = (await t.json('GET', `/v1/contacts?email=${encodeURIComponent(email)}`)).body.data;
  return found[0];
};

const excelFile = [
  "Numéro client;Nom;Prénom;E-mail;Hôte;Ville;Pays;Chiffre d'affaires;Date de naissance;Ambassadrice",
  'C-001;Lefèvre;Hélène;helene@excel.test;Oui;Saint-Étienne;France;1 254,50 €;17/05/1990;Françoise',
  'C-002;Dupont;François;francois@excel.test;Non;Montréal;Canada;980;03/11/1985;Anaïs',
  'C-003;Peeters;Aurélie;aurelie@excel.test;Oui;Liège;Belgique;2 300;;Françoise',
  'C-004;Müller;Jürg;jurg@excel.test;Non;Genève;Suisse;12,5;29/02/1992;',
  'C-005;O’Brien;Siobhán;siobhan@excel.test;Non;Londres;Royaume-Uni;"3 400,00 €";;',
].join('\r\n') + '\r\n';

describe("French Excel's CSV", () => {
  it('imports a Windows-1252 file with its accents intact, French headers, names of countries, and says how it read it', async () => {
    const res = await importCsv(cp1252(excelFile));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: 5, updated: 0, rejected: [], encoding: 'windows-1252',
      ignored_columns: ['Ambassadrice'],
      columns: [
        { header: 'Numéro client', target: 'external_id' }, { header: 'Nom', target: 'last_name' },
        { header: 'Prénom', target: 'first_name' }, { header: 'E-mail', target: 'email' },
        { header: 'Hôte', target: 'attributes.host' }, { header: 'Ville', target: 'address.city' },
        { header: 'Pays', target: 'address.country' }, { header: "Chiffre d'affaires", target: 'attributes.annual_revenue' },
        { header: 'Date de naissance', target: 'attributes.birthday' }, { header: 'Ambassadrice', target: null },
      ],
    });
    expect(await contact('helene@excel.test')).toMatchObject({
      external_id: 'C-001', first_name: 'Hélène', last_name: 'Lefèvre', address: { city: 'Saint-Étienne', country: 'FR' },
      attributes: { host: true, annual_revenue: 1254.5, birthday: '1990-05-17' },
    });
    expect(await contact('francois@excel.test')).toMatchObject({ first_name: 'François', address: { city: 'Montréal', country: 'CA' } });
    expect((await contact('aurelie@excel.test')).address).toEqual({ city: 'Liège', country: 'BE' });
    expect(await contact('jurg@excel.test')).toMatchObject({ last_name: 'Müller', address: { city: 'Genève', country: 'CH' } });
    expect(await contact('siobhan@excel.test')).toMatchObject({
      first_name: 'Siobhán', last_name: 'O’Brien', address: { city: 'Londres', country: 'GB' }, attributes: { annual_revenue: 3400 },
    });
  });

  it('reads Excel’s "Unicode text" (UTF-16 with its byte order mark, tab-separated)', async () => {
    const text = 'E-mail\tPrénom\tPays\r\nutf16@excel.test\tZoé\tAllemagne\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]);
    const res = await importCsv(bytes);
    expect(res.body).toMatchObject({ created: 1, rejected: [], encoding: 'utf-16le' });
    expect(await contact('utf16@excel.test')).toMatchObject({ first_name: 'Zoé', address: { country: 'DE' } });
  });

  it('refuses with a 422 a file that is not text, importing nothing', async () => {
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]);
    const res = await importCsv(xlsx);
    expect(res).toEqual({
      status: 422,
      body: {
        error: {
          code: 'invalid_input', message: 'The file cannot be read as CSV text',
          details: [{ field: 'body', message: 'this is an Excel workbook (.xlsx) or another ZIP archive, not a CSV file: save it from Excel as "CSV UTF-8" and import it again' }],
        },
      },
    });
    const binary = new Uint8Array(2048).map((_, i) => (i * 31) % 256);
    const bin = await importCsv(binary);
    expect(bin.status).toBe(422);
    expect(errorFields(bin.body)).toEqual(['body']);
  });

  it('rejects a row whose country is no country, naming the field', async () => {
    const res = await importCsv(cp1252('E-mail;Pays\r\nnowhere@excel.test;Fraance\r\nsomewhere@excel.test;Etats-Unis\r\n'));
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      { line: 2, errors: [{ field: 'address.country', message: '"Fraance" is not a country: give its name (France, Canada…) or its ISO code (FR, CA…)' }] },
    ]);
    expect((await contact('somewhere@excel.test')).address).toEqual({ country: 'US' });
  });
});

describe('a mapping given with the import', () => {
  const file = cp1252('Courriel;Ambassadrice;Nom;Notes\r\nmapped@excel.test;Françoise;Ignored;libre\r\n');

  it('sends a column where map[Header] says, and ignores the ones it says to', async () => {
    const query = '?' + new URLSearchParams({ 'map[Ambassadrice]': 'attributes.ambassador', 'map[Nom]': 'ignore' });
    const res = await importCsv(file, query);
    expect(res.body).toEqual({
      created: 1, updated: 0, rejected: [], encoding: 'windows-1252', ignored_columns: ['Nom', 'Notes'],
      columns: [
        { header: 'Courriel', target: 'email' }, { header: 'Ambassadrice', target: 'attributes.ambassador' },
        { header: 'Nom', target: null }, { header: 'Notes', target: null },
      ],
    });
    expect(await contact('mapped@excel.test')).toMatchObject({ last_name: null, attributes: { ambassador: 'Françoise' } });
  });

  it('refuses a mapping to nowhere, to a column the file lacks, or an unknown parameter, before importing', async () => {
    const nowhere = await importCsv(file, '?' + new URLSearchParams({ 'map[Ambassadrice]': 'attributes.nope' }));
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.details).toEqual([{ field: 'map[Ambassadrice]', message: 'attribute "nope" is not declared (PUT /v1/attributes/nope)' }]);
    const missing = await importCsv(file, '?' + new URLSearchParams({ 'map[Chiffre]': 'attributes.annual_revenue' }));
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([{ field: 'map[Chiffre]', message: 'no column "Chiffre" in the file (its columns: Courriel, Ambassadrice, Nom, Notes)' }]);
    const unknown = await importCsv(file, '?mapping=x');
    expect(unknown.status).toBe(422);
    expect(errorFields(unknown.body)).toEqual(['mapping']);
    expect(await contact('mapped@excel.test')).toMatchObject({ attributes: { ambassador: 'Françoise' } });
  });
});

describe('attribute aliases', () => {
  it('are declared with the attribute, listed with it, and replaced by the next declaration', async () => {
    const put = await t.api(contactRoutes.putAttributeRoute, { param: { name: 'ambassador' }, json: { type: 'text', aliases: ['Ambassadrice', 'Ambassadeur'] } });
    expect(put).toEqual({ status: 200, body: { name: 'ambassador', type: 'text', values: null, aliases: ['Ambassadrice', 'Ambassadeur'], converted: 0 } });
    const list = expectStatus(await t.api(contactRoutes.listAttributesRoute), 200);
    expect(list.data.find((a) => a.name === 'annual_revenue')).toEqual({ name: 'annual_revenue', type: 'number', values: null, aliases: ["Chiffre d'affaires", 'CA'] });
    const res = await importCsv(cp1252('E-mail;AMBASSADEUR\r\nalias@excel.test;Anaïs\r\n'));
    expect(res.body.columns).toEqual([{ header: 'E-mail', target: 'email' }, { header: 'AMBASSADEUR', target: 'attributes.ambassador' }]);
    expect(await contact('alias@excel.test')).toMatchObject({ attributes: { ambassador: 'Anaïs' } });
  });

  it('may not take a contact column’s name or another attribute’s', async () => {
    const res = await t.api(contactRoutes.putAttributeRoute, { param: { name: 'ambassador' }, json: { type: 'text', aliases: ['Courriel', 'chiffre d’affaires', 'Birthday'] } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_input', message: 'Invalid attribute',
        details: [
          { field: 'aliases.0', message: '"Courriel" already names the contact column email' },
          { field: 'aliases.1', message: '"chiffre d’affaires" already names attribute annual_revenue' },
          { field: 'aliases.2', message: '"Birthday" already names attribute birthday' },
        ],
      },
    });
  });
});

describe('countries in the JSON API', () => {
  it('takes names in French or English and ISO codes, and stores the code', async () => {
    const countries = [['Belgique', 'BE'], ['Royaume-Uni', 'GB'], ['United Kingdom', 'GB'], ['Suisse', 'CH'], ['canada', 'CA'], ['FRA', 'FR'], ['fr', 'FR']];
    for (const [i, [country, code]] of countries.entries()) {
      const res = expectStatus(await t.api(contactRoutes.upsertContactRoute, { json: { email: `country-${i}@excel.test`, address: { country } } }), 201);
      expect(res.address, country).toEqual({ country: code });
    }
    const bad = await t.api(contactRoutes.upsertContactRoute, { json: { email: 'country-bad@excel.test', address: { country: 'Narnia' } } });
    expect(bad.status).toBe(422);
    expect(bad.status === 422 && errorFields(bad.body)).toEqual(['address.country']);
  });
});
