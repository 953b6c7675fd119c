// Normalising a contact's own fields: email, phone (E.164), locale, timezone, address.
import type { CountryCode } from 'libphonenumber-js/max';
import { normaliseEmail, normalisePhone } from '../channels/index.js';
import type { FieldProblem } from '../errors.js';
import { countryCode } from './countries.js';

export { normaliseEmail, normalisePhone };

// Up to four address lines (AFNOR NF Z10-011: delivery point, building, street, locality or PO box), then the postcode
// and city; `region` is for Canada's provinces.
export const ADDRESS_FIELDS = ['line1', 'line2', 'line3', 'line4', 'postal_code', 'city', 'region', 'country'] as const;
export type Address = Partial<Record<(typeof ADDRESS_FIELDS)[number], string | null>>;

/**
 * The longest value of each field, in characters: the JSON API's schemas and the CSV import both read them here.
 * A country may be given by name ("Royaume-Uni"); it is stored as its two-letter code.
 */
export const FIELD_LIMITS = {
  email: 254, phone: 32, external_id: 200, first_name: 200, last_name: 200, locale: 10, timezone: 64,
} as const;
export const ADDRESS_LIMITS: Record<(typeof ADDRESS_FIELDS)[number], number> = {
  line1: 200, line2: 200, line3: 200, line4: 200, postal_code: 20, city: 100, region: 100, country: 100,
};

/** Fields a template can merge and a segment can filter on, besides `attributes.*`. */
export const CONTACT_FIELDS = [
  'id', 'external_id', 'email', 'phone', 'first_name', 'last_name', 'locale', 'timezone', 'address',
  ...ADDRESS_FIELDS.map((f) => `address.${f}`), 'created_at', 'updated_at',
] as const;

const LOCALE = /^(fr|en)(-[A-Z]{2})?$/;

export function defaultCountry(locale?: string | null, country?: string | null): CountryCode {
  const c = (country ?? '').trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(c)) return c as CountryCode;
  const region = locale?.split('-')[1];
  return (region && /^[A-Z]{2}$/.test(region) ? region : 'FR') as CountryCode;
}

export function normaliseLocale(raw: string): string | undefined {
  const [lang, region] = raw.trim().replace('_', '-').split('-');
  const s = region ? `${lang.toLowerCase()}-${region.toUpperCase()}` : lang.toLowerCase();
  return LOCALE.test(s) ? s : undefined;
}

export function isTimezone(raw: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return raw.includes('/') || raw === 'UTC';
  } catch {
    return false;
  }
}

export interface ContactFieldsInput {
  email?: string | null;
  phone?: string | null;
  external_id?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  locale?: string | null;
  timezone?: string | null;
  address?: (Address & { postcode?: string | null }) | null;
}

export type ContactFields = { [K in keyof ContactFieldsInput]: Exclude<ContactFieldsInput[K], undefined> } & { address?: Address | null };

/** Validates and normalises the fields present; absent fields stay absent (left unchanged on update). */
export function normaliseContactFields(given: ContactFieldsInput): { fields: ContactFields; problems: FieldProblem[] } {
  const input = { ...given };
  const fields: ContactFields = {};
  const problems: FieldProblem[] = [];
  const text = (v: string | null | undefined) => (v == null ? v : v.trim() === '' ? null : v.trim());
  const tooLong = (field: string, v: string | null | undefined, max: number) => {
    if (!v || v.length <= max) return false;
    problems.push({ field, message: `must be at most ${max} characters` });
    return true;
  };
  for (const key of Object.keys(FIELD_LIMITS) as Array<keyof typeof FIELD_LIMITS>) {
    if (tooLong(key, text(input[key]), FIELD_LIMITS[key])) delete input[key];
  }

  if (input.email !== undefined) {
    const e = text(input.email);
    if (e == null) fields.email = null;
    else {
      const email = normaliseEmail(e);
      if (email) fields.email = email;
      else problems.push({ field: 'email', message: `"${e}" is not a valid email address` });
    }
  }
  for (const key of ['external_id', 'first_name', 'last_name'] as const) {
    if (input[key] !== undefined) fields[key] = text(input[key]) ?? null;
  }
  if (input.locale !== undefined && text(input.locale) != null) {
    const locale = normaliseLocale(input.locale!);
    if (locale) fields.locale = locale;
    else problems.push({ field: 'locale', message: `"${input.locale}" is not a supported locale (fr, en, fr-CA, en-CA, …)` });
  }
  if (input.timezone !== undefined && text(input.timezone) != null) {
    const tz = input.timezone!.trim();
    if (isTimezone(tz)) fields.timezone = tz;
    else problems.push({ field: 'timezone', message: `"${tz}" is not an IANA time zone such as Europe/Paris` });
  }
  if (input.address !== undefined) {
    if (input.address === null) fields.address = null;
    else {
      const address: Address = {};
      // `postcode` is read as postal_code (the word most address APIs use); postal_code wins when both are given.
      const given = { ...input.address, postal_code: input.address.postal_code ?? input.address.postcode };
      for (const key of ADDRESS_FIELDS) {
        const v = text(given[key]);
        if (v && !tooLong(`address.${key}`, v, ADDRESS_LIMITS[key])) address[key] = v;
      }
      if (address.country) {
        const code = countryCode(address.country);
        if (code) address.country = code;
        else {
          problems.push({ field: 'address.country', message: `"${address.country}" is not a country: give its name (France, Canada…) or its ISO code (FR, CA…)` });
          delete address.country;
        }
      }
      fields.address = Object.keys(address).length ? address : null;
    }
  }
  if (input.phone !== undefined) {
    const p = text(input.phone);
    if (p == null) fields.phone = null;
    else {
      const phone = normalisePhone(p, defaultCountry(fields.locale ?? input.locale, fields.address?.country ?? input.address?.country));
      if (phone) fields.phone = phone;
      else problems.push({ field: 'phone', message: `"${p}" is not a valid phone number` });
    }
  }
  return { fields, problems };
}
