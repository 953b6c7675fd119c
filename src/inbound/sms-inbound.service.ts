// Inbound SMS: STOP/START/HELP keywords (DOMAIN.md, SMS: CTIA and French practice) and free replies.
import { normalisePhone, smsSegments, type InboundSms } from '../channels/index.js';
import { restartSms, stopSms } from '../consent/index.js';
import { findContactsByPhone, recordSmsReply } from '../contacts/index.js';
import { inTransaction } from '../db/transaction.js';
import { deliverSystemMessages, lastSentCampaignMessage, queueSystemMessage } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { describeError } from '../http/log.js';
import { langOf, messages } from '../i18n/index.js';
import { applyEngagement, recordResponse } from '../tracking/index.js';
import { markProviderEvent } from './provider-events.repository.js';

export type { InboundSms };

export type SmsKeyword = 'stop' | 'start' | 'help';
export type InboundAction = 'unsubscribed' | 'resubscribed' | 'help' | 'reply' | 'ignored';

const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop', ARRET: 'stop', 'STOP SMS': 'stop', 'STOP ALL': 'stop', STOPALL: 'stop', QUIT: 'stop', END: 'stop',
  CANCEL: 'stop', UNSUBSCRIBE: 'stop', REVOKE: 'stop', 'OPT OUT': 'stop', OPTOUT: 'stop',
  START: 'start', UNSTOP: 'start', YES: 'start',
  HELP: 'help', AIDE: 'help', INFO: 'help',
};

/**
 * The keyword a whole message amounts to: case and accents ignored (ARRÊT = arret), surrounding spaces,
 * punctuation and emoji ignored ("Stop." "STOP!!"), inner spaces, hyphens and underscores folded ("opt-out").
 * A keyword inside a sentence is not one: "please stop" is a reply, as carriers treat it.
 */
export function smsKeyword(text: string): SmsKeyword | undefined {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/[\s_-]+/g, ' ');
  return Object.hasOwn(KEYWORDS, folded) ? KEYWORDS[folded] : undefined;
}

export interface InboundSmsSettings {
  defaultCountry: string;
  /** Where to get help, in any language: "01 23 45 67 89" or "shop.example/aide" (SMS_HELP_CONTACT). */
  helpContact?: string;
}

/** Longest concatenated SMS Twilio delivers; anything longer is not a real message. */
const MAX_TEXT = 1600;
/** A reply is linked to the last campaign SMS sent to the number within this many days; older, it answers none. */
export const REPLY_WINDOW_DAYS = 30;

/**
 * Acts on one inbound SMS. Keywords change every SMS subscription of every contact with that phone and
 * append consent records (source sms_keyword); other text is kept as an `sms_reply` event. The consent
 * change (or the event) and the provider event id commit together, so a redelivery after a failure is
 * processed again and one after success is not. Unknown numbers get no action and no answer.
 * Each STOP is confirmed, even when already unsubscribed: the person must know it worked, and a
 * confirmation carries no marketing.
 */
export async function handleInboundSms(deps: Deps, sms: InboundSms, settings: InboundSmsSettings): Promise<{ action: InboundAction; duplicate?: true }> {
  const { db, clock, config } = deps;
  const at = clock();
  const text = sms.text.replace(/\u0000/g, '').slice(0, MAX_TEXT);
  const phone = normalisePhone(sms.from, settings.defaultCountry);
  const contacts = phone ? await findContactsByPhone(db, phone) : [];
  const ids = contacts.map((c) => c.id);
  const keyword = smsKeyword(text);

  const outcome = await inTransaction(db, async (trx) => {
    if (sms.providerEvent && !(await markProviderEvent(trx, sms.providerEvent.provider, sms.providerEvent.id, at))) {
      return { action: 'ignored' as const, duplicate: true as const };
    }
    if (!contacts.length || !text.trim()) return { action: 'ignored' as const };
    let action: InboundAction;
    const last = await lastSentCampaignMessage(trx, ids, 'sms', new Date(at.getTime() - REPLY_WINDOW_DAYS * 86_400_000));
    if (keyword === 'stop') {
      await stopSms(trx, ids, at);
      // The campaign whose SMS it answers counts the opt-out.
      if (last) await applyEngagement(trx, [{ messageId: last.id, campaignId: last.campaignId, contactId: last.contactId, metric: 'unsubscribe', at }]);
      action = 'unsubscribed';
    } else if (keyword === 'start') {
      // Nothing stopped by keyword: START must not override an opt-out given another way.
      action = (await restartSms(trx, ids, at)) ? 'resubscribed' : 'ignored';
    } else if (keyword === 'help') {
      action = 'help';
    } else {
      await recordSmsReply(trx, ids, { text, to: sms.to }, at);
      // A response of the last campaign SMS sent to this number, counted in its report.
      await recordResponse(trx, last, {
        key: sms.providerEvent ? `sms:${sms.providerEvent.provider}:${sms.providerEvent.id}` : `sms:${crypto.randomUUID()}`,
        kind: 'reply', channel: 'sms', contactId: contacts[0].id, body: text, at,
      });
      return { action: 'reply' as const };
    }
    if (action === 'ignored') return { action };
    // The answer is queued with the change it confirms: a crash after the commit still sends it, and a redelivered
    // webhook, skipped as a duplicate, sends no second one.
    const t = messages(langOf(contacts[0].locale)).smsReplies;
    const body = action === 'unsubscribed' ? t.stop(config.brandName) : action === 'resubscribed' ? t.start(config.brandName) : t.help(config.brandName, settings.helpContact);
    const reply = await queueSystemMessage(trx, {
      purpose: 'keyword_reply', channel: 'sms', contactId: contacts[0].id, address: phone!, from: sms.to || undefined,
      render: () => ({ text: body, ...smsSegments(body) }),
    }, at);
    return { action, reply };
  });

  // Best effort now; a failure stays in the ledger and the periodic run retries what can be retried.
  if ('reply' in outcome && outcome.reply !== undefined) {
    await deliverSystemMessages(deps, [outcome.reply]).catch((err) => deps.log.error('sms keyword answer not sent', describeError(err)));
    const { reply: _reply, ...rest } = outcome;
    return rest;
  }
  return outcome;
}
