// What a template sees of a recipient: the contact's fields by name, attributes under `attributes`.
import type { MergeData } from './render/types.js';

export interface MergeContact {
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

/** Names a template may use besides contact fields and attributes; the sender provides them. */
export const MESSAGE_FIELDS = ['unsubscribe_url', 'preferences_url', 'brand_name', 'campaign_name'] as const;

export function mergeData(contact: MergeContact, extra: Partial<Record<(typeof MESSAGE_FIELDS)[number], string>> = {}): MergeData {
  return {
    id: contact.id,
    external_id: contact.external_id,
    email: contact.email,
    phone: contact.phone,
    first_name: contact.first_name,
    last_name: contact.last_name,
    locale: contact.locale,
    timezone: contact.timezone,
    address: (contact.address as Record<string, string> | null) ?? {},
    attributes: (contact.attributes as Record<string, unknown> | null) ?? {},
    ...extra,
  };
}
