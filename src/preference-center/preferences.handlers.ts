import { Hono } from 'hono';
import type { Deps } from '../deps.js';
import type { AppEnv } from '../http/app-env.js';
import { langOf } from '../i18n/index.js';
import { csrfToken, getSigningSecret, verifyCsrf } from '../links/index.js';
import { brandOf } from '../pages/index.js';
import { exportContact } from '../privacy/index.js';
import { InvalidLinkPage } from './invalid-link.page.js';
import { FormExpiredPage, PreferencesPage } from './preferences.page.js';
import { applyPreferences, preferencesModel, resolvePreferencesToken, type PreferenceContact } from './preferences.service.js';
import { PREFERENCES_HEADERS, requestInfo } from './responses.js';

async function renderPreferences({ db, clock, config }: Deps, contact: PreferenceContact, token: string, query: { done?: string; step?: string }) {
  const model = await preferencesModel(db, contact, clock());
  const csrf = await csrfToken(await getSigningSecret(db), token);
  return PreferencesPage({ lang: langOf(contact.locale), brand: brandOf(config), contact, model, csrf, token, notice: query.done, step: query.step });
}

/**
 * /p/{token}: the preference center. Server-rendered, no JavaScript. The link's signed token is the
 * authority; every form also carries a CSRF token derived from it, and cross-origin posts are refused.
 */
export function preferencesRouter() {
  const app = new Hono<AppEnv>();
  const invalid = (deps: Deps) => InvalidLinkPage({ lang: 'fr', brand: brandOf(deps.config) });

  app.get('/p/:token', async (c) => {
    const contact = await resolvePreferencesToken(c.get('deps').db, c.req.param('token'));
    if (!contact) return c.html(invalid(c.get('deps')), 404, PREFERENCES_HEADERS);
    const query = { done: c.req.query('done'), step: c.req.query('step') };
    return c.html(await renderPreferences(c.get('deps'), contact, c.req.param('token'), query), 200, PREFERENCES_HEADERS);
  });

  app.post('/p/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const token = c.req.param('token');
    const contact = await resolvePreferencesToken(db, token);
    if (!contact) return c.html(invalid(c.get('deps')), 404, PREFERENCES_HEADERS);
    const origin = c.req.header('origin');
    const form = await c.req.parseBody({ all: false }).catch(() => ({}) as Record<string, string>);
    if ((origin && origin !== 'null' && origin !== new URL(config.publicUrl).origin) || !(await verifyCsrf(await getSigningSecret(db), token, form.csrf))) {
      return c.html(FormExpiredPage({ lang: langOf(contact.locale), brand: brandOf(config) }), 403, PREFERENCES_HEADERS);
    }
    const outcome = await applyPreferences(db, contact, form, requestInfo(c), clock());
    // Post/redirect/get, so a refresh does not submit again.
    return c.redirect(`${token}?done=${outcome}`, 303);
  });

  app.get('/p/:token/export', async (c) => {
    const { db, clock } = c.get('deps');
    const contact = await resolvePreferencesToken(db, c.req.param('token'));
    if (!contact) return c.html(invalid(c.get('deps')), 404, PREFERENCES_HEADERS);
    // The person's own download: the same export staff get, recorded in the audit log.
    const data = await exportContact(db, Number(contact.id), 'contact (preference center)', clock());
    return c.body(JSON.stringify(data, null, 2), 200, {
      ...PREFERENCES_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'attachment; filename="my-data.json"',
    });
  });
  return app;
}
