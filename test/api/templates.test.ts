// Templates through the API: validation with line numbers, warnings, previews, and safe merging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { templateRoutes } from '../../src/templates/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact, type TemplateInput } from '../support/fixtures.js';

let t: TestApp;
let contactId: number;

beforeAll(async () => {
  t = await createTestApp();
  expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name: 'annual_revenue' }, json: { type: 'number' } }), 201);
  contactId = (await createContact(t, {
    email: 'zoe@example.fr', first_name: '<script>alert(1)</script>', locale: 'fr', attributes: { annual_revenue: 1254 },
  })).id;
});
afterAll(() => t.close());

const body = (inner: string) => `<mjml>
<mj-body>
<mj-section>
<mj-column>
${inner}
</mj-column>
</mj-section>
</mj-body>
</mjml>`;

const create = (json: TemplateInput) => t.api(templateRoutes.createTemplateRoute, { json });
const details = (res: { body: unknown }) => (res.body as { error: { details: Array<{ field: string; message: string }> } }).error.details;
const preview = (id: number, json: { contact_id: number } | { data: Record<string, unknown> }) =>
  t.api(templateRoutes.previewTemplateRoute, { param: { id }, json });

describe('templates', () => {
  it('reports a Handlebars syntax error with its line as a 422', async () => {
    const res = await create({ name: 'broken', channel: 'email', subject: 'Hi', mjml: body('<mj-text>Hello {{#if first_name}}x</mj-text>') });
    expect(res.status).toBe(422);
    const mjml = details(res).filter((d) => d.field === 'mjml');
    expect(mjml.length).toBeGreaterThan(0);
    expect(mjml[0].message).toMatch(/^line \d+: /);
  });

  it('reports an MJML error with its line as a 422', async () => {
    const res = await create({ name: 'bad mjml', channel: 'email', subject: 'Hi', mjml: body('<mj-text>ok</mj-text>\n<mj-unknown-tag>x</mj-unknown-tag>') });
    expect(res.status).toBe(422);
    const messages = details(res).map((d) => `${d.field} ${d.message}`);
    expect(messages.some((m) => m.startsWith('mjml line 6:'))).toBe(true);
  });

  it('refuses helpers outside the safe list', async () => {
    const res = await create({ name: 'x', channel: 'sms', text: '{{log "hello"}} {{lookup this "constructor"}}' });
    expect(res.status).toBe(422);
    expect(details(res)[0]).toMatchObject({ field: 'text' });
    expect(details(res)[0].message).toMatch(/^line 1: .*log/);
  });

  it('warns about merge fields that are neither contact fields nor declared attributes', async () => {
    const res = await create({
      name: 'warn', channel: 'email', subject: 'Bonjour {{first_name}}',
      mjml: body('<mj-text>{{attributes.annual_revenue}}</mj-text>\n<mj-text>{{attributes.shoe_size}} {{favourite_colour}}</mj-text>'),
    });
    const saved = expectStatus(res, 201);
    expect(saved.warnings.map((w) => [w.field, w.line])).toEqual([['mjml', 6], ['mjml', 6]]);
    expect(saved.warnings.map((w) => w.message).join(' ')).toMatch(/shoe_size.*favourite_colour|favourite_colour.*shoe_size/);
  });

  it('previews an email for a contact with merge data HTML-escaped and money in French', async () => {
    const created = expectStatus(await create({
      name: 'preview', channel: 'email', subject: 'Pour {{first_name}}', preheader: 'Votre bilan',
      mjml: body('<mj-text>Bonjour {{first_name}}, total {{money attributes.annual_revenue "EUR"}}</mj-text>'),
    }), 201);
    const res = expectStatus(await preview(created.id, { contact_id: contactId }), 200);
    if (!('html' in res)) throw new Error(`an email preview has html: ${JSON.stringify(res)}`);
    expect(res.subject).toBe('Pour <script>alert(1)</script>');
    expect(res.html).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt;, total 1\u202f254,00\u00a0€');
    expect(res.html).not.toContain('<script>alert(1)');
    expect(res.html).toContain('Votre bilan');
    expect(res.text).toContain('Bonjour <script>alert(1)</script>, total 1\u202f254,00\u00a0€');
  });

  it('previews an SMS with its encoding and segment count', async () => {
    const gsm = expectStatus(await create({ name: 'gsm', channel: 'sms', text: '{{default first_name "Client"}}: code FETE20 -20% (ete)' }), 201);
    // The marketing stop mention (default "STOP SMS") is appended and counted.
    expect(expectStatus(await preview(gsm.id, { data: { first_name: 'Léa' } }), 200)).toEqual({
      text: 'Léa: code FETE20 -20% (ete) STOP SMS', encoding: 'GSM-7', segments: 1, characters: 36,
    });
    const ucs = expectStatus(await create({ name: 'ucs', channel: 'sms', text: `{{first_name}} ${'ê'.repeat(70)}` }), 201);
    // 3 + 1 + 70 + 9 (" STOP SMS") = 83 UCS-2 characters: more than 70, so two segments of at most 67.
    expect(expectStatus(await preview(ucs.id, { data: { first_name: 'Zoé' } }), 200)).toMatchObject({ encoding: 'UCS-2', segments: 2, characters: 83 });
  });

  it('keeps prototype access off in preview data', async () => {
    const created = expectStatus(await create({ name: 'proto', channel: 'sms', text: 'a{{constructor.name}}b{{__proto__}}c{{first_name.constructor}}d' }), 201);
    expect(expectStatus(await preview(created.id, { data: { first_name: 'x' } }), 200).text).toBe('abcd STOP SMS');
  });

  it('lists, reads and versions templates', async () => {
    const created = expectStatus(await create({ name: 'v', channel: 'sms', text: 'one' }), 201);
    const updated = await t.api(templateRoutes.replaceTemplateRoute, { param: { id: created.id }, json: { name: 'v', channel: 'sms', text: 'two' } });
    expect(expectStatus(updated, 200).version).toBe(2);
    const read = expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id: created.id } }), 200);
    expect(read).toMatchObject({ name: 'v', text: 'two', version: 2 });
    expect(read).not.toHaveProperty('compiled_html');
    const listed = expectStatus(await t.api(templateRoutes.listTemplatesRoute, { query: { limit: 100 } }), 200);
    // The list shows the summary of each template, the latest version, and no content.
    expect(listed.data.find((x) => x.id === created.id)).toMatchObject({ name: 'v', channel: 'sms', version: 2 });
    expect(listed.data.find((x) => x.id === created.id)).not.toHaveProperty('text');
    expect((await t.api(templateRoutes.getTemplateRoute, { param: { id: 999999 } })).status).toBe(404);
  });
});
