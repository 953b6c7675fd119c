import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../http/app-env.js';
import { addressOf } from '../contacts/index.js';
import { langOf } from '../i18n/index.js';
import { page, pageText } from './pages.js';
import { resolveUnsubscribeToken, unsubscribe } from './unsubscribe.service.js';

/**
 * /u/{token}: RFC 8058 one-click unsubscribe and the visible link's confirmation page.
 * GET and HEAD never change anything (scanners prefetch links); POST acts at once and never redirects.
 */
export function unsubscribeRouter() {
  const app = new Hono<AppEnv>();
  const noStore = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

  const notFound = (lang: 'fr' | 'en') => page(lang, pageText[lang].notFoundTitle, html`<p>${pageText[lang].notFoundBody}</p>`);

  app.get('/u/:token', async (c) => {
    const target = await resolveUnsubscribeToken(c.get('deps').db, c.req.param('token'));
    if (!target) return c.html(notFound('fr'), 404, noStore);
    const lang = langOf(target.contact.locale);
    const t = pageText[lang];
    const address = addressOf(target.contact, target.channel) ?? '';
    return c.html(
      page(lang, t.confirmTitle, html`<p>${t.confirmBody(target.topicName, address)}</p>
<form method="post"><button type="submit">${t.confirmButton}</button></form>`),
      200,
      noStore,
    );
  });

  app.post('/u/:token', async (c) => {
    const { db, clock } = c.get('deps');
    const target = await resolveUnsubscribeToken(db, c.req.param('token'));
    if (!target) return c.html(notFound('fr'), 404, noStore);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const oneClick = form['List-Unsubscribe'] === 'One-Click';
    await unsubscribe(
      db,
      target,
      oneClick ? 'one-click' : 'unsubscribe-page',
      { ip: c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim(), userAgent: c.req.header('user-agent') },
      clock(),
    );
    const lang = langOf(target.contact.locale);
    return c.html(page(lang, pageText[lang].doneTitle, html`<p>${pageText[lang].doneBody(target.topicName)}</p>`), 200, noStore);
  });

  return app;
}
