// Who sent a request, as recorded with consent changes. Forwarding headers are anyone's to write: on Node they count
// only when the socket's peer is a proxy listed in TRUSTED_PROXIES; on Workers, Cloudflare sets CF-Connecting-IP.
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import type { AppEnv } from './app-env.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Strict forms only (no `127.1` or hex octets); an IPv4-mapped IPv6 address is read as the IPv4 one. */
function parseAddress(raw: string): Address | undefined {
  const s = raw.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (ipaddr.IPv6.isValid(s)) return ipaddr.process(s);
  return undefined;
}

/**
 * TRUSTED_PROXIES: addresses or CIDRs separated by commas, IPv4 or IPv6. Returns each as a normalised CIDR
 * (`10.0.0.0/8`, `::1/128`), or the entries that are neither.
 */
export function parseTrustedProxies(raw: string): { proxies: string[]; invalid: string[] } {
  const proxies: string[] = [];
  const invalid: string[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits, ...rest] = entry.split('/');
    const ip = parseAddress(addr);
    const max = ip?.kind() === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    // A mapped IPv6 range (::ffff:10.0.0.0/104) becomes the IPv4 one it covers.
    const mapped = ip?.kind() === 'ipv4' && addr.includes(':') && bits !== undefined ? prefix - 96 : prefix;
    if (!ip || rest.length || !(mapped >= 0 && mapped <= max)) invalid.push(entry);
    else proxies.push(`${ip.toString()}/${mapped}`);
  }
  return { proxies, invalid };
}

function isTrusted(ip: Address, proxies: readonly string[]): boolean {
  return proxies.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    return range.kind() === ip.kind() && ip.match(range, bits);
  });
}

/** `1.2.3.4:5678` and `[::1]:80` are seen in X-Forwarded-For too. */
function hopAddress(raw: string): Address | undefined {
  const s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) return parseAddress(bracketed[1]);
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(s);
  return parseAddress(withPort ? withPort[1] : s);
}

/**
 * The client's address from the socket's peer and X-Forwarded-For: the peer unless it is a trusted proxy; then the
 * header's hops from the right, skipping trusted ones, and the first untrusted hop is the client. A hop that is not
 * an address means the chain cannot be read: no address rather than a wrong one.
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | undefined, proxies: readonly string[]): string | undefined {
  const peerIp = peer ? parseAddress(peer) : undefined;
  if (!peerIp) return undefined;
  if (!isTrusted(peerIp, proxies) || !forwardedFor) return peerIp.toString();
  const hops = forwardedFor.split(',').filter((h) => h.trim() !== '');
  let client = peerIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i]);
    if (!hop) return undefined;
    client = hop;
    if (!isTrusted(hop, proxies)) break;
  }
  return client.toString();
}

/** The socket's remote address under @hono/node-server (the same bindings its getConnInfo reads). */
function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; server?: { incoming?: { socket?: { remoteAddress?: string } } } } | undefined;
  return (env?.server ?? env)?.incoming?.socket?.remoteAddress;
}

/** The one place the client's address is read; undefined when it cannot be known (a request made in-process). */
export function clientIp(c: Context<AppEnv>): string | undefined {
  const { runtime, config } = c.get('deps');
  if (runtime.name === 'worker') {
    const ip = parseAddress(c.req.header('cf-connecting-ip') ?? '');
    return ip?.toString();
  }
  return resolveClientIp(socketAddress(c), c.req.header('x-forwarded-for'), config.trustedProxies);
}
