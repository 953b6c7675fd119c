// What comes back from providers and people: delivery reports (SES through SNS), SMS replies and keywords, email replies.
export { sesWebhookRouter } from './ses-webhook.handlers.js';
export { smsInboundRouter } from './sms-inbound.handlers.js';
export { emailInboundRouter } from './email-inbound.handlers.js';
export { printHouseWebhookRouter } from './print-house.handlers.js';
export { handleInboundEmail } from './email-inbound.service.js';
export { handleSesNotification } from './delivery-reports.service.js';
export { handleInboundSms, smsKeyword } from './sms-inbound.service.js';
export { webhookRoutes } from './webhooks.routes.js';
