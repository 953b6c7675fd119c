import { messages, type Lang } from '../i18n/index.js';
import { Actions, Button, Layout, Notice, type Brand } from '../pages/index.js';

interface UnsubscribeProps {
  lang: Lang;
  brand: Brand;
  /** In the reader's language. */
  topic: string;
  /** Masked. */
  address: string;
}

/** The visible unsubscribe link's page: one button, since GET must change nothing. */
export function UnsubscribePage({ lang, brand, topic, address }: UnsubscribeProps) {
  const t = messages(lang).unsubscribe;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <p>{t.body(topic, address)}</p>
      <form method="post">
        <Actions><Button>{t.button}</Button></Actions>
      </form>
    </Layout>
  );
}

export function UnsubscribedPage({ lang, brand, topic }: { lang: Lang; brand: Brand; topic: string }) {
  const t = messages(lang).unsubscribe;
  return (
    <Layout lang={lang} brand={brand} title={t.doneTitle}>
      <Notice>{t.doneBody(topic)}</Notice>
    </Layout>
  );
}
