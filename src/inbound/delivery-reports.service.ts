// SES delivery reports through SNS: read by the SES adapter, recorded per message by tracking, applied by the
// suppression list. Each SNS message is processed once: its id is recorded in the same transaction as its effects,
// so a redelivery finds it and stops.
import { parseSesEvent, type PrintHouseEvent } from '../channels/index.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { applyDeliveryEvent, type DeliveryEventOutcome } from '../suppressions/index.js';
import { recordProviderEvent, type ClassifierSettings, type ProviderEventResult } from '../tracking/index.js';
import { handleInboundMime, type InboundEmailAction } from './email-inbound.service.js';
import { markProviderEvent } from './provider-events.repository.js';

export interface DeliveryReportOutcome extends Partial<DeliveryEventOutcome> {
  duplicate: boolean;
  type: string | null;
  /** What became of it for its message: recorded, or no message of ours has the id it names. */
  message?: ProviderEventResult;
  /** Mail received (SES inbound): what became of it as a reply. */
  reply?: InboundEmailAction;
}

export async function handleSesNotification(
  db: Executor,
  notification: { snsMessageId: string; message: string },
  options: { at: Date; softBounceLimit?: number; classifier?: ClassifierSettings },
): Promise<DeliveryReportOutcome> {
  const event = parseSesEvent(notification.message);
  const type = event ? (event.type === 'other' ? event.name : event.type) : null;
  return inTransaction(db, async (trx) => {
    if (!(await markProviderEvent(trx, 'sns', notification.snsMessageId, options.at))) return { duplicate: true, type };
    if (!event) return { duplicate: false, type };
    if (event.type === 'received') {
      if (!event.raw) return { duplicate: false, type };
      const { action } = await handleInboundMime(trx, event.raw, event.recipients, `ses:${notification.snsMessageId}`, options.at);
      return { duplicate: false, type, reply: action };
    }
    const message = await recordProviderEvent(trx, notification.snsMessageId, event, { receivedAt: options.at, classifier: options.classifier });
    return { duplicate: false, type, message, ...(await applyDeliveryEvent(trx, event, options)) };
  });
}

/** A print house's status callback (signature already checked): processed once by its webhook-id. */
export async function handlePrintHouseEvent(db: Executor, read: PrintHouseEvent, options: { at: Date }): Promise<DeliveryReportOutcome> {
  const { event } = read;
  const type = event.type === 'other' ? event.name : event.type;
  return inTransaction(db, async (trx) => {
    if (!(await markProviderEvent(trx, 'print-house', read.id, options.at))) return { duplicate: true, type };
    const message = await recordProviderEvent(trx, `print-house:${read.id}`, event, { receivedAt: options.at, byPublicId: read.reference });
    return { duplicate: false, type, message };
  });
}
