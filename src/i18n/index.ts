// Languages the platform speaks to people in, French (the default) and English, and everything it says to them.
// Infrastructure: imports no domain, so every layer can use it.
import { en } from './en.js';
import { fr } from './fr.js';
import type { Messages } from './messages.js';

export type { Messages };
export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

const CATALOGUE: Record<Lang, Messages> = { fr, en };

/** The language of a contact's locale (fr, fr-CA, en, en-CA…); French unless it is English. */
export function langOf(locale: string | null | undefined): Lang {
  return locale?.startsWith('en') ? 'en' : 'fr';
}

/** Everything said to people in one language. */
export function messages(lang: Lang): Messages {
  return CATALOGUE[lang];
}

/** One text in every language, French first, for what is written before the reader's language is known. */
export function inEveryLanguage(pick: (m: Messages) => string, separator = ' · '): string {
  return LANGS.map((lang) => pick(CATALOGUE[lang])).join(separator);
}
