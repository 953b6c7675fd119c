// Who sent a request: forwarding headers count only through the proxies TRUSTED_PROXIES lists.
import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientIp } from './client-ip.js';

const proxies = (raw: string) => parseTrustedProxies(raw).proxies;

describe('TRUSTED_PROXIES', () => {
  it('reads addresses and CIDRs, IPv4 and IPv6, and names what is neither', () => {
    expect(parseTrustedProxies('10.0.0.0/8, 127.0.0.1 ,::1, 2001:db8::/32')).toEqual({
      proxies: ['10.0.0.0/8', '127.0.0.1/32', '::1/128', '2001:db8::/32'], invalid: [],
    });
    expect(parseTrustedProxies('10.0.0.0/33,127.1,localhost,1.2.3.4/8/9,::ffff:10.0.0.0/104').invalid).toEqual(['10.0.0.0/33', '127.1', 'localhost', '1.2.3.4/8/9']);
    expect(parseTrustedProxies('::ffff:10.0.0.0/104').proxies).toEqual(['10.0.0.0/8']);
    expect(parseTrustedProxies('')).toEqual({ proxies: [], invalid: [] });
  });
});

describe('the client address', () => {
  it('is the socket peer when no proxy is trusted, whatever the headers say', () => {
    expect(resolveClientIp('198.51.100.4', '203.0.113.9', [])).toBe('198.51.100.4');
    expect(resolveClientIp('::ffff:198.51.100.4', '203.0.113.9', proxies('10.0.0.0/8'))).toBe('198.51.100.4');
  });

  it('is read from X-Forwarded-For through trusted proxies, right to left, stopping at the first untrusted hop', () => {
    const trusted = proxies('10.0.0.0/8');
    expect(resolveClientIp('10.0.0.2', '203.0.113.9', trusted)).toBe('203.0.113.9');
    // A client that writes its own X-Forwarded-For is only prepended to: the forged part is left of the real hop.
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.7', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('10.0.0.2', '[2001:db8::5]:443', trusted)).toBe('2001:db8::5');
    expect(resolveClientIp('10.0.0.2', '203.0.113.9:5678', trusted)).toBe('203.0.113.9');
    // Every hop trusted: the leftmost is the best there is.
    expect(resolveClientIp('10.0.0.2', '10.1.1.1', trusted)).toBe('10.1.1.1');
    // No header: the proxy itself.
    expect(resolveClientIp('10.0.0.2', undefined, trusted)).toBe('10.0.0.2');
  });

  it('is unknown rather than wrong when the chain cannot be read', () => {
    const trusted = proxies('10.0.0.0/8');
    expect(resolveClientIp('10.0.0.2', 'unknown', trusted)).toBeUndefined();
    expect(resolveClientIp('10.0.0.2', '203.0.113.9, garbage', trusted)).toBeUndefined();
    expect(resolveClientIp(undefined, '203.0.113.9', trusted)).toBeUndefined();
  });
});
