const UNSUBSCRIBE_TOKEN = /\{\{\{?~?\s*unsubscribe_url\s*~?\}?\}\}/;

/** Every marketing email shows an unsubscribe link; templates that forgot one get a discreet footer. */
export function withUnsubscribeFooter(html: string): string {
  if (UNSUBSCRIBE_TOKEN.test(html)) return html;
  const footer =
    '<div style="font-family:Arial,sans-serif;font-size:12px;color:#666;text-align:center;padding:16px">' +
    '<a href="{{unsubscribe_url}}" style="color:#666">Se désabonner · Unsubscribe</a></div>';
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : html + footer;
}
