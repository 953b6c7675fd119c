import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Lang } from '../i18n/index.js';
import { pageStyle } from './style.js';
import { themeOf, type Brand } from './theme.js';

interface LayoutProps {
  lang: Lang;
  /** The page's one heading, and its title after the brand's name. */
  title: string;
  brand: Brand;
  children?: Child;
}

/**
 * Every page: its language, kept out of search engines (links carry personal tokens), the brand's name in a band
 * of its colour, one heading that repeats the title, and the shared stylesheet.
 */
export function Layout({ lang, title, brand, children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${title} · ${brand.name}`}</title>
          <style dangerouslySetInnerHTML={{ __html: pageStyle(themeOf(brand.color)) }} />
        </head>
        <body>
          <header class="masthead">
            <p>{brand.name}</p>
          </header>
          <main>
            <h1>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}
