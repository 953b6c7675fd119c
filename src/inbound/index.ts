// What comes back from providers and people: delivery reports (SES through SNS) and SMS replies and keywords.
export { sesWebhookRouter } from './ses-webhook.handlers.js';
export { smsInboundRouter } from './sms-inbound.handlers.js';
export { handleSesNotification } from './delivery-reports.service.js';
export { handleInboundSms, smsKeyword } from './sms-inbound.service.js';
export { webhookRoutes } from './webhooks.routes.js';
