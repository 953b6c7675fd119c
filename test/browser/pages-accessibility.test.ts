// The pages people reach from links, in Chromium at phone and desktop widths: axe-core finds no serious or critical
// accessibility problem, in French and in English. Screenshots go to test/browser/screenshots/ (not committed) to
// be looked at.
import { serve, type ServerType } from '@hono/node-server';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicRoutes } from '../../src/consent/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { browserTestsRun, launchChromium } from '../support/browser.js';
import { createCampaign, createContact, createTemplate, launch, mjml } from '../support/fixtures.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const WIDTHS = { mobile: 375, desktop: 1280 } as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page (WCAG 2.1 A and AA, and best practices); returns what it found, worst first. */
async function axe(page: Page, source: string): Promise<Violation[]> {
  await page.evaluate(source);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Violation[] }> } }).axe.run;
    const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

describe.runIf(browserTestsRun)('the link pages in Chromium, with axe-core', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let axeSource: string;
  const links: Record<string, string> = {};

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A light brand colour: white text would not read on it, so the page must derive its own text colours.
    t = await createTestApp({ PUBLIC_URL: base, BRAND_NAME: 'Arts de la Table', BRAND_COLOR: '#f2a900' });
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const topic = (key: string, name: string, en: string, double_opt_in = false) =>
      t.api(topicRoutes.createTopicRoute, { json: { key, name, names: { en }, double_opt_in } });
    await topic('news', 'La lettre des Arts de la Table', 'The Tableware Letter');
    await topic('promo', 'Offres et ventes privées', 'Offers and private sales');
    await topic('club', 'Le club des hôtes', 'The hosts’ club', true);
    const subscriptions = [
      { channel: 'email', topic: 'news' }, { channel: 'email', topic: 'promo' }, { channel: 'sms', topic: 'promo' }, { channel: 'email', topic: 'club' },
    ] as const;
    await createContact(t, { email: 'claire.martin@example.fr', phone: '+33612345678', first_name: 'Claire', last_name: 'Martin', locale: 'fr', subscriptions: [...subscriptions] });
    await createContact(t, { email: 'olivia@example.ca', phone: '+15145550123', first_name: 'Olivia', locale: 'en-CA', timezone: 'America/Toronto', subscriptions: [...subscriptions] });
    const template = await createTemplate(t, 'email', { mjml: mjml('<a href="{{preferences_url}}">p</a> <a href="{{unsubscribe_url}}">u</a>') });
    await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
    for (const file of await t.outboxFiles('.eml')) {
      const mail = await PostalMime.parse(file.content);
      const lang = mail.to?.[0]?.address?.endsWith('.fr') ? 'fr' : 'en';
      for (const [prefix, name] of [['p', 'preferences'], ['u', 'unsubscribe'], ['c', 'confirm']]) {
        const href = new RegExp(`href="(https?://[^/"]+/${prefix}/[^"]+)"`).exec(mail.html ?? '')?.[1];
        if (href) links[`${name}-${lang}`] = new URL(href).pathname;
      }
    }
    expect(Object.keys(links).sort()).toEqual(['confirm-en', 'confirm-fr', 'preferences-en', 'preferences-fr', 'unsubscribe-en', 'unsubscribe-fr']);
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  /**
   * Opens a page (then does `act`, if given), screenshots it at each width, and returns axe's serious and critical
   * findings at phone width (none expected).
   */
  async function check(name: string, path: string, act?: (page: Page) => Promise<void>) {
    // The pages' CSP allows no script: axe is injected past it; the pages themselves run none.
    const context = await browser.newContext({ viewport: { width: WIDTHS.mobile, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(base + path);
    if (act) await act(page);
    for (const [label, width] of Object.entries(WIDTHS)) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${label}.png`, fullPage: true });
      // Nothing wider than the screen: no sideways scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: WIDTHS.mobile, height: 800 });
    const found = (await axe(page, axeSource))
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    await context.close();
    return found;
  }

  it('the preference center, in French and in English', async () => {
    expect(await check('preferences-fr', links['preferences-fr'])).toEqual([]);
    expect(await check('preferences-en', `${links['preferences-en']}?done=saved`)).toEqual([]);
  });

  it('the erasure’s second step', async () => {
    expect(await check('erase-fr', `${links['preferences-fr']}?step=erase`)).toEqual([]);
  });

  it('the unsubscribe page, and the page after it', async () => {
    expect(await check('unsubscribe-fr', links['unsubscribe-fr'])).toEqual([]);
    expect(await check('unsubscribed-en', links['unsubscribe-en'], (page) => page.getByRole('button', { name: 'Confirm unsubscribe' }).click())).toEqual([]);
  });

  it('the confirmation page, and the page after it', async () => {
    expect(await check('confirm-en', links['confirm-en'])).toEqual([]);
    expect(await check('confirmed-fr', links['confirm-fr'], (page) => page.getByRole('button', { name: 'Je confirme' }).click())).toEqual([]);
  });

  it('the invalid link page', async () => {
    expect(await check('invalid-link', '/p/nothing')).toEqual([]);
  });
});
