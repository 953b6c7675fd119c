// The preference center in a real browser (Debian's chromium via playwright-core), against a real HTTP server.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { browserTestsRun, launchChromium } from '../support/browser.js';
import { createCampaign, createTemplate, launch, mjml } from '../support/fixtures.js';


describe.runIf(browserTestsRun)('preference center in Chromium', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let contactId: number;
  let preferencesPath: string;

  beforeAll(async () => {
    // PUBLIC_URL must be the server's own origin: the page refuses cross-origin posts.
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({ PUBLIC_URL: base });
    await t.json('POST', '/v1/topics', { key: 'news', name: 'La lettre' });
    await t.json('POST', '/v1/topics', { key: 'promo', name: 'Les promotions' });
    const contact = await t.json('POST', '/v1/contacts', {
      email: 'lea@example.fr', phone: '+33612345678', first_name: 'Léa', locale: 'fr',
      subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'promo' }, { channel: 'sms', topic: 'promo' }],
    });
    contactId = contact.body.id;
    const template = await createTemplate(t, 'email', {
      subject: 'Bonjour', mjml: mjml('<a href="{{preferences_url}}">Mes préférences</a> <a href="{{unsubscribe_url}}">Se désabonner</a>'),
    });
    await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
    const [eml] = await t.outboxFiles('.eml');
    const mail = await PostalMime.parse(eml.content);
    const href = /href="([^"]*\/p\/[^"]+)"/.exec(mail.html ?? '')?.[1];
    expect(href).toBeDefined();
    preferencesPath = new URL(href!).pathname;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const statuses = async () => {
    const rows = await t.deps.db
      .selectFrom('subscriptions')
      .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select(['topics.key', 'subscriptions.channel', 'subscriptions.status'])
      .where('contact_id', '=', contactId)
      .orderBy('topics.key')
      .orderBy('subscriptions.channel')
      .execute();
    return rows.map((r) => `${r.key}/${r.channel}:${r.status}`);
  };

  it('changes subscriptions, name, language and frequency with a click, in French, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const pageTab = await context.newPage();
    await pageTab.goto(base + preferencesPath);
    expect(await pageTab.locator('h1').textContent()).toBe('Vos préférences');
    expect(await pageTab.locator('html').getAttribute('lang')).toBe('fr');
    await pageTab.getByLabel('Les promotions — E-mail').uncheck();
    await pageTab.getByLabel('Prénom').fill('Léa-Marie');
    await pageTab.getByLabel('Fréquence — E-mail').selectOption('1w');
    await pageTab.getByLabel('Langue').selectOption('en');
    await pageTab.getByRole('button', { name: 'Enregistrer' }).click();
    await pageTab.waitForURL(/done=saved/);
    // The page now speaks the contact's new language.
    expect(await pageTab.getByRole('status').textContent()).toBe('Your preferences are saved.');

    expect(await statuses()).toEqual(['news/email:subscribed', 'promo/email:unsubscribed', 'promo/sms:subscribed']);
    const contact = await t.deps.db.selectFrom('contacts').select(['first_name', 'locale']).where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(contact).toEqual({ first_name: 'Léa-Marie', locale: 'en' });
    const prefs = await t.deps.db.selectFrom('contact_preferences').select(['channel', 'max_messages', 'period']).where('contact_id', '=', contactId).execute();
    expect(prefs).toEqual([{ channel: 'email', max_messages: 1, period: 'calendar_week' }]);
    const records = await t.deps.db.selectFrom('consent_records').select(['status', 'source', 'user_agent']).where('contact_id', '=', contactId).where('source', '=', 'preference_center').execute();
    expect(records.map((r) => r.status)).toEqual(['unsubscribed']);
    expect(records[0].user_agent).toMatch(/Chrome/);
    await context.close();
  });

  it('pauses everything for 30 days, then unsubscribes from everything', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(base + preferencesPath);
    await tab.getByRole('button', { name: '30 days' }).click();
    await tab.waitForURL(/done=paused/);
    expect(await statuses()).toEqual(['news/email:paused', 'promo/email:unsubscribed', 'promo/sms:paused']);
    const paused = await t.deps.db.selectFrom('subscriptions').select('paused_until').where('contact_id', '=', contactId).where('status', '=', 'paused').execute();
    const days = paused.map((p) => Math.round((new Date(p.paused_until!).getTime() - Date.now()) / 86_400_000));
    expect(days).toEqual([30, 30]);
    await tab.getByRole('button', { name: 'Unsubscribe from everything' }).click();
    await tab.waitForURL(/done=unsubscribed_all/);
    expect(await statuses()).toEqual(['news/email:unsubscribed', 'promo/email:unsubscribed', 'promo/sms:unsubscribed']);
    await context.close();
  });

  it('refuses a post without the form token, and a tampered link', async () => {
    const forged = await fetch(base + preferencesPath, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=save' });
    expect(forged.status).toBe(403);
    const crossSite = await fetch(base + preferencesPath, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'action=unsubscribe_all',
    });
    expect(crossSite.status).toBe(403);
    const tampered = preferencesPath.slice(0, -3) + (preferencesPath.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await fetch(base + tampered)).status).toBe(404);
  });
});
