// What a webhook may be posted to, judged from its URL alone (both runtimes): https, no credentials, no private,
// loopback or link-local address written out, no localhost. Node also checks the address a name resolves to
// (safe-post.ts).
import ipaddr from 'ipaddr.js';

/** Only public unicast addresses, unless private ones are allowed. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** Why `url` may not be posted to before any connection, or undefined. */
export function targetProblem(url: string, allowPrivate: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'https only';
  if (parsed.username || parsed.password) return 'no credentials in the URL';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) return `a private, loopback or link-local address (${host})`;
  if (!allowPrivate && /(^|\.)localhost$/i.test(host)) return 'localhost';
  return undefined;
}

