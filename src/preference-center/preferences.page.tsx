import type { ChannelName } from '../channels/index.js';
import { LANGS, messages, type Lang } from '../i18n/index.js';
import { Actions, Button, Field, Layout, LinkButton, Notice, Panel, Section, type Brand } from '../pages/index.js';
import { maskedAddressList, type MaskableContact } from './masked-address.js';
import { FREQUENCIES, PAUSE_DAYS, type Frequency, type PreferencesModel } from './preferences.service.js';

const FREQUENCY_CHOICES = Object.keys(FREQUENCIES) as Frequency[];

export interface PreferencesPageProps {
  lang: Lang;
  brand: Brand;
  contact: MaskableContact & { first_name: string | null; last_name: string | null; timezone: string };
  model: PreferencesModel;
  /** Carried by every form; the POST handler refuses a form without it. */
  csrf: string;
  token: string;
  /** The outcome of the form just handled (?done=…). */
  notice?: string;
  /** `erase`: the erasure's second step, which says what it does before the request is sent (?step=erase). */
  step?: string;
}

/**
 * The preference center: save (the page's one primary action), then pause, unsubscribe from everything and the
 * person's data, each a form of its own. No JavaScript: erasure's confirmation is a second page.
 */
export function PreferencesPage(props: PreferencesPageProps) {
  const { lang, brand, contact, model, csrf, token, notice, step } = props;
  const m = messages(lang);
  const t = m.preferences;
  const channel = (ch: ChannelName) => m.channels[ch];
  const done = notice && Object.hasOwn(t.notices, notice) ? t.notices[notice as keyof typeof t.notices] : undefined;
  const addresses = maskedAddressList(contact, model.channels, lang);
  const Csrf = () => <input type="hidden" name="csrf" value={csrf} />;
  const about = addresses && <p class="lead">{t.about(addresses)}</p>;

  if (step === 'erase') {
    return (
      <Layout lang={lang} brand={brand} title={t.eraseStep.title}>
        {about}
        <Notice tone="warning">{t.eraseStep.warning}</Notice>
        <p>{t.eraseStep.delay}</p>
        <form method="post">
          <Csrf />
          <Actions>
            <Button variant="danger-primary" name="action" value="erase">{t.eraseStep.confirm}</Button>
            {/* Relative: back to /p/{token}. */}
            <LinkButton href={token}>{t.eraseStep.cancel}</LinkButton>
          </Actions>
        </form>
      </Layout>
    );
  }

  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      {about}
      {done && <Notice>{done}</Notice>}
      {model.pausedUntil && <Notice tone="info">{t.pausedUntil(new Date(model.pausedUntil), contact.timezone)}</Notice>}
      <p>{t.intro}</p>
      <form method="post">
        <Csrf />
        <input type="hidden" name="action" value="save" />
        <Section legend={t.you} columns>
          <Field id="first_name" label={t.firstName}>
            <input id="first_name" name="first_name" value={contact.first_name ?? ''} maxlength={200} autocomplete="given-name" />
          </Field>
          <Field id="last_name" label={t.lastName}>
            <input id="last_name" name="last_name" value={contact.last_name ?? ''} maxlength={200} autocomplete="family-name" />
          </Field>
          <Field id="locale" label={t.language}>
            <select id="locale" name="locale">
              {LANGS.map((l) => <option value={l} lang={l} selected={l === lang}>{messages(l).languageName}</option>)}
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
        <Section legend={t.frequency} columns>
          {model.channels.map((ch) => (
            <Field id={`freq-${ch}`} label={channel(ch)}>
              <select id={`freq-${ch}`} name={`freq:${ch}`} aria-label={t.perChannel(t.frequency, channel(ch))}>
                {FREQUENCY_CHOICES.map((f) => <option value={f} selected={(model.frequency[ch] ?? 'none') === f}>{m.frequencies[f]}</option>)}
              </select>
            </Field>
          ))}
        </Section>
        <Actions><Button>{t.save}</Button></Actions>
      </form>
      <Panel title={t.pause}>
        <p>{t.pauseHelp}</p>
        <form method="post">
          <Csrf />
          <Actions even>
            {PAUSE_DAYS.map((d) => <Button variant="secondary" name="action" value={`pause_${d}`}>{t.pauseFor(d)}</Button>)}
          </Actions>
        </form>
      </Panel>
      <Panel title={t.stopAll}>
        <p>{t.stopAllHelp}</p>
        <form method="post">
          <Csrf />
          <Actions><Button variant="danger" name="action" value="unsubscribe_all">{t.unsubscribeAll}</Button></Actions>
        </form>
      </Panel>
      <Panel title={t.data}>
        <p>{t.dataHelp}</p>
        {/* Relative: /p/{token}/export, and /p/{token}?step=erase for the erasure's confirmation. */}
        <Actions>
          <LinkButton href={`${token}/export`}>{t.download}</LinkButton>
          <LinkButton variant="danger" href="?step=erase">{t.erase}</LinkButton>
        </Actions>
      </Panel>
    </Layout>
  );
}

/** A post without its form token, or from another site. */
export function FormExpiredPage({ lang, brand }: { lang: Lang; brand: Brand }) {
  const t = messages(lang).preferences;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <p>{t.formExpired}</p>
    </Layout>
  );
}
