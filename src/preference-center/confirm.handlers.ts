import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../http/app-env.js';
import { confirm, resolveConfirmToken } from './confirmations.service.js';
import { langOf } from '../i18n/index.js';
import { page, pageText } from './pages.js';

const T = {
  fr: { title: 'Confirmer votre inscription', body: (t: string) => `Vous allez recevoir « ${t} ».`, button: 'Je confirme', done: (t: string) => `C’est confirmé : vous recevrez « ${t} ».`, gone: 'Cette inscription n’est plus en attente.' },
  en: { title: 'Confirm your subscription', body: (t: string) => `You are about to receive “${t}”.`, button: 'I confirm', done: (t: string) => `Confirmed: you will receive “${t}”.`, gone: 'This subscription is no longer waiting for confirmation.' },
};
const noStore = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

/** /c/{token}: double opt-in confirmation. GET only shows a button (scanners prefetch links); POST confirms. */
export function confirmRouter() {
  const app = new Hono<AppEnv>();
  const invalid = () => page('fr', pageText.fr.notFoundTitle, html`<p>${pageText.fr.notFoundBody}</p>`);
  app.get('/c/:token', async (c) => {
    const target = await resolveConfirmToken(c.get('deps').db, c.req.param('token'));
    if (!target) return c.html(invalid(), 404, noStore);
    const lang = langOf(target.contact.locale);
    const t = T[lang];
    return c.html(page(lang, t.title, html`<p>${t.body(target.topic.name)}</p><form method="post"><button type="submit">${t.button}</button></form>`), 200, noStore);
  });
  app.post('/c/:token', async (c) => {
    const { db, clock } = c.get('deps');
    const target = await resolveConfirmToken(db, c.req.param('token'));
    if (!target) return c.html(invalid(), 404, noStore);
    const lang = langOf(target.contact.locale);
    const ok = await confirm(db, target, { ip: c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim(), userAgent: c.req.header('user-agent') }, clock());
    return c.html(page(lang, T[lang].title, html`<p>${ok ? T[lang].done(target.topic.name) : T[lang].gone}</p>`), 200, noStore);
  });
  return app;
}
