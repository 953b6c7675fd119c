// What a template sees of a recipient: the contact's fields by name, attributes under `attributes`.
import type { ContactRecord } from '../contacts/index.js';
import type { MergeData } from './render/types.js';

export type MergeContact = ContactRecord;

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
