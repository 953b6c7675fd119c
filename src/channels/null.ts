// Transports that accept every message and keep nothing: for benchmarks (the engine's own cost, with no provider in the
// way) and dry runs (a campaign goes through consent, caps, quiet hours, rendering and the ledger, and no one gets it).
import type { EmailTransport, SmsTransport } from './types.js';

export function createNullEmailTransport(): EmailTransport {
  return { name: 'null', async send(message) { return { providerMessageId: `null-${message.messageId}` }; } };
}

export function createNullSmsTransport(): SmsTransport {
  return { name: 'null', async send(message) { return { providerMessageId: `null-${message.messageId}` }; } };
}
