import type { ChannelName } from '../channels/index.js';
import { LANGS, messages, type Lang } from '../i18n/index.js';
import { Button, Field, Layout, Notice, Section } from '../pages/index.js';
import { FREQUENCIES, PAUSE_DAYS, type Frequency, type PreferencesModel } from './preferences.service.js';

const FREQUENCY_CHOICES = Object.keys(FREQUENCIES) as Frequency[];

export interface PreferencesPageProps {
  lang: Lang;
  contact: { first_name: string | null; last_name: string | null };
  model: PreferencesModel;
  /** Carried by every form; the POST handler refuses a form without it. */
  csrf: string;
  token: string;
  /** The outcome of the form just handled (?done=…). */
  notice?: string;
}

/** The preference center: four forms (save, pause, unsubscribe from all, erase), no JavaScript. */
export function PreferencesPage({ lang, contact, model, csrf, token, notice }: PreferencesPageProps) {
  const m = messages(lang);
  const t = m.preferences;
  const channel = (ch: ChannelName) => m.channels[ch];
  const done = notice && Object.hasOwn(t.notices, notice) ? t.notices[notice as keyof typeof t.notices] : undefined;
  const Csrf = () => <input type="hidden" name="csrf" value={csrf} />;
  return (
    <Layout lang={lang} title={t.title}>
      {done && <Notice>{done}</Notice>}
      {model.pausedUntil && <p>{t.pausedUntil(new Date(model.pausedUntil))}</p>}
      <p>{t.intro}</p>
      <form method="post">
        <Csrf />
        <input type="hidden" name="action" value="save" />
        <Section legend={t.you}>
          <Field id="first_name" label={t.firstName}>
            <input id="first_name" name="first_name" value={contact.first_name ?? ''} maxlength={200} />
          </Field>
          <Field id="last_name" label={t.lastName}>
            <input id="last_name" name="last_name" value={contact.last_name ?? ''} maxlength={200} />
          </Field>
          <Field id="locale" label={t.language}>
            <select id="locale" name="locale">
              {LANGS.map((l) => <option value={l} selected={l === lang}>{messages(l).languageName}</option>)}
            </select>
          </Field>
        </Section>
        <Section legend={t.topics}>
          <table>
            <thead>
              <tr><td></td>{model.channels.map((ch) => <th scope="col">{channel(ch)}</th>)}</tr>
            </thead>
            <tbody>
              {model.topics.map((topic) => (
                <tr>
                  <th scope="row">{topic.name}</th>
                  {model.channels.map((ch) => (
                    <td>
                      <input type="checkbox" name={`sub:${topic.id}:${ch}`} aria-label={t.perChannel(topic.name, channel(ch))} checked={topic.status[ch] === 'subscribed'} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section legend={t.frequency}>
          {model.channels.map((ch) => (
            <Field id={`freq-${ch}`} label={channel(ch)}>
              <select id={`freq-${ch}`} name={`freq:${ch}`} aria-label={t.perChannel(t.frequency, channel(ch))}>
                {FREQUENCY_CHOICES.map((f) => <option value={f} selected={(model.frequency[ch] ?? 'none') === f}>{m.frequencies[f]}</option>)}
              </select>
            </Field>
          ))}
        </Section>
        <p><Button>{t.save}</Button></p>
      </form>
      <form method="post">
        <Csrf />
        <p>
          {t.pause} {PAUSE_DAYS.map((d) => <Button variant="secondary" name="action" value={`pause_${d}`}>{t.pauseFor(d)}</Button>)}
        </p>
      </form>
      <form method="post">
        <Csrf />
        <p><Button variant="secondary" name="action" value="unsubscribe_all">{t.unsubscribeAll}</Button></p>
      </form>
      <h2>{t.data}</h2>
      {/* Relative: resolves to /p/{token}/export. */}
      <p><a href={`${token}/export`}>{t.download}</a></p>
      <form method="post">
        <Csrf />
        <p><Button variant="secondary" name="action" value="erase">{t.erase}</Button></p>
      </form>
    </Layout>
  );
}

/** A post without its form token, or from another site. */
export function FormExpiredPage({ lang }: { lang: Lang }) {
  const t = messages(lang).preferences;
  return (
    <Layout lang={lang} title={t.title}>
      <p>{t.formExpired}</p>
    </Layout>
  );
}
