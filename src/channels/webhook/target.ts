// What a webhook may be posted to, judged from its URL alone (both runtimes): https, no credentials, no private,
// loopback or link-local address written out, no localhost. Node also checks the address a name resolves to
// (safe-post.ts).
import ipaddr from 'ipaddr.js';

/** Only public unicast addresses, unless private ones are allowed. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  // IPv4-compatible IPv6 (::a.b.c.d, deprecated) counts as unicast in ipaddr.js: refused, whatever it embeds.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false;
  return parsed.range() === 'unicast';
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
  // One trailing dot names the same host ("localhost." is localhost).
  const host = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) return `a private, loopback or link-local address (${host})`;
  if (!allowPrivate && /(^|\.)localhost$/i.test(host)) return 'localhost';
  return undefined;
}

