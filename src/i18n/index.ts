// Languages the platform speaks to people in: French (the default) and English.
export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

/** The language of a contact's locale (fr, fr-CA, en, en-CA…); French unless it is English. */
export function langOf(locale: string | null | undefined): Lang {
  return locale?.startsWith('en') ? 'en' : 'fr';
}
