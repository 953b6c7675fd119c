// Campaigns: an audience, a template and a topic; launched into the ledger, sent by the sender, previewed before.
export { AudienceSchema, type Audience } from './audience.js';
export { campaignsRouter } from './campaigns.handlers.js';
export * as campaignRoutes from './campaigns.routes.js';
export { getCampaign, getCampaignRecord, launchCampaign, summarise, type CampaignCounts } from './campaigns.service.js';
export { previewCampaign } from './preview.service.js';
export { resumeSending } from './resume.js';
export { finishIfDone, openSender, sendCampaign, sendNextBatch, type BatchOutcome, type SenderContext } from './sender.js';
export { testSendRouter } from './test-send.handlers.js';
