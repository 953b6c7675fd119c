import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { langOf } from '../i18n/index.js';
import { brandOf } from '../pages/index.js';
import { InvalidLinkPage } from './invalid-link.page.js';
import { maskedAddress } from './masked-address.js';
import { NO_STORE, requestInfo } from './responses.js';
import { UnsubscribedPage, UnsubscribePage } from './unsubscribe.page.js';
import { resolveUnsubscribeToken, unsubscribe } from './unsubscribe.service.js';

/**
 * /u/{token}: RFC 8058 one-click unsubscribe and the visible link's confirmation page.
 * GET and HEAD never change anything (scanners prefetch links); POST acts at once and never redirects.
 */
export function unsubscribeRouter() {
  const app = new Hono<AppEnv>();

  app.get('/u/:token', async (c) => {
    const { db, config } = c.get('deps');
    const brand = brandOf(config);
    const target = await resolveUnsubscribeToken(db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr', brand }), 404, NO_STORE);
    const address = maskedAddress(target.contact, target.channel) ?? '';
    return c.html(UnsubscribePage({ lang: langOf(target.contact.locale), brand, topic: target.topicName, address }), 200, NO_STORE);
  });

  app.post('/u/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const brand = brandOf(config);
    const target = await resolveUnsubscribeToken(db, c.req.param('token'));
    if (!target) return c.html(InvalidLinkPage({ lang: 'fr', brand }), 404, NO_STORE);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const oneClick = form['List-Unsubscribe'] === 'One-Click';
    await unsubscribe(db, target, oneClick ? 'one-click' : 'unsubscribe-page', requestInfo(c), clock());
    return c.html(UnsubscribedPage({ lang: langOf(target.contact.locale), brand, topic: target.topicName }), 200, NO_STORE);
  });

  return app;
}
