// The suppression list: addresses never sent to, transactional mail included, matched by hash.
export {
  addressHashSql, eraseAddress, hashAddress, isSuppressedSql, normaliseAddress, softBounceCount, suppressedSet,
  SUPPRESSION_CHANNELS, SUPPRESSION_REASONS, type SuppressionChannel,
} from './suppressions.repository.js';
export { applyDeliveryEvent, DEFAULT_SOFT_BOUNCE_LIMIT, type DeliveryEventOutcome } from './delivery-events.service.js';
export { suppressionsRouter } from './suppressions.handlers.js';
export * as suppressionRoutes from './suppressions.routes.js';
