import { messages, type Lang } from '../i18n/index.js';
import { Layout, type Brand } from '../pages/index.js';

/** Any tampered, foreign or stale link: it says nothing about whom the link was for. */
export function InvalidLinkPage({ lang, brand }: { lang: Lang; brand: Brand }) {
  const t = messages(lang).invalidLink;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <p>{t.body}</p>
    </Layout>
  );
}
