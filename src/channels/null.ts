// Transports that accept every message and keep nothing: for benchmarks (the engine's own cost, with no provider in the
// way) and dry runs (a campaign goes through consent, caps, quiet hours, rendering and the ledger, and no one gets it).
import type { PostalTransport } from './postal/types.js';
import type { EmailTransport, SmsTransport } from './types.js';

export function createNullEmailTransport(): EmailTransport {
  return { name: 'null', async send(message) { return { providerMessageId: `null-${message.messageId}` }; } };
}

export function createNullSmsTransport(): SmsTransport {
  return { name: 'null', async send(message) { return { providerMessageId: `null-${message.messageId}` }; } };
}

export function createNullPostalTransport(): PostalTransport {
  return {
    name: 'null',
    async send(batch) {
      return { providerMessageId: `null-${batch.key}`, letters: Object.fromEntries(batch.letters.map((l) => [l.messageId, `null-${l.messageId}`])) };
    },
  };
}

/** The Worker has no outbox folder: without a print house, letters fail clearly. */
export function createUnconfiguredPostalTransport(): PostalTransport {
  return {
    name: 'none',
    async send() {
      throw new Error('No print house is configured (set PRINT_HOUSE_URL and PRINT_HOUSE_API_KEY)');
    },
  };
}
