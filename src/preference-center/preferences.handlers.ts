import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { AppEnv } from '../http/app-env.js';
import { langOf } from '../i18n/index.js';
import { page } from './pages.js';
import { applyPreferences, FREQUENCIES, PAUSE_DAYS, preferencesModel, resolvePreferencesToken, type PreferenceContact } from './preferences.service.js';
import { csrfToken, getSigningSecret, verifyCsrf } from '../links/index.js';
import { exportContact } from '../privacy/index.js';

const T = {
  fr: {
    title: 'Vos préférences', intro: 'Choisissez ce que vous recevez, par quel canal et à quel rythme.', you: 'Vous',
    first: 'Prénom', last: 'Nom', language: 'Langue', topics: 'Ce que vous recevez', frequency: 'Fréquence',
    channels: { email: 'E-mail', sms: 'SMS', postal: 'Courrier' } as Record<string, string>,
    freq: { none: 'Sans limite', '1w': 'Au plus 1 par semaine', '2m': 'Au plus 2 par mois', '1m': 'Au plus 1 par mois' } as Record<string, string>,
    save: 'Enregistrer', pause: 'Faire une pause', pauseFor: (d: number) => `${d} jours`, pausedUntil: (d: string) => `En pause jusqu’au ${d}.`,
    stopAll: 'Me désabonner de tout', data: 'Vos données', download: 'Télécharger mes données', erase: 'Demander l’effacement de mes données',
    done: { saved: 'Vos préférences sont enregistrées.', paused: 'C’est noté : nous faisons une pause.', unsubscribed_all: 'Vous êtes désabonné(e) de tout.', erasure_requested: 'Votre demande d’effacement est enregistrée ; elle sera traitée sous un mois.' } as Record<string, string>,
    invalid: 'Lien invalide', invalidBody: 'Ce lien est invalide ou a expiré.', forbidden: 'Le formulaire a expiré : rechargez la page.',
  },
  en: {
    title: 'Your preferences', intro: 'Choose what you receive, on which channel and how often.', you: 'You',
    first: 'First name', last: 'Last name', language: 'Language', topics: 'What you receive', frequency: 'Frequency',
    channels: { email: 'Email', sms: 'SMS', postal: 'Mail' } as Record<string, string>,
    freq: { none: 'No limit', '1w': 'At most 1 a week', '2m': 'At most 2 a month', '1m': 'At most 1 a month' } as Record<string, string>,
    save: 'Save', pause: 'Take a break', pauseFor: (d: number) => `${d} days`, pausedUntil: (d: string) => `Paused until ${d}.`,
    stopAll: 'Unsubscribe from everything', data: 'Your data', download: 'Download my data', erase: 'Ask for my data to be erased',
    done: { saved: 'Your preferences are saved.', paused: 'Noted: we are taking a break.', unsubscribed_all: 'You are unsubscribed from everything.', erasure_requested: 'Your erasure request is recorded; it will be handled within a month.' } as Record<string, string>,
    invalid: 'Invalid link', invalidBody: 'This link is invalid or has expired.', forbidden: 'The form has expired: reload the page.',
  },
};

const noStore = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" };

async function render(c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }, contact: PreferenceContact, token: string, notice?: string) {
  const { db, clock } = c.get('deps');
  const lang = langOf(contact.locale);
  const t = T[lang];
  const model = await preferencesModel(db, contact, clock());
  const csrf = await csrfToken(await getSigningSecret(db), token);
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  const paused = model.pausedUntil ? new Date(model.pausedUntil).toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-CA', { dateStyle: 'long' }) : undefined;
  return page(lang, t.title, html`
${notice ? html`<p role="status" style="background:#ecfdf5;padding:8px 12px;border-radius:6px">${t.done[notice] ?? ''}</p>` : ''}
${paused ? html`<p>${t.pausedUntil(paused)}</p>` : ''}
<p>${t.intro}</p>
<form method="post">${hidden}<input type="hidden" name="action" value="save">
<fieldset><legend>${t.you}</legend>
<label>${t.first} <input name="first_name" value="${contact.first_name ?? ''}" maxlength="200"></label><br>
<label>${t.last} <input name="last_name" value="${contact.last_name ?? ''}" maxlength="200"></label><br>
<label>${t.language} <select name="locale"><option value="fr"${raw(lang === 'fr' ? ' selected' : '')}>Français</option><option value="en"${raw(lang === 'en' ? ' selected' : '')}>English</option></select></label>
</fieldset>
<fieldset><legend>${t.topics}</legend>
<table><tr><th></th>${model.channels.map((ch) => html`<th>${t.channels[ch]}</th>`)}</tr>
${model.topics.map((topic) => html`<tr><td>${topic.name}</td>${model.channels.map((ch) => html`<td><input type="checkbox" name="sub:${topic.id}:${ch}" aria-label="${topic.name} — ${t.channels[ch]}"${raw(topic.status[ch] === 'subscribed' ? ' checked' : '')}></td>`)}</tr>`)}
</table></fieldset>
<fieldset><legend>${t.frequency}</legend>
${model.channels.map((ch) => html`<label>${t.channels[ch]} <select name="freq:${ch}" aria-label="${t.frequency} — ${t.channels[ch]}">${Object.keys(FREQUENCIES).map((f) => html`<option value="${f}"${raw((model.frequency[ch] ?? 'none') === f ? ' selected' : '')}>${t.freq[f]}</option>`)}</select></label><br>`)}
</fieldset>
<p><button type="submit">${t.save}</button></p>
</form>
<form method="post">${hidden}<p>${t.pause} : ${PAUSE_DAYS.map((d) => html`<button type="submit" name="action" value="pause_${d}">${t.pauseFor(d)}</button> `)}</p></form>
<form method="post">${hidden}<p><button type="submit" name="action" value="unsubscribe_all">${t.stopAll}</button></p></form>
<h2>${t.data}</h2>
<p><a href="${token}/export">${t.download}</a></p>
<form method="post">${hidden}<p><button type="submit" name="action" value="erase">${t.erase}</button></p></form>`);
}

/**
 * /p/{token}: the preference center. Server-rendered, no JavaScript. The link's signed token is the
 * authority; every form also carries a CSRF token derived from it, and cross-origin posts are refused.
 */
export function preferencesRouter() {
  const app = new Hono<AppEnv>();
  const invalid = () => page('fr', T.fr.invalid, html`<p>${T.fr.invalidBody}</p>`);

  app.get('/p/:token', async (c) => {
    const contact = await resolvePreferencesToken(c.get('deps').db, c.req.param('token'));
    if (!contact) return c.html(invalid(), 404, noStore);
    return c.html(await render(c, contact, c.req.param('token'), c.req.query('done')), 200, noStore);
  });

  app.post('/p/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const token = c.req.param('token');
    const contact = await resolvePreferencesToken(db, token);
    if (!contact) return c.html(invalid(), 404, noStore);
    const origin = c.req.header('origin');
    const form = await c.req.parseBody({ all: false }).catch(() => ({}) as Record<string, string>);
    if ((origin && origin !== 'null' && origin !== new URL(config.publicUrl).origin) || !(await verifyCsrf(await getSigningSecret(db), token, form.csrf))) {
      const t = T[langOf(contact.locale)];
      return c.html(page(langOf(contact.locale), t.title, html`<p>${t.forbidden}</p>`), 403, noStore);
    }
    const request = { ip: c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim(), userAgent: c.req.header('user-agent') };
    const outcome = await applyPreferences(db, contact, form, request, clock());
    // Post/redirect/get, so a refresh does not submit again.
    return c.redirect(`${token}?done=${outcome}`, 303);
  });

  app.get('/p/:token/export', async (c) => {
    const { db, clock } = c.get('deps');
    const contact = await resolvePreferencesToken(db, c.req.param('token'));
    if (!contact) return c.html(invalid(), 404, noStore);
    // The person's own download: the same export staff get, recorded in the audit log.
    const data = await exportContact(db, Number(contact.id), 'contact (preference center)', clock());
    return c.body(JSON.stringify(data, null, 2), 200, {
      ...noStore, 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'attachment; filename="my-data.json"',
    });
  });
  return app;
}

