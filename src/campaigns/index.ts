// Campaigns: an audience, a template and a topic; launched into the ledger, sent by the sender, previewed before.
export { AbTestViewSchema } from './ab-test.js';
export * as abTestRoutes from './ab-test.routes.js';
export { campaignAbTest } from './ab-test.service.js';
export { AudienceSchema, type Audience } from './audience.js';
export { campaignsRouter } from './campaigns.handlers.js';
export * as campaignRoutes from './campaigns.routes.js';
export { getCampaign, getCampaignRecord, launchCampaign, summarise, type CampaignCounts } from './campaigns.service.js';
export { previewCampaign } from './preview.service.js';
export { resumeSending } from './resume.js';
export { schedulesRouter } from './schedules.handlers.js';
export * as scheduleRoutes from './schedules.routes.js';
export { runDueSchedules } from './schedules.service.js';
export { consumeDescriptors, type QueueMessage } from './queue-sender.js';
export { finishIfDone, openSender, sendCampaign, sendNextBatch, type BatchOutcome, type SenderContext } from './sender.js';
export { testSendRouter } from './test-send.handlers.js';
export { callsRouter } from './calls.handlers.js';
export * as callRoutes from './calls.routes.js';
export { exportContactCalls, scrubContactCalls } from './calls.repository.js';
