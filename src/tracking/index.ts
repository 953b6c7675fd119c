export { acceptHit, acceptShortLinkHit, instrumentMessage, instrumentSms, type TrackedMessage } from './tracking.service.js';
export { ingestHits, isRawHit, type HitQueue, type RawHit } from './ingest.js';
export { createBufferedHitWriter, createQueueHitWriter, type HitQueueBinding } from './hit-writer.js';
export { classifyHit, RULES as TRACKING_RULES, type ClassifierSettings } from './classify.js';
export { hitCounts, clicksByLink, scrubContactTracking } from './tracking.repository.js';
export { trackingRouter } from './tracking.handlers.js';
export { trackingRoutes } from './tracking.routes.js';
export { recordProviderEvent, type ProviderEventResult } from './provider-events.service.js';
export { applyEngagement, METRICS, type EngagementFact, type Metric } from './engagement.js';
