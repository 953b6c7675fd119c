// Templates through the API: validation with line numbers, warnings, previews, and safe merging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let contactId: number;

beforeAll(async () => {
  t = await createTestApp();
  await t.json('PUT', '/v1/attributes/annual_revenue', { type: 'number' });
  const c = await t.json('POST', '/v1/contacts', {
    email: 'zoe@example.fr', first_name: '<script>alert(1)</script>', locale: 'fr', attributes: { annual_revenue: 1254 },
  });
  contactId = c.body.id;
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

describe('templates', () => {
  it('reports a Handlebars syntax error with its line as a 422', async () => {
    const res = await t.json('POST', '/v1/templates', {
      name: 'broken', channel: 'email', subject: 'Hi', mjml: body('<mj-text>Hello {{#if first_name}}x</mj-text>'),
    });
    expect(res.status).toBe(422);
    const mjml = res.body.error.details.filter((d: any) => d.field === 'mjml');
    expect(mjml.length).toBeGreaterThan(0);
    expect(mjml[0].message).toMatch(/^line \d+: /);
  });

  it('reports an MJML error with its line as a 422', async () => {
    const res = await t.json('POST', '/v1/templates', {
      name: 'bad mjml', channel: 'email', subject: 'Hi', mjml: body('<mj-text>ok</mj-text>\n<mj-unknown-tag>x</mj-unknown-tag>'),
    });
    expect(res.status).toBe(422);
    const messages = res.body.error.details.map((d: any) => `${d.field} ${d.message}`);
    expect(messages.some((m: string) => m.startsWith('mjml line 6:'))).toBe(true);
  });

  it('refuses helpers outside the safe list', async () => {
    const res = await t.json('POST', '/v1/templates', { name: 'x', channel: 'sms', text: '{{log "hello"}} {{lookup this "constructor"}}' });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ field: 'text' });
    expect(res.body.error.details[0].message).toMatch(/^line 1: .*log/);
  });

  it('warns about merge fields that are neither contact fields nor declared attributes', async () => {
    const res = await t.json('POST', '/v1/templates', {
      name: 'warn', channel: 'email', subject: 'Bonjour {{first_name}}',
      mjml: body('<mj-text>{{attributes.annual_revenue}}</mj-text>\n<mj-text>{{attributes.shoe_size}} {{favourite_colour}}</mj-text>'),
    });
    expect(res.status).toBe(201);
    expect(res.body.warnings.map((w: any) => [w.field, w.line])).toEqual([['mjml', 6], ['mjml', 6]]);
    expect(res.body.warnings.map((w: any) => w.message).join(' ')).toMatch(/shoe_size.*favourite_colour|favourite_colour.*shoe_size/);
  });

  it('previews an email for a contact with merge data HTML-escaped and money in French', async () => {
    const created = await t.json('POST', '/v1/templates', {
      name: 'preview', channel: 'email', subject: 'Pour {{first_name}}', preheader: 'Votre bilan',
      mjml: body('<mj-text>Bonjour {{first_name}}, total {{money attributes.annual_revenue "EUR"}}</mj-text>'),
    });
    const res = await t.json('POST', `/v1/templates/${created.body.id}/preview`, { contact_id: contactId });
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe('Pour <script>alert(1)</script>');
    expect(res.body.html).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt;, total 1\u202f254,00\u00a0€');
    expect(res.body.html).not.toContain('<script>alert(1)');
    expect(res.body.html).toContain('Votre bilan');
    expect(res.body.text).toContain('Bonjour <script>alert(1)</script>, total 1\u202f254,00\u00a0€');
  });

  it('previews an SMS with its encoding and segment count', async () => {
    const gsm = await t.json('POST', '/v1/templates', { name: 'gsm', channel: 'sms', text: '{{default first_name "Client"}}: code FETE20 -20% (ete)' });
    const gsmPreview = await t.json('POST', `/v1/templates/${gsm.body.id}/preview`, { data: { first_name: 'Léa' } });
    // The marketing stop mention (default "STOP SMS") is appended and counted.
    expect(gsmPreview.body).toEqual({ text: 'Léa: code FETE20 -20% (ete) STOP SMS', encoding: 'GSM-7', segments: 1, characters: 36 });
    const ucs = await t.json('POST', '/v1/templates', { name: 'ucs', channel: 'sms', text: `{{first_name}} ${'ê'.repeat(70)}` });
    const ucsPreview = await t.json('POST', `/v1/templates/${ucs.body.id}/preview`, { data: { first_name: 'Zoé' } });
    // 3 + 1 + 70 + 9 (" STOP SMS") = 83 UCS-2 characters: more than 70, so two segments of at most 67.
    expect(ucsPreview.body).toMatchObject({ encoding: 'UCS-2', segments: 2, characters: 83 });
  });

  it('keeps prototype access off in preview data', async () => {
    const created = await t.json('POST', '/v1/templates', { name: 'proto', channel: 'sms', text: 'a{{constructor.name}}b{{__proto__}}c{{first_name.constructor}}d' });
    const res = await t.json('POST', `/v1/templates/${created.body.id}/preview`, { data: { first_name: 'x' } });
    expect(res.body.text).toBe('abcd STOP SMS');
  });

  it('lists, reads and versions templates', async () => {
    const created = await t.json('POST', '/v1/templates', { name: 'v', channel: 'sms', text: 'one' });
    const updated = await t.json('PUT', `/v1/templates/${created.body.id}`, { name: 'v', channel: 'sms', text: 'two' });
    expect(updated.body.version).toBe(2);
    const read = await t.json('GET', `/v1/templates/${created.body.id}`);
    expect(read.body).toMatchObject({ name: 'v', text: 'two', version: 2 });
    expect(read.body.compiled_html).toBeUndefined();
    expect((await t.json('GET', '/v1/templates/999999')).status).toBe(404);
  });
});
