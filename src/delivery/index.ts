// Delivery: the ledger of every message, why a recipient is held back, and handing messages to transports.
export {
  CONSENT_LABELS, CONSENT_REASONS, holdBackParts, recipientsSql, tallyOutcomes,
  type HoldBackReason, type OutcomeRow, type SendTarget, type Tally,
} from './hold-backs.js';
export {
  campaignOutcomes, cancelPending, claimPending, contactMessageAddresses, contactMessages, findMessageByPublicId, findMessagesByIds, findMessagesByProviderIds, findMessagesByPublicIds, lastSentCampaignMessage, hasUnfinished,
  insertSnapshot, markMessage, markMessages, markSent, recoverExpiredClaims, releaseAbRest, releaseClaims, scrubContactMessages, type IdRange, type MessageChange, type SentOutcome,
} from './ledger.repository.js';
export { isThrottling, reportThrottled, SendPacer, takeTokens, type RateSettings } from './send-rate.js';
export {
  createCloudflareSendQueue, descriptorOf, isSendDescriptor, rangeOf, type SendDescriptor, type SendQueue, type SendQueueBinding,
} from './send-queue.js';
export { dueRanges, hasDueOrClaimed } from './send-queue.repository.js';
export { recipientsAtHandOver, type RecipientRow } from './recipients.repository.js';
export { deliverSystemMessages, queueSystemMessage, type SystemMessage } from './system-messages.service.js';
export { MESSAGE_STATES, messageState, type LedgerState, type MessageState } from './message-state.js';
export { webhookEndpointsRouter } from './webhook-endpoints.handlers.js';
export * as webhookEndpointRoutes from './webhook-endpoints.routes.js';
export { findEndpoint, payloadContact, visibleContact } from './webhook-endpoints.service.js';
export type { EndpointRow } from './webhook-endpoints.repository.js';
