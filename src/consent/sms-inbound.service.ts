// Inbound SMS: STOP/START/HELP keywords (DOMAIN.md, SMS: CTIA and French practice) and free replies.
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../contacts/contact-fields.js';
import { insertEvents } from '../contacts/contacts.repository.js';
import type { Deps } from '../deps.js';
import { smsSegments } from '../templates/render/sms.js';
import { applyConsentChanges } from './consent.repository.js';
import { langOf } from './pages.js';
import {
  SMS_KEYWORD_SOURCE, findContactsByPhone, markProviderEvent, smsSubscriptionsStoppedByKeyword, smsSubscriptionsToStop,
} from './sms-inbound.repository.js';

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

/** The automatic answers: confirmations and help, never any marketing. */
export const smsReplies = {
  fr: {
    stop: (brand: string) => `Vous ne recevrez plus de SMS de ${brand}.`,
    start: (brand: string) => `Vous recevez à nouveau les SMS de ${brand}. Répondez STOP pour ne plus en recevoir.`,
    help: (brand: string, contact?: string) =>
      contact ? `${brand} - aide : ${contact}. Répondez STOP pour ne plus recevoir de SMS.` : `${brand} : répondez STOP pour ne plus recevoir de SMS.`,
  },
  en: {
    stop: (brand: string) => `You will no longer receive SMS from ${brand}.`,
    start: (brand: string) => `You will receive SMS from ${brand} again. Reply STOP to opt out.`,
    help: (brand: string, contact?: string) => (contact ? `${brand} - help: ${contact}. Reply STOP to opt out.` : `${brand}: reply STOP to opt out.`),
  },
} as const;

export interface InboundSms {
  /** The sender's number, as the provider gives it (E.164 from Twilio; national numbers are read in defaultCountry). */
  from: string;
  /** The number written to; replies go out from it so they reach the person on the same thread. */
  to?: string | null;
  text: string;
  /** The provider's message id, to process a redelivered webhook once. */
  providerEvent?: { provider: string; id: string };
}

export interface InboundSmsSettings {
  defaultCountry: CountryCode;
  /** Where to get help, in any language: "01 23 45 67 89" or "shop.example/aide" (SMS_HELP_CONTACT). */
  helpContact?: string;
}

/** Longest concatenated SMS Twilio delivers; anything longer is not a real message. */
const MAX_TEXT = 1600;

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

  const outcome = await db.transaction().execute(async (trx) => {
    if (sms.providerEvent && !(await markProviderEvent(trx, sms.providerEvent.provider, sms.providerEvent.id, at))) {
      return { action: 'ignored' as const, duplicate: true as const };
    }
    if (!contacts.length || !text.trim()) return { action: 'ignored' as const };
    if (keyword === 'stop') {
      const subs = await smsSubscriptionsToStop(trx, ids);
      await applyConsentChanges(trx, subs.map((s) => ({ ...s, channel: 'sms' as const, status: 'unsubscribed' as const, source: SMS_KEYWORD_SOURCE })), at);
      return { action: 'unsubscribed' as const };
    }
    if (keyword === 'start') {
      const subs = await smsSubscriptionsStoppedByKeyword(trx, ids);
      // Nothing stopped by keyword: START must not override an opt-out given another way.
      if (!subs.length) return { action: 'ignored' as const };
      await applyConsentChanges(trx, subs.map((s) => ({ ...s, channel: 'sms' as const, status: 'subscribed' as const, source: SMS_KEYWORD_SOURCE })), at);
      return { action: 'resubscribed' as const };
    }
    if (keyword === 'help') return { action: 'help' as const };
    await insertEvents(trx, ids.map((id) => ({
      contact_id: id, type: 'sms_reply', occurred_at: at, value: null,
      properties: { text, ...(sms.to ? { to: sms.to } : {}) }, idempotency_key: null,
    })));
    return { action: 'reply' as const };
  });

  if (outcome.action === 'unsubscribed' || outcome.action === 'resubscribed' || outcome.action === 'help') {
    const t = smsReplies[langOf(contacts[0].locale)];
    const body =
      outcome.action === 'unsubscribed' ? t.stop(config.brandName)
      : outcome.action === 'resubscribed' ? t.start(config.brandName)
      : t.help(config.brandName, settings.helpContact);
    await sendReply(deps, sms.to || config.smsFrom, phone!, body);
  }
  return outcome;
}

/**
 * The answer is best effort: the opt-out is already committed, and failing the webhook would only make the
 * provider redeliver a message we would then skip as a duplicate.
 */
async function sendReply(deps: Deps, from: string, to: string, text: string) {
  try {
    const { encoding, segments } = smsSegments(text);
    await deps.sms.send({ messageId: `r-${crypto.randomUUID()}`, from, to, text, encoding, segments });
  } catch (err) {
    console.error('Could not send the SMS keyword answer', (err as Error).message);
  }
}
