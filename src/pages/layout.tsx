import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Lang } from '../i18n/index.js';
import { pageStyle } from './style.js';

/**
 * Every page: its language, kept out of search engines (links carry personal tokens), one heading that repeats
 * the title, and the shared stylesheet.
 */
export function Layout({ lang, title, children }: { lang: Lang; title: string; children?: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{title}</title>
          <style dangerouslySetInnerHTML={{ __html: pageStyle }} />
        </head>
        <body>
          <main>
            <h1>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}
