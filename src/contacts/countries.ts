// Countries as people write them in a customer file or a form: ISO codes (FR, FRA) or names in French or English
// ("France", "Belgique", "Royaume-Uni", "United Kingdom", "UK"), to the ISO 3166-1 alpha-2 code that is stored.
// Names come from i18n-iso-countries (with its English aliases) and from the runtime's Intl region names.
import * as countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };

countries.registerLocale(en);
countries.registerLocale(fr);

let byName: Map<string, string> | undefined;

/** Lower case, no accents, no punctuation, no leading article: "la Côte-d’Ivoire" → "cote d ivoire". */
function nameKey(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^(the|le|la|les|l) /, '');
}

function names(): Map<string, string> {
  if (byName) return byName;
  const table = new Map<string, string>();
  const add = (name: string | undefined, code: string) => {
    const key = name && nameKey(name);
    if (key && !table.has(key)) table.set(key, code);
  };
  const codes = Object.keys(countries.getAlpha2Codes());
  for (const lang of ['fr', 'en']) {
    for (const [code, all] of Object.entries(countries.getNames(lang, { select: 'all' }))) for (const name of all) add(name, code);
    try {
      const intl = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
      for (const code of codes) add(intl.of(code), code);
    } catch {
      // A runtime without region names: the library's names are enough.
    }
  }
  byName = table;
  return table;
}

/** The ISO 3166-1 alpha-2 code for a code or a name, or undefined when it is neither. */
export function countryCode(raw: string): string | undefined {
  const s = raw.trim();
  const upper = s.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper) && countries.isValid(upper)) return countries.alpha3ToAlpha2(upper);
  return names().get(nameKey(s));
}
