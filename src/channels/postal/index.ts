// Postal mail: letters from MJML templates laid out for A4, printed a batch at a time into one PDF and its manifest
// (print.ts), handed to the outbox or a print house. A letter's address block is the contact's postal address; a
// contact without a complete one (a first line, a postcode, a city) is skipped as no_address. No quiet hours: a letter
// is not read the moment it is printed.
import type { ChannelDefinition, EmailContent, Envelope } from '../types.js';
import type { PostalLetter } from './types.js';

export const postal = {
  name: 'postal' as const,
  // The contact's address jsonb: reachable when it has line1, postal_code and city.
  address: { column: 'address' as const, normalise: (raw: string) => raw.trim() || undefined, loose: (raw: string) => raw.trim() },
  suppressible: false as const,
  defaultCap: { max: 2, period: 'calendar_month' as const },
  // An MJML template with a subject, as email: the subject is the letter's object line, its text the letter.
  content: 'email' as const,
  delivery: 'batch' as const,
  compose(content: EmailContent, envelope: Envelope): PostalLetter {
    if (!envelope.letter) throw new Error('A letter needs its address block');
    const { contactId, lang, lines, coupon } = envelope.letter;
    return { messageId: envelope.messageId, contactId, lang, addressLines: lines, subject: content.subject, text: content.text, ...(coupon ? { coupon } : {}) };
  },
} satisfies ChannelDefinition<EmailContent, PostalLetter>;

export { createPrintHouseTransport, type PrintHouseOptions } from './print-house.js';
export { readPrintHouseEvent, RETURNED_REASON, type PrintHouseEvent } from './print-house-events.js';
export type { PostalBatch, PostalLetter, PostalResult, PostalTransport, PrintedBatch, PrintOptions } from './types.js';
