// Driving opens and clicks the way people and machines do: the emails a launch wrote to the outbox, their tracked
// links and pixel, and requests with a browser's headers or a proxy's.
import PostalMime from 'postal-mime';
import type { TestApp } from './app.js';

export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** A person's browser following a link or loading images. */
export const BROWSER = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
/** Apple Mail Privacy Protection: "Mozilla/5.0" alone, from Apple's proxy range (docs/TRACKING.md). */
export const APPLE_PROXY = { headers: { 'user-agent': 'Mozilla/5.0' }, ip: '17.58.63.10' };

export interface SentMail {
  to: string;
  subject: string;
  html: string;
  /** The tracked links in order (the honeypot last), then the pixel. */
  clicks: string[];
  pixel: string | undefined;
}

/** Every email in the outbox, parsed. */
export async function sentMails(t: TestApp): Promise<SentMail[]> {
  const mails: SentMail[] = [];
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    const html = mail.html ?? '';
    mails.push({
      to: mail.to![0].address!, subject: mail.subject ?? '', html,
      clicks: [...html.matchAll(/<a\b[^>]*href="([^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]),
      pixel: /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)?.[1],
    });
  }
  return mails;
}

/** One mail, by recipient and subject. */
export function mailTo(mails: SentMail[], to: string, subject?: string): SentMail {
  const found = mails.find((m) => m.to === to && (subject === undefined || m.subject === subject));
  if (!found) throw new Error(`no mail to ${to}${subject ? ` with subject ${subject}` : ''}`);
  return found;
}

/** Requests a tracking URL as a person (or as `as` says), from `ip` through the connection's address. */
export async function hit(t: TestApp, url: string, as: { headers?: Record<string, string>; method?: string; ip?: string } = {}) {
  const path = new URL(url).pathname;
  const res = await t.app.request(path, { method: as.method ?? 'GET', headers: as.headers ?? BROWSER }, as.ip ? { incoming: { socket: { remoteAddress: as.ip } } } : undefined);
  if (res.status >= 400) throw new Error(`${path} answered ${res.status}`);
  return res;
}
