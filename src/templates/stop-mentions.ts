// The configured SMS stop mentions, by language (SMS_STOP_MENTION, SMS_STOP_MENTION_EN).
import type { Config } from '../config.js';
import type { StopMentions } from './render/stop-mention.js';

export function stopMentionsFrom(config: Pick<Config, 'smsStopMention' | 'smsStopMentionEn'>): StopMentions {
  return { default: config.smsStopMention, en: config.smsStopMentionEn };
}
