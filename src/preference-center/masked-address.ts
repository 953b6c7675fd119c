// The addresses a page reached by a link is about, masked: the person recognises theirs, whoever else got the link
// learns little.
import { postsToEndpoint, type ChannelName } from '../channels/index.js';
import { maskEmail, maskPhone } from '../pages/index.js';

export interface MaskableContact {
  email: string | null;
  phone: string | null;
  address: unknown;
}

/** The contact's address on `channel`, masked; undefined when there is none. Postal: the postcode and city only. */
export function maskedAddress(contact: MaskableContact, channel: ChannelName): string | undefined {
  if (channel === 'email') return contact.email ? maskEmail(contact.email) : undefined;
  if (channel === 'sms') return contact.phone ? maskPhone(contact.phone) : undefined;
  // A webhook reaches the person through an integrator's app: there is no address of theirs to show.
  if (postsToEndpoint(channel)) return undefined;
  const postal = (contact.address ?? {}) as { postal_code?: unknown; city?: unknown };
  const place = [postal.postal_code, postal.city].filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  return place ? `•••, ${place}` : undefined;
}

/** Every masked address of the contact on `channels`, as one list in the reader's language ("a et b", "a and b"). */
export function maskedAddressList(contact: MaskableContact, channels: readonly ChannelName[], lang: string): string {
  const masked = channels.map((ch) => maskedAddress(contact, ch)).filter((a): a is string => a !== undefined);
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(masked);
}
