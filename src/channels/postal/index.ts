// Postal mail: consent and caps already apply; templates and print transports come with the postal channel.
import type { ChannelDefinition } from '../types.js';

export const postal = {
  name: 'postal' as const,
  // The contact's address jsonb: reachable when it has line1 and city.
  address: { column: 'address' as const, normalise: (raw: string) => raw.trim() || undefined, loose: (raw: string) => raw.trim() },
  suppressible: false as const,
  defaultCap: { max: 2, period: 'calendar_month' as const },
} satisfies ChannelDefinition;
