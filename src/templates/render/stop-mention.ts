// The opt-out mention every marketing SMS must end with (France: "STOP au 36xxx"; DOMAIN.md, SMS).
// Appended after merging, so merge data can neither remove it nor be confused with it, and counted in
// the segments shown before sending.
import { smsSegments, type SmsSegments } from '../../channels/index.js';

const folded = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Appends `mention` unless the text already carries it (case- and spacing-insensitive). Trailing spaces
 * are dropped; the mention goes after a space, or directly on the next line when the text ends with a
 * line break. An empty mention leaves the text as it is.
 */
export function appendStopMention(text: string, mention: string): string {
  const m = mention.trim();
  if (!m || folded(text).includes(folded(m))) return text;
  const body = text.replace(/[ \t]+$/, '');
  if (!body.trim()) return m;
  return body.endsWith('\n') ? body + m : `${body} ${m}`;
}

/** The SMS as it will be sent, with its encoding and segment count: what previews must show. */
export function smsWithStopMention(text: string, mention: string | null | undefined): { text: string } & SmsSegments {
  const final = mention ? appendStopMention(text, mention) : text;
  return { text: final, ...smsSegments(final) };
}
