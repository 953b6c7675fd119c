import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { classifyHit, DEFAULT_CLASSIFIER_SETTINGS, ipPrefix, KEPT_HEADERS, RULES, type Context, type Hit } from './classify.js';
import { HANDED_OVER_AT, SAMPLES, sampleHit, type RecordedSample } from './samples.js';
import { APPLE_PROXY_NETWORKS, SCANNER_NETWORKS } from './signatures.js';

const seconds = (n: number) => new Date(HANDED_OVER_AT.getTime() + n * 1000);

function context(overrides: Partial<Context> = {}): Context {
  return { handedOverAt: HANDED_OVER_AT, recentClicks: [], settings: DEFAULT_CLASSIFIER_SETTINGS, ...overrides };
}

const sample = (name: string): RecordedSample => {
  const found = SAMPLES.find((s) => s.name === name);
  if (!found) throw new Error(`no sample named ${name}`);
  return found;
};

/** A person on Chrome for Android following link 1, with everything a browser sends. */
const personClick = (afterSeconds: number, changes: Partial<Hit> = {}): Hit => ({
  ...sampleHit(sample('Chrome on Android, clicked within seconds')),
  at: seconds(afterSeconds),
  ...changes,
});

describe('recorded requests', () => {
  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    expect(classifyHit(sampleHit(s), context())).toEqual(s.expected);
  });

  it('give the same verdict from the stored IP prefix as from the full address', () => {
    for (const s of SAMPLES) {
      expect(classifyHit({ ...sampleHit(s), ip: ipPrefix(s.ip) }, context()), s.name).toEqual(s.expected);
    }
  });
});

describe('rule order', () => {
  it('is the documented one', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'head_request',
      'prefetch',
      'honeypot',
      'apple_mpp',
      'gmail_proxy',
      'yahoo_proxy',
      'declared_robot',
      'scanner_user_agent',
      'scanner_network',
      'link_burst',
      'early_click_no_browser_signals',
      'default_human',
    ]);
    for (const rule of RULES) {
      expect(rule.description.length, rule.id).toBeGreaterThan(20);
      expect(rule.source.length, rule.id).toBeGreaterThan(5);
    }
  });

  it('is the order docs/TRACKING.md gives, with the same classes', () => {
    const doc = readFileSync(new URL('../../docs/TRACKING.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| `(\w+)` \| (open|click|both) \| (human|machine)/gm)];
    expect(rows.map((row) => [Number(row[1]), row[2], row[3], row[4]])).toEqual(RULES.map((r, i) => [i + 1, r.id, r.applies, r.class]));
  });

  it('lets the first matching rule decide, one rule at a time as the evidence is taken away', () => {
    // A click that every click rule would catch: remove the evidence of each rule in turn.
    let hit: Hit = {
      kind: 'click',
      method: 'HEAD',
      at: seconds(1),
      userAgent: 'Barracuda Sentinel (EE)',
      ip: '209.222.82.14',
      headers: { 'sec-purpose': 'prefetch', from: 'scanner@example.com' },
      linkIndex: 2,
      honeypot: true,
    };
    const ctx = context({ recentClicks: [{ at: seconds(0), linkIndex: 1 }] });
    const seen: string[] = [];
    const takeAway: Array<(h: Hit) => Hit> = [
      (h) => ({ ...h, method: 'GET' }),
      (h) => ({ ...h, headers: { from: 'scanner@example.com' } }),
      (h) => ({ ...h, honeypot: false }),
      (h) => ({ ...h, headers: {} }),
      (h) => ({ ...h, userAgent: 'curl/8.5.0' }),
      (h) => ({ ...h, ip: '198.51.100.5' }),
      (h) => ({ ...h, linkIndex: 1 }),
      (h) => ({ ...h, at: seconds(3_600) }),
    ];
    seen.push(classifyHit(hit, ctx).rule);
    for (const change of takeAway) {
      hit = change(hit);
      seen.push(classifyHit(hit, ctx).rule);
    }
    expect(seen).toEqual([
      'head_request',
      'prefetch',
      'honeypot',
      'declared_robot',
      'scanner_user_agent',
      'scanner_network',
      'link_burst',
      'early_click_no_browser_signals',
      'default_human',
    ]);
  });

  it('puts HEAD and prefetch before the proxies, and the proxies before the scanner lists', () => {
    const mpp = sampleHit(sample('Apple Mail with Mail Privacy Protection (IPv4 relay)'));
    expect(classifyHit({ ...mpp, method: 'HEAD' }, context()).rule).toBe('head_request');
    expect(classifyHit({ ...mpp, headers: { 'x-purpose': 'preview' } }, context()).rule).toBe('prefetch');
    // Gmail's proxy names itself in a list of scanners for links; on the open pixel the proxy rule comes first.
    const gmail = sampleHit(sample('Gmail image proxy'));
    expect(classifyHit(gmail, context()).rule).toBe('gmail_proxy');
    expect(classifyHit({ ...gmail, kind: 'click', linkIndex: 0 }, context())).toEqual({ class: 'machine', rule: 'scanner_user_agent' });
    const yahoo = sampleHit(sample('Yahoo Mail image proxy'));
    expect(classifyHit({ ...yahoo, kind: 'click', linkIndex: 0 }, context()).rule).toBe('scanner_user_agent');
  });
});

describe('timing', () => {
  it('never makes a click with browser signals a machine, however soon it comes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60, max: 86_400 }), fc.integer({ min: 0, max: 30 }), (after, link) => {
        expect(classifyHit(personClick(after, { linkIndex: link }), context())).toEqual({ class: 'human', rule: 'default_human' });
      }),
    );
  });

  it('makes an early click a machine when one browser signal is missing', () => {
    const { 'accept-language': _language, ...noLanguage } = personClick(3).headers;
    const noFetchMetadata = Object.fromEntries(Object.entries(personClick(3).headers).filter(([name]) => !name.startsWith('sec-fetch-')));
    for (const hit of [
      personClick(3, { headers: noLanguage }),
      personClick(3, { headers: noFetchMetadata }),
      personClick(3, { userAgent: 'Go-http-client/2.0' }),
      personClick(3, { userAgent: 'Java/17.0.2' }),
      personClick(3, { userAgent: '' }),
      personClick(3, { userAgent: null }),
    ]) {
      expect(classifyHit(hit, context())).toEqual({ class: 'machine', rule: 'early_click_no_browser_signals' });
      // The same request later is a person's: the weak signal alone decides nothing.
      expect(classifyHit({ ...hit, at: seconds(20) }, context())).toEqual({ class: 'human', rule: 'default_human' });
    }
  });

  it('applies to clicks only, and not when the hand-over time is unknown', () => {
    const curl = sampleHit(sample('curl'));
    expect(classifyHit(curl, context({ handedOverAt: null })).rule).toBe('default_human');
    expect(classifyHit({ ...curl, kind: 'open', linkIndex: null }, context()).rule).toBe('default_human');
  });

  it('counts a hit stamped before the hand-over (clock skew) as early', () => {
    expect(classifyHit({ ...sampleHit(sample('curl')), at: seconds(-2) }, context()).rule).toBe('early_click_no_browser_signals');
  });
});

describe('bursts', () => {
  it('need two different links', () => {
    const twice = context({ recentClicks: [{ at: seconds(5.5), linkIndex: 1 }] });
    expect(classifyHit(personClick(6), twice).rule).toBe('default_human');
    const otherLink = context({ recentClicks: [{ at: seconds(5.5), linkIndex: 0 }] });
    expect(classifyHit(personClick(6), otherLink)).toEqual({ class: 'machine', rule: 'link_burst' });
    const unknownLink = context({ recentClicks: [{ at: seconds(5.5), linkIndex: null }] });
    expect(classifyHit(personClick(6), unknownLink).rule).toBe('default_human');
    expect(classifyHit(personClick(6, { linkIndex: null }), otherLink).rule).toBe('default_human');
  });

  it('need the clicks within burstSeconds, before or after this one', () => {
    expect(classifyHit(personClick(6), context({ recentClicks: [{ at: seconds(8), linkIndex: 0 }] })).rule).toBe('link_burst');
    expect(classifyHit(personClick(6), context({ recentClicks: [{ at: seconds(9), linkIndex: 0 }] })).rule).toBe('default_human');
  });

  it('do not apply to opens', () => {
    const open = sampleHit(sample('iPhone Mail loading images'));
    expect(classifyHit({ ...open, linkIndex: 3 }, context({ recentClicks: [{ at: open.at, linkIndex: 0 }] })).rule).toBe('default_human');
  });
});

describe('settings', () => {
  it('widen or narrow the burst window', () => {
    const ctx = (burstSeconds: number) =>
      context({ recentClicks: [{ at: seconds(3), linkIndex: 0 }], settings: { ...DEFAULT_CLASSIFIER_SETTINGS, burstSeconds } });
    expect(classifyHit(personClick(6), ctx(2)).rule).toBe('default_human');
    expect(classifyHit(personClick(6), ctx(5)).rule).toBe('link_burst');
    expect(classifyHit(personClick(3.5), ctx(0)).rule).toBe('default_human');
  });

  it('widen or narrow the early-click window', () => {
    const curl = { ...sampleHit(sample('curl')), at: seconds(30) };
    const ctx = (earlyClickSeconds: number) => context({ settings: { ...DEFAULT_CLASSIFIER_SETTINGS, earlyClickSeconds } });
    expect(classifyHit(curl, ctx(20)).rule).toBe('default_human');
    expect(classifyHit(curl, ctx(60)).rule).toBe('early_click_no_browser_signals');
    expect(classifyHit({ ...curl, at: seconds(4) }, ctx(0)).rule).toBe('default_human');
  });

  it('default to 20 seconds early and 2 seconds of burst', () => {
    expect(DEFAULT_CLASSIFIER_SETTINGS).toEqual({ earlyClickSeconds: 20, burstSeconds: 2 });
  });
});

describe('Apple Mail Privacy Protection', () => {
  const mpp = () => sampleHit(sample('Apple Mail with Mail Privacy Protection (IPv4 relay)'));

  it('is recognised from the user agent alone when the address is unknown or unreadable', () => {
    expect(classifyHit({ ...mpp(), ip: null }, context()).rule).toBe('apple_mpp');
    expect(classifyHit({ ...mpp(), ip: 'not an address' }, context()).rule).toBe('apple_mpp');
  });

  it('needs the exact user agent and, when the address is known, one of Apple\'s networks', () => {
    expect(classifyHit({ ...mpp(), ip: '203.0.113.9' }, context()).rule).toBe('default_human');
    expect(classifyHit({ ...mpp(), userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)' }, context()).rule).toBe('default_human');
    expect(classifyHit({ ...mpp(), ip: '17.58.97.12' }, context()).rule).toBe('apple_mpp');
  });

  it('does not fetch links: a bare user agent on a click is not called Apple', () => {
    expect(classifyHit({ ...mpp(), kind: 'click', linkIndex: 0, at: seconds(3_600) }, context()).rule).toBe('default_human');
  });
});

describe('addresses', () => {
  it('read IPv4-mapped IPv6 as IPv4', () => {
    const mimecast = sampleHit(sample('Mimecast URL Protect'));
    expect(classifyHit({ ...mimecast, ip: '::ffff:205.139.110.62' }, context()).rule).toBe('scanner_network');
  });

  it('are stored as a /24 or /48 prefix', () => {
    expect(ipPrefix('203.0.113.45')).toBe('203.0.113.0/24');
    expect(ipPrefix('2001:db8:4f2a:7:1::17')).toBe('2001:db8:4f2a::/48');
    expect(ipPrefix('::ffff:198.51.100.7')).toBe('198.51.100.0/24');
    expect(ipPrefix(null)).toBeNull();
    expect(ipPrefix('256.1.1.1')).toBeNull();
  });

  it('lists only networks at least as wide as the stored prefix', () => {
    for (const { cidr } of [...APPLE_PROXY_NETWORKS, ...SCANNER_NETWORKS]) {
      const [range, bits] = ipaddr.parseCIDR(cidr);
      expect(bits, cidr).toBeLessThanOrEqual(range.kind() === 'ipv4' ? 24 : 48);
      expect(ipaddr.parseCIDR(cidr)[0].toString(), `${cidr} is not a network address`).toBe(
        (range.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(cidr).toString(),
      );
    }
  });
});

describe('headers', () => {
  it('are read whatever the case of their names', () => {
    const hit = personClick(600, { headers: { 'Sec-Purpose': 'prefetch', 'Accept-Language': 'en' } });
    expect(classifyHit(hit, context()).rule).toBe('prefetch');
  });

  it('that the rules read are all kept', () => {
    const read = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz', 'from', 'via', 'accept-language', 'sec-fetch-dest', 'sec-fetch-mode', 'sec-fetch-site'];
    expect(KEPT_HEADERS).toEqual(expect.arrayContaining(read));
  });

  it('with a From header mark a robot', () => {
    expect(classifyHit(personClick(600, { headers: { ...personClick(600).headers, from: 'bingbot(at)microsoft.com' } }), context())).toEqual({
      class: 'machine',
      rule: 'declared_robot',
    });
  });
});
