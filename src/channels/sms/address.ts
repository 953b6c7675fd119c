import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** A phone in E.164, read in `country` when written nationally ("06 12 34 56 78"); undefined when invalid. */
export function normalisePhone(raw: string, country: string = 'FR'): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), country as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : undefined;
}

/** The country of an E.164 number (FR, CA…), or undefined when it names none. */
export function countryOfPhone(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
