// The pages people reach from links carry the brand (BRAND_NAME, BRAND_COLOR), show whom they are about without
// giving the address away, and ask before an erasure request.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

describe('BRAND_COLOR', () => {
  it('takes a hex colour, written in 3 or 6 digits, and has a default', () => {
    expect(loadConfig({}).brandColor).toBe('#1d4f91');
    expect(loadConfig({ BRAND_COLOR: '#FFCC00' }).brandColor).toBe('#ffcc00');
    expect(loadConfig({ BRAND_COLOR: '#a3C' }).brandColor).toBe('#aa33cc');
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['ffcc00', '#ffcc0', 'red', '#ffcc00;}body{display:none', 'rgb(0,0,0)']) {
      expect(() => loadConfig({ BRAND_COLOR: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ BRAND_COLOR: bad }), bad).toThrow(/BRAND_COLOR: a hex colour such as #1d4f91/);
    }
  });
});

describe('the preference center of a brand', () => {
  let t: TestApp;
  let preferences: string;
  const nbsp = (s: string) => s.replaceAll(' ', '\u00a0');

  beforeAll(async () => {
    t = await createTestApp({ BRAND_NAME: 'Arts & Table', BRAND_COLOR: '#FFCC00' });
    await createTopic(t, 'news', { name: 'La lettre' });
    await createContact(t, { email: 'claire@example.fr', phone: '+33612345678', locale: 'fr', subscriptions: [{ channel: 'email', topic: 'news' }] });
    const template = await createTemplate(t, 'email', { mjml: mjml('<a href="{{preferences_url}}">Préférences</a>') });
    await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
    const [mail] = await Promise.all((await t.outboxFiles('.eml')).map((f) => PostalMime.parse(f.content)));
    preferences = new URL(/href="([^"]*\/p\/[^"]+)"/.exec(mail.html!)![1]).pathname;
  });
  afterAll(() => t?.close());

  it('shows the brand in a band of its colour, with readable text, on every page', async () => {
    const page = await (await t.app.request(preferences)).text();
    expect(page).toContain('<title>Vos préférences · Arts &amp; Table</title>');
    expect(page).toContain('<header class="masthead"><p>Arts &amp; Table</p></header>');
    expect(page).toContain(':root{--brand:#ffcc00;--on-brand:#000000;--accent:#8f7200;--on-accent:#ffffff;');
    const invalid = await (await t.app.request('/p/nothing')).text();
    expect(invalid).toContain('<header class="masthead"><p>Arts &amp; Table</p></header>');
  });

  it('says which addresses the page is about, masked', async () => {
    const page = await (await t.app.request(preferences)).text();
    expect(page).toContain(`<p class="lead">Cette page concerne c•••@example.fr et ${nbsp('+33 6 •• •• •• 78')}.</p>`);
    expect(page).not.toContain('claire@');
    expect(page).not.toContain('12345678');
  });

  it('asks for erasure on a second step that says what it does; only that step sends the request', async () => {
    const page = await (await t.app.request(preferences)).text();
    expect(page).not.toContain('value="erase"');
    const step = await (await t.app.request(`${preferences}?step=erase`)).text();
    expect(step).toContain('<h1>Effacer vos données\u202f?</h1>');
    expect(step).toContain('<p class="notice warning">Nous effacerons votre nom, vos adresses, vos préférences et l’historique de vos messages');
    const form = /<form method="post"><input type="hidden" name="csrf" value="([^"]+)"\/><div class="actions">(.*?)<\/div><\/form>/.exec(step);
    expect(form?.[2]).toBe(
      '<button type="submit" class="button danger-primary" name="action" value="erase">Oui, effacer mes données</button>' +
        `<a class="button secondary" href="${preferences.split('/').pop()}">Annuler</a>`,
    );
    const sent = await t.app.request(preferences, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${form![1]}&action=erase`,
    });
    expect([sent.status, sent.headers.get('location')]).toEqual([303, `${preferences.split('/').pop()}?done=erasure_requested`]);
    const audit = await t.json('GET', '/v1/audit-log?action=erasure.requested');
    expect(audit.body.data).toHaveLength(1);
  });
});
