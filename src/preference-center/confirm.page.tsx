import { messages, type Lang } from '../i18n/index.js';
import { Actions, Button, Layout, Notice, type Brand } from '../pages/index.js';

interface ConfirmProps {
  lang: Lang;
  brand: Brand;
  /** In the reader's language. */
  topic: string;
  /** Masked. */
  address: string;
}

/** The double opt-in link's page: one button, since GET must change nothing. */
export function ConfirmPage({ lang, brand, topic, address }: ConfirmProps) {
  const t = messages(lang).confirm;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <p>{t.body(topic, address)}</p>
      <form method="post">
        <Actions><Button>{t.button}</Button></Actions>
      </form>
    </Layout>
  );
}

/** After the button: confirmed, or no longer pending (already confirmed, or unsubscribed since). */
export function ConfirmedPage({ lang, brand, topic, confirmed }: { lang: Lang; brand: Brand; topic: string; confirmed: boolean }) {
  const t = messages(lang).confirm;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      {confirmed ? <Notice>{t.done(topic)}</Notice> : <Notice tone="info">{t.gone}</Notice>}
    </Layout>
  );
}
