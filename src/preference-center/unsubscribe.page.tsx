import { messages, type Lang } from '../i18n/index.js';
import { Button, Layout } from '../pages/index.js';

/** The visible unsubscribe link's page: one button, since GET must change nothing. */
export function UnsubscribePage({ lang, topic, address }: { lang: Lang; topic: string; address: string }) {
  const t = messages(lang).unsubscribe;
  return (
    <Layout lang={lang} title={t.title}>
      <p>{t.body(topic, address)}</p>
      <form method="post">
        <Button>{t.button}</Button>
      </form>
    </Layout>
  );
}

export function UnsubscribedPage({ lang, topic }: { lang: Lang; topic: string }) {
  const t = messages(lang).unsubscribe;
  return (
    <Layout lang={lang} title={t.doneTitle}>
      <p>{t.doneBody(topic)}</p>
    </Layout>
  );
}
