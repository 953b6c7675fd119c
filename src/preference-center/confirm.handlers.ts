import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { langOf } from '../i18n/index.js';
import { ConfirmedPage, ConfirmPage } from './confirm.page.js';
import { confirm, resolveConfirmToken } from './confirmations.service.js';
import { InvalidLinkPage } from './invalid-link.page.js';
import { NO_STORE, requestInfo } from './responses.js';

/** /c/{token}: double opt-in confirmation. GET only shows a button (scanners prefetch links); POST confirms. */
export function confirmRouter() {
  const app = new Hono<AppEnv>();
  app.get('/c/:token', async (c) => {
    const target = await resolveConfirmToken(c.get('deps').db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr' }), 404, NO_STORE);
    return c.html(ConfirmPage({ lang: langOf(target.contact.locale), topic: target.topic.name }), 200, NO_STORE);
  });
  app.post('/c/:token', async (c) => {
    const { db, clock } = c.get('deps');
    const target = await resolveConfirmToken(db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr' }), 404, NO_STORE);
    const confirmed = await confirm(db, target, requestInfo(c), clock());
    return c.html(ConfirmedPage({ lang: langOf(target.contact.locale), topic: target.topic.name, confirmed }), 200, NO_STORE);
  });
  return app;
}
