import { messages, type Lang } from '../i18n/index.js';
import { Layout, Notice, type Brand } from '../pages/index.js';

/** After a reply coupon's QR code is scanned: thanks, and the way to stop letters. */
export function CouponPage({ lang, brand, again, preferencesUrl }: { lang: Lang; brand: Brand; again: boolean; preferencesUrl: string }) {
  const t = messages(lang).couponPage;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <Notice>{again ? t.again : t.done}</Notice>
      <p><a href={preferencesUrl}>{t.preferences}</a></p>
    </Layout>
  );
}
