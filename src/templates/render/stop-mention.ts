// The opt-out mention every marketing SMS must end with (France: "STOP au 36xxx"; DOMAIN.md, SMS), in the
// language of the content. Appended after merging, so merge data can neither remove it nor be confused with it,
// and counted in the segments shown before sending.
import { smsSegments, type SmsSegments } from '../../channels/index.js';

/** The configured mentions: SMS_STOP_MENTION (French, and any language without its own) and SMS_STOP_MENTION_EN. */
export interface StopMentions {
  default: string;
  en: string;
}

/** The mention for content in `locale` (fr, en-CA, …). */
export function stopMentionFor(locale: string | null | undefined, mentions: StopMentions): string {
  return (locale ?? '').toLowerCase().split('-')[0] === 'en' ? mentions.en : mentions.default;
}

const folded = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
const digits = (s: string) => s.replace(/\D/g, '');

// An opt-out instruction written by hand: the keyword STOP (in capitals, as the convention goes) after a verb
// ("reply STOP", "répondez STOP") or before where to send it ("STOP au 36111", "STOP to 36111", "STOP SMS").
const VERB_BEFORE = /(?:^|[^\p{L}])(?:reply|text|txt|send|r[ée]pond(?:ez|re)|envoy(?:ez|er)|tapez|textez)[\s:]+$/iu;
const WHERE_AFTER = /^\s*(?:(?:au|to|à|at|SMS)(?![\p{L}\p{N}])|:)\s*(\d+(?:[ .\u00a0]\d+)*)?/iu;
const KEYWORD = /(?<![\p{L}\p{N}])STOP(?![\p{L}\p{N}])/gu;

/**
 * Whether `text` already carries an opt-out mention: one of `mentions` (any case or spacing), or a hand-written
 * variant of one ("Reply STOP to opt out", "STOP au 36 111"). A variant naming a short code counts only if it is
 * a configured one: "STOP au 3611" is a typo, not the mention.
 */
export function carriesStopMention(text: string, mentions: readonly string[]): boolean {
  const configured = mentions.map((m) => m.trim()).filter(Boolean);
  const plain = folded(text);
  if (configured.some((m) => plain.includes(folded(m)))) return true;
  const codes = new Set(configured.map(digits).filter(Boolean));
  for (const match of text.matchAll(KEYWORD)) {
    const before = text.slice(0, match.index);
    const after = WHERE_AFTER.exec(text.slice(match.index + match[0].length));
    if (!after && !VERB_BEFORE.test(before)) continue;
    const code = after?.[1] ? digits(after[1]) : '';
    if (!code || codes.has(code)) return true;
  }
  return false;
}

/**
 * Appends `mention` unless the text already carries it, or another language's (`others`), or a variant of one.
 * Trailing spaces are dropped; the mention goes after a space, or directly on the next line when the text ends
 * with a line break. An empty mention leaves the text as it is.
 */
export function appendStopMention(text: string, mention: string, others: readonly string[] = []): string {
  const m = mention.trim();
  if (!m || carriesStopMention(text, [m, ...others])) return text;
  const body = text.replace(/[ \t]+$/, '');
  if (!body.trim()) return m;
  return body.endsWith('\n') ? body + m : `${body} ${m}`;
}

/** The SMS as it will be sent, with its encoding and segment count: what previews must show. */
export function smsWithStopMention(
  text: string,
  mention: string | null | undefined,
  others: readonly string[] = [],
): { text: string } & SmsSegments {
  const final = mention ? appendStopMention(text, mention, others) : text;
  return { text: final, ...smsSegments(final) };
}
