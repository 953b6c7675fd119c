// A template's content in several languages: which one a contact gets, and how its dates and money read.
import { DEFAULT_CURRENCY } from './render/helpers.js';

/** How counts and previews name the template's own content (the one that is not a variant). */
export const DEFAULT_VARIANT = 'default';

const language = (locale: string) => locale.toLowerCase().split('-')[0];
const regionOf = (locale: string | null | undefined) => {
  const region = (locale ?? '').split('-')[1];
  return region && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : undefined;
};

/**
 * The variant for a contact's locale among a template's contents (its default one included): the same locale
 * (fr-CA), else its language (fr), else another content in that language (en-CA for en-GB). Undefined means the
 * default content: it matched first, or nothing did.
 */
export function chooseVariant<V extends { locale: string }>(
  content: { locale?: string | null; variants?: readonly V[] },
  contactLocale: string | null | undefined,
): V | undefined {
  const variants = content.variants ?? [];
  if (!variants.length || !contactLocale) return undefined;
  const wanted = contactLocale.toLowerCase();
  const lang = language(wanted);
  const base = content.locale?.toLowerCase();
  const steps: ((locale: string) => boolean)[] = [(l) => l === wanted, (l) => l === lang, (l) => language(l) === lang];
  for (const matches of steps) {
    if (base && matches(base)) return undefined;
    const found = variants.find((v) => matches(v.locale.toLowerCase()));
    if (found) return found;
  }
  return undefined;
}

/** The name counts use: the variant's locale, or "default". */
export function variantKey(content: { locale?: string | null; variants?: readonly { locale: string }[] }, contactLocale: string | null | undefined): string {
  return chooseVariant(content, contactLocale)?.locale ?? DEFAULT_VARIANT;
}

// Where our users are, and their neighbours; any other region pays in the default currency unless a template says.
const EURO = ['FR', 'BE', 'LU', 'MC', 'DE', 'AT', 'NL', 'IT', 'ES', 'PT', 'IE', 'FI', 'GR', 'SK', 'SI', 'EE', 'LV', 'LT', 'MT', 'CY', 'HR', 'AD', 'SM', 'VA', 'RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'BL', 'MF'];
const CURRENCIES: Record<string, string> = {
  ...Object.fromEntries(EURO.map((c) => [c, 'EUR'])),
  CA: 'CAD', US: 'USD', GB: 'GBP', CH: 'CHF', MA: 'MAD', TN: 'TND', SN: 'XOF', CI: 'XOF',
};

/**
 * How a message formats dates, numbers and money: in the content's language (not the contact's, when they
 * differ), with the contact's region (its address country, else its locale's region) for conventions and currency.
 */
export function formatFor(
  contentLocale: string | null | undefined,
  recipient: { locale?: unknown; address?: unknown },
): { locale?: string; currency?: string } {
  const country = (recipient.address as { country?: unknown } | null | undefined)?.country;
  const region =
    (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country.trim()) ? country.trim().toUpperCase() : undefined) ??
    regionOf(typeof recipient.locale === 'string' ? recipient.locale : undefined) ??
    regionOf(contentLocale);
  const currency = region ? CURRENCIES[region] ?? DEFAULT_CURRENCY : undefined;
  if (!contentLocale) return { currency };
  return { locale: region ? `${language(contentLocale)}-${region}` : contentLocale, currency };
}
