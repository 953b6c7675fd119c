// Plain-text alternative of an email, from its HTML (merged or not).
import { compile } from 'html-to-text';
import { protectTokens, restoreTokens } from './mjml.js';

const noUppercase = { uppercase: false }; // upper-casing would also hit {{tokens}} and names

const convert = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkIfSameAsText: true } },
    // MJML's hidden preheader (<mj-preview>) is not part of the body.
    { selector: 'div[style*="display:none"]', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: noUppercase })),
  ],
});

/** Links render as `text [url]`, images are skipped, Handlebars tokens are never wrapped or altered. */
export function htmlToText(html: string): string {
  // MJML's nested layout tables leave runs of blank lines.
  const tidy = (text: string) => text.replace(/\n[ \t]*\n(?:[ \t]*\n)+/g, '\n\n').trim();
  if (!html.includes('{{')) return tidy(convert(html));
  const { text, tokens } = protectTokens(html);
  return restoreTokens(tidy(convert(text)), tokens).text;
}
