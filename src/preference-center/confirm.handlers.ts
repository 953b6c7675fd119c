import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { topicName } from '../consent/index.js';
import { langOf } from '../i18n/index.js';
import { brandOf } from '../pages/index.js';
import { ConfirmedPage, ConfirmPage } from './confirm.page.js';
import { confirm, resolveConfirmToken } from './confirmations.service.js';
import { InvalidLinkPage } from './invalid-link.page.js';
import { maskedAddress } from './masked-address.js';
import { NO_STORE, requestInfo } from './responses.js';

/** /c/{token}: double opt-in confirmation. GET only shows a button (scanners prefetch links); POST confirms. */
export function confirmRouter() {
  const app = new Hono<AppEnv>();
  app.get('/c/:token', async (c) => {
    const { db, config } = c.get('deps');
    const brand = brandOf(config);
    const target = await resolveConfirmToken(db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr', brand }), 404, NO_STORE);
    const lang = langOf(target.contact.locale);
    const address = maskedAddress(target.contact, 'email') ?? '';
    return c.html(ConfirmPage({ lang, brand, topic: topicName(target.topic, lang), address }), 200, NO_STORE);
  });
  app.post('/c/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const brand = brandOf(config);
    const target = await resolveConfirmToken(db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr', brand }), 404, NO_STORE);
    const confirmed = await confirm(db, target, requestInfo(c), clock());
    const lang = langOf(target.contact.locale);
    return c.html(ConfirmedPage({ lang, brand, topic: topicName(target.topic, lang), confirmed }), 200, NO_STORE);
  });
  return app;
}
