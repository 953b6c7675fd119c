// Real /p, /u and /c links for a contact, taken from the emails the app sends (a launched campaign and a double
// opt-in confirmation), and the preference center's CSRF token read from its page.
import PostalMime from 'postal-mime';
import type { TestApp } from '../../support/app.js';
import { createCampaign, createContact, createList, createTemplate, createTopic, launch, mjml } from '../../support/fixtures.js';

export interface PublicLinks {
  contactId: number;
  /** Paths: /p/…, /u/…, /c/… */
  preferences: string;
  unsubscribe: string;
  confirm: string;
  /** The topic keys the contact was subscribed to, with their ids (for the form's sub:{id}:{channel} fields). */
  topics: Record<string, number>;
}

const linkPath = (html: string, prefix: string) => {
  const found = new RegExp(`href="(https?://[^/"]+/${prefix}/[^"]+)"`).exec(html);
  if (!found) throw new Error(`no /${prefix}/ link in the emails sent`);
  return new URL(found[1].replace(/&amp;/g, '&')).pathname;
};

export async function publicLinks(t: TestApp, email = 'links@example.fr'): Promise<PublicLinks> {
  const news = await createTopic(t, 'links-news', { name: 'News' });
  const club = await createTopic(t, 'links-club', { name: 'Club', double_opt_in: true });
  const contact = await createContact(t, {
    email, phone: '+33612345678', first_name: 'Léa', locale: 'fr',
    subscriptions: [{ channel: 'email', topic: 'links-news' }, { channel: 'sms', topic: 'links-news' }, { channel: 'email', topic: 'links-club' }],
  });
  await t.deps.background.idle();
  const template = await createTemplate(t, 'email', {
    name: 'links', mjml: mjml('<a href="{{preferences_url}}">Préférences</a> <a href="{{unsubscribe_url}}">Se désabonner</a>'),
  });
  await launch(t, await createCampaign(t, { template_id: template, topic: 'links-news', audience: { list_ids: [await createList(t, [contact.id], 'links')] } }));
  const mails = await Promise.all((await t.outboxFiles('.eml')).map((f) => PostalMime.parse(f.content)));
  const html = mails.map((m) => m.html ?? '').join('');
  return {
    contactId: contact.id,
    preferences: linkPath(html, 'p'),
    unsubscribe: linkPath(html, 'u'),
    confirm: linkPath(html, 'c'),
    topics: { 'links-news': news.id, 'links-club': club.id },
  };
}

/** The CSRF token the preference center's page carries in its forms. */
export async function csrfOf(t: TestApp, preferences: string): Promise<string> {
  const page = await (await t.app.request(preferences)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error(`no CSRF token on ${preferences}`);
  return csrf;
}
