import { inEveryLanguage } from '../i18n/index.js';

const UNSUBSCRIBE_TOKEN = /\{\{\{?~?\s*unsubscribe_url\s*~?\}?\}\}/;

/**
 * Every marketing email shows an unsubscribe link; templates that forgot one get a discreet footer, in both
 * languages because the content is frozen once for every recipient.
 */
export function withUnsubscribeFooter(html: string): string {
  if (UNSUBSCRIBE_TOKEN.test(html)) return html;
  const footer =
    '<div style="font-family:Arial,sans-serif;font-size:12px;color:#666;text-align:center;padding:16px">' +
    '<a href="{{unsubscribe_url}}" style="color:#666">' + inEveryLanguage((m) => m.unsubscribeLink) + '</a></div>';
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : html + footer;
}
