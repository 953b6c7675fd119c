// The pages people reach from links in messages, over HTTP: headers, forms, language and escaping.
// test/browser/preference-center.test.ts clicks through them in Chromium.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
const NAME = '<script>alert(1)</script>';

let t: TestApp;
let preferences: string;
let unsubscribe: string;
let confirm: string;
let contactId: number;

const path = (html: string, prefix: string) => new URL(new RegExp(`href="(https?://[^/"]+/${prefix}/[^"]+)"`).exec(html)![1]).pathname;
const headers = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k in NO_STORE || k === 'content-security-policy'));

beforeAll(async () => {
  t = await createTestApp();
  await t.json('POST', '/v1/topics', { key: 'news', name: 'La <b>lettre</b>' });
  await t.json('POST', '/v1/topics', { key: 'club', name: 'Le club', double_opt_in: true });
  const contact = await t.json('POST', '/v1/contacts', {
    email: 'lea@example.fr', first_name: NAME, locale: 'fr',
    subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'club' }],
  });
  contactId = contact.body.id;
  await t.deps.background.idle();
  const template = await t.json('POST', '/v1/templates', {
    name: 'n', channel: 'email', subject: 'Bonjour',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text><a href="{{preferences_url}}">Préférences</a> <a href="{{unsubscribe_url}}">Se désabonner</a></mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  const campaign = await t.json('POST', '/v1/campaigns', { name: 'c', channel: 'email', template_id: template.body.id, topic: 'news', audience: { all: true } });
  await t.json('POST', `/v1/campaigns/${campaign.body.id}/launch`);
  await t.deps.background.idle();
  const mails = await Promise.all((await t.outboxFiles('.eml')).map((f) => PostalMime.parse(f.content)));
  const html = mails.map((m) => m.html ?? '').join('');
  [preferences, unsubscribe, confirm] = [path(html, 'p'), path(html, 'u'), path(html, 'c')];
});
afterAll(() => t.close());

describe('the preference center page', () => {
  it('is private, framed by nobody, and allows only inline styles', async () => {
    const res = await t.app.request(preferences);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(headers(res)).toEqual({ ...NO_STORE, 'content-security-policy': CSP });
  });

  it('escapes the name and topic, ties labels to fields, and carries the form token in every form', async () => {
    const page = await (await t.app.request(preferences)).text();
    expect(page).toMatch(/^<!doctype html><html lang="fr">/);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('name="first_name" value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('aria-label="La &lt;b&gt;lettre&lt;/b&gt; — E-mail" checked=""');
    for (const id of ['first_name', 'last_name', 'locale', 'freq-email']) {
      expect(page).toContain(`<label for="${id}">`);
      expect(page).toContain(`id="${id}"`);
    }
    const forms = page.split('<form method="post">').slice(1);
    expect(forms).toHaveLength(3);
    for (const form of forms) expect(form).toMatch(/^<input type="hidden" name="csrf" value="[^"]+"\/>/);
    // Save is the one primary action; pausing is secondary, unsubscribing from everything and erasure are marked as danger.
    expect(page.match(/class="button [a-z-]+"/g)).toEqual([
      'class="button primary"', ...Array(3).fill('class="button secondary"'), 'class="button danger"', 'class="button secondary"', 'class="button danger"',
    ]);
    expect(page).toContain('<div class="actions"><button type="submit" class="button primary">Enregistrer</button></div>');
    expect(page).toContain('<h2>Faire une pause</h2><p>Ne rien recevoir pendant un moment\u202f; vos choix restent enregistrés.</p><form method="post">');
    expect(page).toContain('<button type="submit" class="button secondary" name="action" value="pause_30">30 jours</button>');
    expect(page).toContain('<button type="submit" class="button danger" name="action" value="unsubscribe_all">Me désabonner de tout</button>');
    expect(page).toContain('<a class="button secondary" href="' + preferences.split('/').pop() + '/export">Télécharger mes données</a>');
    // Erasure is a link to its second step, not a form: nothing is sent from here.
    expect(page).toContain('<a class="button danger" href="?step=erase">Demander l’effacement de mes données</a>');
  });

  it('answers a post without the form token with 403, and a tampered link with 404, with the same headers', async () => {
    const forged = await t.app.request(preferences, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=save' });
    expect(forged.status).toBe(403);
    expect(headers(forged)).toEqual({ ...NO_STORE, 'content-security-policy': CSP });
    expect(await forged.text()).toContain('<p>Le formulaire a expiré\u00a0: rechargez la page.</p>');
    const tampered = await t.app.request(preferences.slice(0, -2) + (preferences.endsWith('A') ? 'BB' : 'AA'));
    expect(tampered.status).toBe(404);
    expect(await tampered.text()).toContain('<h1>Lien invalide</h1><p>Ce lien est invalide ou a expiré.</p>');
  });

  it('shows the outcome of the form just sent, and nothing for an unknown one', async () => {
    expect(await (await t.app.request(`${preferences}?done=saved`)).text()).toContain('<p role="status" class="notice success">Vos préférences sont enregistrées.</p>');
    expect(await (await t.app.request(`${preferences}?done=constructor`)).text()).not.toContain('role="status"');
  });
});

describe('the unsubscribe and confirmation pages', () => {
  it('unsubscribe: a button on GET, escaped topic, no CSP header as before', async () => {
    const res = await t.app.request(unsubscribe);
    expect(res.status).toBe(200);
    expect(headers(res)).toEqual(NO_STORE);
    const page = await res.text();
    expect(page).toContain(
      '<p>Vous ne recevrez plus «\u00a0La &lt;b&gt;lettre&lt;/b&gt;\u00a0» à l’adresse l•••@example.fr.</p>' +
        '<form method="post"><div class="actions"><button type="submit" class="button primary">Confirmer le désabonnement</button></div></form>',
    );
    expect(page).not.toContain('lea@');
  });

  it('confirm: a button on GET, the outcome after POST', async () => {
    const res = await t.app.request(confirm);
    expect([res.status, headers(res)]).toEqual([200, NO_STORE]);
    expect(await res.text()).toContain(
      '<p>Vous allez recevoir «\u00a0Le club\u00a0» à l’adresse l•••@example.fr.</p><form method="post"><div class="actions"><button type="submit" class="button primary">Je confirme</button></div></form>',
    );
    const done = await t.app.request(confirm, { method: 'POST' });
    expect([done.status, headers(done)]).toEqual([200, NO_STORE]);
    expect(await done.text()).toContain('<p role="status" class="notice success">C’est confirmé\u00a0: vous recevrez «\u00a0Le club\u00a0».</p>');
    // Unsubscribed since: the old link no longer confirms.
    await t.json('PATCH', `/v1/contacts/${contactId}`, { subscriptions: [{ channel: 'email', topic: 'club', status: 'unsubscribed' }] });
    expect(await (await t.app.request(confirm, { method: 'POST' })).text()).toContain('<p class="notice info">Cette inscription n’est plus en attente.</p>');
  });
});
