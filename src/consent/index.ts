// Consent: topics, subscriptions per contact, channel and topic, the append-only consent records, double opt-in.
export {
  findTopic, findTopicByKey, insertTopic, listSubscriptions, listTopics, setPausedUntil, topicsWithStatus,
  applyConsentChanges, type ConsentChange, type SubscriptionStatus,
} from './consent.repository.js';
export { recordConsent, restartSms, stopSms, unsubscribeEmailAddresses, unsubscribeFromChannel } from './consent.service.js';
export { claimConfirmation, confirmSubscription, requireConfirmation, unconfirmedToAsk } from './double-opt-in.service.js';
export { subscribedNowSql } from './subscribed-now.js';
export { SMS_KEYWORD_SOURCE } from './sms-keywords.repository.js';
export { topicName, topicNames, type TopicNames } from './topic-names.js';
export { topicsRouter } from './topics.handlers.js';
export * as topicRoutes from './topics.routes.js';
