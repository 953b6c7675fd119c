import { messages, type Lang } from '../i18n/index.js';
import { Button, Layout } from '../pages/index.js';

/** The double opt-in link's page: one button, since GET must change nothing. */
export function ConfirmPage({ lang, topic }: { lang: Lang; topic: string }) {
  const t = messages(lang).confirm;
  return (
    <Layout lang={lang} title={t.title}>
      <p>{t.body(topic)}</p>
      <form method="post">
        <Button>{t.button}</Button>
      </form>
    </Layout>
  );
}

/** After the button: confirmed, or no longer pending (already confirmed, or unsubscribed since). */
export function ConfirmedPage({ lang, topic, confirmed }: { lang: Lang; topic: string; confirmed: boolean }) {
  const t = messages(lang).confirm;
  return (
    <Layout lang={lang} title={t.title}>
      <p>{confirmed ? t.done(topic) : t.gone}</p>
    </Layout>
  );
}
