export {
  acceptHit, acceptShortLinkHit, instrumentSms, recordMessageLinks, trackHtml, type MessageLinks, type TrackedMessage,
} from './tracking.service.js';
export { ingestHits, isRawHit, type HitQueue, type RawHit } from './ingest.js';
export { createBufferedHitWriter, createQueueHitWriter, type HitQueueBinding } from './hit-writer.js';
export { classifyHit, RULES as TRACKING_RULES, type ClassifierSettings } from './classify.js';
export { hitCounts, clicksByLink, scrubContactTracking } from './tracking.repository.js';
export { trackingRouter } from './tracking.handlers.js';
export { trackingRoutes } from './tracking.routes.js';
export { recordProviderEvent, type ProviderEventResult } from './provider-events.service.js';
export { applyEngagement, METRICS, type EngagementFact, type Metric } from './engagement.js';
export { eventsRouter } from './events.handlers.js';
export { responsesRouter } from './responses.handlers.js';
export { attributeCallOrders, attributeConversions, DEFAULT_ATTRIBUTION, type AttributionRule } from './conversions.service.js';
export { issueResponseCode, recordResponse, recordScannedCoupon, responseCodesFor, type RecordedResponse } from './responses.service.js';
export { scrubContactResponses } from './responses.repository.js';
export { reclassifyRouter } from './reclassify.handlers.js';
export { reclassifyAndAudit, reclassifyCampaign, type Reclassified } from './reclassify.js';
export { exportContactHits } from './tracking.repository.js';
export { exportContactResponses } from './responses.repository.js';
export { pruneOldHits } from './prune.js';
