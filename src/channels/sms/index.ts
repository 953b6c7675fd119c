// The SMS channel: an E.164 phone per contact, text templates, Twilio, AWS End User Messaging or the outbox.
import type { ChannelDefinition, Envelope, Senders, SmsContent, SmsMessage, Weekday } from '../types.js';
import { countryOfPhone, normalisePhone } from './address.js';

export const sms = {
  name: 'sms' as const,
  address: { column: 'phone' as const, normalise: (raw: string, country?: string) => normalisePhone(raw, country ?? 'FR'), loose: (raw: string) => raw.replace(/[\s.()-]/g, '') },
  suppressible: true as const,
  // At most two a month: SMS is read about 93% of the time (DOMAIN.md, marketing pressure).
  defaultCap: { max: 2, period: 'calendar_month' as const },
  // French practice: Monday to Saturday, 08:00–20:00, never on Sundays or public holidays.
  defaultQuietHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as Weekday[], from: '08:00', to: '20:00', skip_holidays: true },
  content: 'text' as const,
  segmented: true as const,
  compose(content: SmsContent, envelope: Envelope, senders: Senders): SmsMessage {
    return {
      messageId: envelope.messageId,
      // A reply goes from the number it answers; otherwise the destination country's sender, where one is set (a
      // sender id is not allowed everywhere: Canada takes numbers only).
      from: envelope.from ?? (senders.sms.byCountry && Object.keys(senders.sms.byCountry).length ? senders.sms.byCountry[countryOfPhone(envelope.to) ?? ''] : undefined) ?? senders.sms.from,
      to: envelope.to,
      text: content.text,
      encoding: content.encoding,
      segments: content.segments,
    };
  },
} satisfies ChannelDefinition<SmsContent, SmsMessage>;

export { normalisePhone };
export { smsSegments, type SmsSegments } from './segments.js';
