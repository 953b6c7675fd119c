// The API reference in a real browser on a closed network: every request that is not to the local server is aborted,
// and the page must still render the operations, with its Content-Security-Policy obeyed.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { browserTestsRun, launchChromium } from '../support/browser.js';

describe.runIf(browserTestsRun)('/docs in Chromium with the network blocked', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req) => t.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({ PUBLIC_URL: base });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('renders every tag and the operations from local files only, with no CSP violation', async () => {
    const context = await browser.newContext();
    const blocked: string[] = [];
    const served: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${base}/`)) {
        served.push(new URL(url).pathname);
        return route.continue();
      }
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));

    const res = await page.goto(`${base}/docs`);
    expect(res?.status()).toBe(200);
    await page.locator('.opblock-summary-path[data-path="/v1/contacts"]').first().waitFor({ timeout: 30_000 });

    // One block per operation of the document, the public paths included.
    const doc = await (await fetch(`${base}/openapi.json`)).json();
    const operations = Object.values<Record<string, unknown>>(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.opblock-summary-path[data-path="/health"]').count()).toBe(1);
    expect(await page.locator('.info .title').textContent()).toContain('Relais campaign platform API');

    // Open one operation: its summary and description are shown.
    const importOp = page.locator('#operations-Contacts-post_v1_contacts_import');
    await importOp.locator('.opblock-summary').click();
    await expect.poll(() => importOp.locator('.opblock-description-wrapper').first().textContent()).toContain('Windows-1252');

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    expect(served).toEqual(expect.arrayContaining(['/docs', '/docs/init.js', '/openapi.json']));
    expect(served.filter((p) => p.startsWith('/docs/swagger-ui/')).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/swagger-ui-bundle\.js$/), expect.stringMatching(/\/swagger-ui\.css$/)]),
    );
    await context.close();
  }, 60_000);
});
