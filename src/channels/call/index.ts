// Phone calls from a call centre: a campaign on this channel puts each recipient on its call list, with their script
// (the template's text, merged) and phone; agents claim calls and record outcomes (campaigns/calls.*). Nothing is
// handed to a provider: the agents are the transport. French rules by default, as caps and quiet hours: calls on
// weekdays 10:00–13:00 and 14:00–20:00, never on public holidays, at most 4 attempts per contact in 30 days; a number
// on the opposition list (Bloctel) is suppressed for calls.
import type { ChannelDefinition, Envelope, Weekday } from '../types.js';
import { normalisePhone } from '../sms/address.js';

/** A call as the call list holds it: who to call, on which number, with which script. */
export interface CallTask {
  messageId: string;
  phone: string;
  script: string;
}

export interface CallContent {
  text: string;
}

export const call = {
  name: 'call' as const,
  address: { column: 'phone' as const, normalise: (raw: string, country?: string) => normalisePhone(raw, country ?? 'FR'), loose: (raw: string) => raw.replace(/[\s.()-]/g, '') },
  // The suppression list holds the numbers of people who objected to canvassing calls (Bloctel, or by hand).
  suppressible: true as const,
  // Code de la consommation (décret 2022-1313): at most 4 calls in 30 days to a consumer who refused none.
  defaultCap: { max: 4, period: 'rolling_days' as const, days: 30 },
  // The same decree: weekdays 10:00–13:00 and 14:00–20:00, never on Saturdays, Sundays or public holidays.
  defaultQuietHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[], from: '10:00', to: '20:00', breaks: [{ from: '13:00', to: '14:00' }], skip_holidays: true },
  content: 'text' as const,
  delivery: 'agents' as const,
  compose(content: CallContent, envelope: Envelope): CallTask {
    return { messageId: envelope.messageId, phone: envelope.to, script: content.text };
  },
} satisfies ChannelDefinition<CallContent, CallTask>;
