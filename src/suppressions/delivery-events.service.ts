// What delivery reports do to the suppression list and to consent. Providers' formats are read in channels/;
// this sees only normalised events. The caller records the provider's event id in the same transaction, so a
// redelivery changes nothing.
import type { DeliveryEvent } from '../channels/index.js';
import { unsubscribeEmailAddresses } from '../consent/index.js';
import type { Trx } from '../db/transaction.js';
import { addSuppression, countSoftBounce, hashAddress, resetSoftBounces } from './suppressions.repository.js';

export const DEFAULT_SOFT_BOUNCE_LIMIT = 3;

export interface DeliveryEventOutcome {
  suppressed: string[];
  softBounces: Record<string, number>;
  unsubscribed: number;
}

export interface DeliveryEventOptions {
  at: Date;
  /** Consecutive soft bounces that suppress an address. */
  softBounceLimit?: number;
}

/** Applies one email delivery event: hard bounces and complaints suppress, a run of soft bounces too. */
export async function applyDeliveryEvent(trx: Trx, event: DeliveryEvent, options: DeliveryEventOptions): Promise<DeliveryEventOutcome> {
  const outcome: DeliveryEventOutcome = { suppressed: [], softBounces: {}, unsubscribed: 0 };
  if (event.type === 'bounce') await bounce(trx, event, options, outcome);
  else if (event.type === 'complaint') await complaint(trx, event.recipients, options, outcome);
  else if (event.type === 'delivery') {
    await resetSoftBounces(trx, await Promise.all(event.recipients.map((e) => hashAddress('email', e))));
  }
  return outcome;
}

async function bounce(trx: Trx, b: Extract<DeliveryEvent, { type: 'bounce' }>, options: DeliveryEventOptions, outcome: DeliveryEventOutcome) {
  const limit = Math.max(1, options.softBounceLimit ?? DEFAULT_SOFT_BOUNCE_LIMIT);
  for (const address of b.recipients) {
    const hash = await hashAddress('email', address);
    if (b.permanent) {
      await addSuppression(trx, { channel: 'email', address, reason: 'hard_bounce', source: 'ses' });
      await resetSoftBounces(trx, [hash]);
      outcome.suppressed.push(address);
      continue;
    }
    // Only a run of soft bounces in a row says the address is dead.
    const consecutive = await countSoftBounce(trx, hash, options.at);
    outcome.softBounces[address] = consecutive;
    if (consecutive >= limit) {
      await addSuppression(trx, { channel: 'email', address, reason: 'soft_bounces', source: 'ses' });
      outcome.suppressed.push(address);
    }
  }
}

async function complaint(trx: Trx, addresses: string[], options: DeliveryEventOptions, outcome: DeliveryEventOutcome) {
  if (!addresses.length) return;
  for (const address of addresses) {
    await addSuppression(trx, { channel: 'email', address, reason: 'complaint', source: 'ses' });
    outcome.suppressed.push(address);
  }
  outcome.unsubscribed = await unsubscribeEmailAddresses(trx, addresses, 'complaint', options.at);
}
