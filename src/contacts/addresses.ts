// The one definition of "this channel's address for this contact", read from the channel registry.
import { sql, type RawBuilder } from 'kysely';
import { CHANNELS, type ChannelName } from '../channels/index.js';

/** A contact as messages see it: its own fields, address and attributes (what templates merge, senders address). */
export interface ContactRecord {
  id: number;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string;
  timezone: string;
  address: unknown;
  attributes: unknown;
}

export interface AddressedContact {
  id?: number | string;
  email: string | null;
  phone: string | null;
  address: unknown;
}

interface PostalAddress {
  line1?: string | null;
  line2?: string | null;
  line3?: string | null;
  line4?: string | null;
  postal_code?: string | null;
  city?: string | null;
  country?: string | null;
}

/** The address lines of a postal address, in order, without the blank ones. */
const LINES = ['line1', 'line2', 'line3', 'line4'] as const;

/**
 * The contact's address on a channel as one string, or null when it has none. A postal address is complete with a
 * first line, a postcode and a city: anything less does not reach a letterbox.
 */
export function addressOf(contact: AddressedContact, channel: ChannelName): string | null {
  const column = CHANNELS[channel].address.column;
  // A channel that reaches the contact itself (a webhook): every contact has that address.
  if (column === 'id') return contact.id === undefined ? null : String(contact.id);
  if (column !== 'address') return contact[column] ?? null;
  const a = (contact.address ?? {}) as PostalAddress;
  if (!a.line1 || !a.postal_code || !a.city) return null;
  return [...LINES.map((l) => a[l]), `${a.postal_code} ${a.city}`, a.country].filter(Boolean).join(', ');
}

/** SQL: the same, for contacts aliased `alias`. */
export function addressSql(channel: ChannelName, alias = 'c'): RawBuilder<string | null> {
  const column = CHANNELS[channel].address.column;
  if (column === 'id') return sql<string | null>`${sql.ref(`${alias}.id`)}::text`;
  if (column !== 'address') return sql<string | null>`${sql.ref(`${alias}.${column}`)}`;
  const a = sql.ref(`${alias}.address`);
  return sql<string | null>`(case when ${a} ->> 'line1' <> '' and ${a} ->> 'postal_code' <> '' and ${a} ->> 'city' <> '' then
    concat_ws(', ', ${a} ->> 'line1', nullif(${a} ->> 'line2', ''), nullif(${a} ->> 'line3', ''), nullif(${a} ->> 'line4', ''),
      concat_ws(' ', ${a} ->> 'postal_code', ${a} ->> 'city'), nullif(${a} ->> 'country', '')) end)`;
}

/**
 * The block printed in an envelope's window (AFNOR NF Z10-011): the addressee, the address lines, the postcode and
 * the city in capitals, and for mail abroad the country in capitals, named in the sender's language. Undefined when
 * the address is not complete.
 */
export function postalAddressBlock(contact: AddressedContact & { first_name?: string | null; last_name?: string | null }, fromCountry: string): string[] | undefined {
  const a = (contact.address ?? {}) as PostalAddress;
  if (!a.line1 || !a.postal_code || !a.city) return undefined;
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
  const country = a.country && a.country.toUpperCase() !== fromCountry.toUpperCase() ? countryName(a.country, fromCountry) : undefined;
  return [name, ...LINES.map((l) => a[l]), `${a.postal_code} ${a.city.toUpperCase()}`, country].filter((l): l is string => !!l && l.trim() !== '');
}

function countryName(code: string, fromCountry: string): string {
  try {
    const name = new Intl.DisplayNames([fromCountry.toUpperCase() === 'FR' ? 'fr' : 'en'], { type: 'region' }).of(code.toUpperCase());
    return (name ?? code).toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}
