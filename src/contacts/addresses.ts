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
  postal_code?: string | null;
  city?: string | null;
  country?: string | null;
}

/** The contact's address on a channel as one string, or null when it has none (postal: line1 and city needed). */
export function addressOf(contact: AddressedContact, channel: ChannelName): string | null {
  const column = CHANNELS[channel].address.column;
  // A channel that reaches the contact itself (a webhook): every contact has that address.
  if (column === 'id') return contact.id === undefined ? null : String(contact.id);
  if (column !== 'address') return contact[column] ?? null;
  const a = (contact.address ?? {}) as PostalAddress;
  if (!a.line1 || !a.city) return null;
  return [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

/** SQL: the same, for contacts aliased `alias`; matches addressOf() for email and SMS, and null-ness for postal. */
export function addressSql(channel: ChannelName, alias = 'c'): RawBuilder<string | null> {
  const column = CHANNELS[channel].address.column;
  if (column === 'id') return sql<string | null>`${sql.ref(`${alias}.id`)}::text`;
  if (column !== 'address') return sql<string | null>`${sql.ref(`${alias}.${column}`)}`;
  const a = sql.ref(`${alias}.address`);
  return sql<string | null>`(case when ${a} ->> 'line1' is not null and ${a} ->> 'city' is not null then
    concat_ws(', ', ${a} ->> 'line1', ${a} ->> 'line2', nullif(concat_ws(' ', ${a} ->> 'postal_code', ${a} ->> 'city'), ''), ${a} ->> 'country') end)`;
}
