// Which opens and clicks a person made, and which a machine did: Apple's and Gmail's proxies, security gateways,
// prefetchers. Pure (no database, clock or network) so that raw hits, once stored, can be classified again whenever
// these rules or the lists in signatures.ts change. docs/TRACKING.md describes each rule; RULES feeds that page and
// lets reports say why a number is what it is.
import ipaddr from 'ipaddr.js';
import {
  APPLE_PROXY_NETWORKS,
  APPLE_PROXY_USER_AGENT,
  GMAIL_PROXY,
  NON_BROWSER_USER_AGENT,
  PREFETCH_HEADERS,
  SCANNER_NETWORKS,
  SCANNER_USER_AGENTS,
  YAHOO_PROXY,
  type NetworkSignature,
} from './signatures.js';

/** One request to the open pixel or a click redirect, as it arrived. */
export interface Hit {
  kind: 'open' | 'click';
  method: string;
  at: Date;
  userAgent: string | null;
  /** The client's address, or the prefix kept for it (ipPrefix): either classifies the same. */
  ip: string | null;
  /** Lower-case names; the classifier reads those in KEPT_HEADERS. */
  headers: Record<string, string>;
  /** Which link of the message (clicks); null for the open pixel or a link without an index. */
  linkIndex?: number | null;
  /** The click was on the honeypot link, invisible to people. */
  honeypot?: boolean;
}

export interface ClassifierSettings {
  /** A click this soon after hand-over is suspicious, never decisive on its own. */
  earlyClickSeconds: number;
  /** Different links of one message clicked this close together were clicked by a machine. */
  burstSeconds: number;
}

export const DEFAULT_CLASSIFIER_SETTINGS: Readonly<ClassifierSettings> = Object.freeze({ earlyClickSeconds: 20, burstSeconds: 2 });

export interface Context {
  /** When the message was handed over to the provider; null if unknown (no timing rule then applies). */
  handedOverAt: Date | null;
  /**
   * Other clicks recorded on the same message: time and link index. At ingestion these are the earlier ones; when
   * reclassifying, pass all the others, so that the first click of a burst is caught too.
   */
  recentClicks: Array<{ at: Date; linkIndex: number | null }>;
  settings: ClassifierSettings;
}

/** The headers the rules read: the endpoint keeps these with every raw hit so it can be classified again. */
export const KEPT_HEADERS = [
  'accept',
  'accept-language',
  'from',
  'purpose',
  'sec-fetch-dest',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-user',
  'sec-purpose',
  'via',
  'x-moz',
  'x-purpose',
] as const;

interface RuleInfo {
  id: string;
  class: 'human' | 'machine';
  applies: 'open' | 'click' | 'both';
  proxied?: 'gmail' | 'apple' | 'other';
  description: string;
  source: string;
}

/** The rules, in the order they are tried: the first that matches decides. */
export const RULES = [
  {
    id: 'head_request',
    class: 'machine',
    applies: 'both',
    description: 'A HEAD request checks that the link works; a person opening or clicking makes a GET.',
    source: 'RFC 9110 §9.3.2; Mautic #9798 (scanners following every link)',
  },
  {
    id: 'prefetch',
    class: 'machine',
    applies: 'both',
    description: 'The request says it is a prefetch or preview (Sec-Purpose, Purpose, X-Purpose or X-Moz).',
    source: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Purpose; WebKit bug 46529',
  },
  {
    id: 'honeypot',
    class: 'machine',
    applies: 'click',
    description: 'The honeypot link is invisible to people: only software that follows every link clicks it.',
    source: 'Mautic #9798 (invisible link) and #9162',
  },
  {
    id: 'apple_mpp',
    class: 'machine',
    applies: 'open',
    proxied: 'apple',
    description: 'Apple Mail Privacy Protection loads images on delivery, read or not: user agent "Mozilla/5.0" from Apple\'s proxies.',
    source: 'ua-parser/uap-core #509; https://mask-api.icloud.com/egress-ip-ranges.csv',
  },
  {
    id: 'gmail_proxy',
    class: 'human',
    applies: 'open',
    proxied: 'gmail',
    description: 'Gmail fetches images through its proxy when the person opens the message; it caches, so only the first open shows.',
    source: 'wordtothewise.com/2013/12/gmail-deploys-image-proxy-servers',
  },
  {
    id: 'yahoo_proxy',
    class: 'human',
    applies: 'open',
    proxied: 'other',
    description: 'Yahoo Mail fetches images through its proxy when the message is opened; it caches like Gmail.',
    source: 'https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html; validity.com (Yahoo image caching, 2018)',
  },
  {
    id: 'declared_robot',
    class: 'machine',
    applies: 'both',
    description: 'A From header names the operator of a robot; browsers never send one.',
    source: 'RFC 9110 §10.1.2',
  },
  {
    id: 'scanner_user_agent',
    class: 'machine',
    applies: 'both',
    description: 'The user agent names a security scanner, link preview or crawler (list in signatures.ts).',
    source: 'Mautic #16263; the sources listed with each user agent in signatures.ts',
  },
  {
    id: 'scanner_network',
    class: 'machine',
    applies: 'both',
    description: 'The request comes from a security gateway\'s network (Microsoft, Barracuda, Mimecast, Proofpoint).',
    source: 'Mautic #16263; listmonk #1025; the sources listed with each network in signatures.ts',
  },
  {
    id: 'link_burst',
    class: 'machine',
    applies: 'click',
    description: 'Different links of the same message clicked within burstSeconds of each other: a scanner following every link.',
    source: 'Mautic #9798 and #16263; Act-On "Identifying False Positives in Email Clicks"',
  },
  {
    id: 'early_click_no_browser_signals',
    class: 'machine',
    applies: 'click',
    description: 'A click within earlyClickSeconds of hand-over that also lacks what browsers send (Accept-Language, Sec-Fetch-*, a browser user agent).',
    source: 'Mautic PR #14593 (time from send as one signal among several); listmonk #1025',
  },
  {
    id: 'default_human',
    class: 'human',
    applies: 'both',
    description: 'No rule above matched: counted as a person.',
    source: 'docs/TRACKING.md',
  },
] as const satisfies readonly RuleInfo[];

export type RuleId = (typeof RULES)[number]['id'];

export type Verdict = { class: 'human' | 'machine'; rule: RuleId; proxied?: 'gmail' | 'apple' | 'other' };

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** An address, or an address with a /length (a stored prefix); IPv4-mapped IPv6 reads as IPv4. */
function parseIp(raw: string | null): Address | null {
  const addr = raw?.trim().split('/')[0];
  if (!addr) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) return ipaddr.IPv4.parse(addr);
  return ipaddr.IPv6.isValid(addr) ? ipaddr.process(addr) : null;
}

function parseRanges(list: readonly NetworkSignature[]): Range[] {
  return list.map(({ cidr }) => ipaddr.parseCIDR(cidr));
}

const APPLE_RANGES = parseRanges(APPLE_PROXY_NETWORKS);
const SCANNER_RANGES = parseRanges(SCANNER_NETWORKS);

function inRanges(ip: Address | null, ranges: Range[]): boolean {
  return ip !== null && ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}

/** The prefix to store instead of the address: /24 for IPv4, /48 for IPv6. Every network in signatures.ts is as wide. */
export function ipPrefix(raw: string | null): string | null {
  const ip = parseIp(raw);
  if (!ip) return null;
  const bits = ip.kind() === 'ipv4' ? 24 : 48;
  const net = ip.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${bits}`);
  return `${net.toString()}/${bits}`;
}

interface Facts {
  hit: Hit;
  context: Context;
  ua: string;
  ip: Address | null;
  header: (name: string) => string;
}

/** What a browser navigating to a link sends and a script usually does not; any one missing is a weak signal. */
function missingBrowserSignals({ ua, header, hit }: Facts): string[] {
  const missing: string[] = [];
  if (ua.trim() === '' || ua === APPLE_PROXY_USER_AGENT || NON_BROWSER_USER_AGENT.test(ua)) missing.push('browser user agent');
  if (!header('accept-language')) missing.push('accept-language');
  if (!Object.keys(hit.headers).some((name) => name.toLowerCase().startsWith('sec-fetch-'))) missing.push('sec-fetch-*');
  return missing;
}

const CHECKS: { [K in RuleId]: (facts: Facts) => boolean } = {
  head_request: ({ hit }) => hit.method.toUpperCase() === 'HEAD',
  prefetch: ({ header }) => PREFETCH_HEADERS.some(({ header: name, value }) => value.test(header(name))),
  honeypot: ({ hit }) => hit.honeypot === true,
  // Without an address the user agent alone decides: no browser or mail client sends a bare "Mozilla/5.0".
  apple_mpp: ({ hit, ua, ip }) => hit.kind === 'open' && ua === APPLE_PROXY_USER_AGENT && (ip === null || inRanges(ip, APPLE_RANGES)),
  gmail_proxy: ({ hit, ua, header }) => hit.kind === 'open' && (GMAIL_PROXY.test(ua) || GMAIL_PROXY.test(header('via'))),
  yahoo_proxy: ({ hit, ua }) => hit.kind === 'open' && YAHOO_PROXY.test(ua),
  declared_robot: ({ header }) => header('from') !== '',
  scanner_user_agent: ({ ua }) => SCANNER_USER_AGENTS.some(({ pattern }) => pattern.test(ua)),
  scanner_network: ({ ip }) => inRanges(ip, SCANNER_RANGES),
  link_burst: ({ hit, context }) => {
    if (hit.kind !== 'click' || hit.linkIndex == null) return false;
    const window = context.settings.burstSeconds * 1000;
    return context.recentClicks.some(
      (other) => other.linkIndex !== null && other.linkIndex !== hit.linkIndex && Math.abs(other.at.getTime() - hit.at.getTime()) <= window,
    );
  },
  // Timing alone never decides: a person can click within seconds of delivery. A hit before hand-over (clock skew
  // between the sender and the tracker) counts as early.
  early_click_no_browser_signals: (facts) => {
    const { hit, context } = facts;
    if (hit.kind !== 'click' || context.handedOverAt === null) return false;
    const elapsed = hit.at.getTime() - context.handedOverAt.getTime();
    return elapsed < context.settings.earlyClickSeconds * 1000 && missingBrowserSignals(facts).length > 0;
  },
  default_human: () => true,
};

/** The verdict of the first rule in RULES that matches the hit. */
export function classifyHit(hit: Hit, context: Context): Verdict {
  const headers = new Map(Object.entries(hit.headers).map(([name, value]) => [name.toLowerCase(), value.trim()]));
  const facts: Facts = { hit, context, ua: hit.userAgent ?? '', ip: parseIp(hit.ip), header: (name) => headers.get(name) ?? '' };
  for (const rule of RULES) {
    if (!CHECKS[rule.id](facts)) continue;
    return 'proxied' in rule ? { class: rule.class, rule: rule.id, proxied: rule.proxied } : { class: rule.class, rule: rule.id };
  }
  throw new Error('unreachable: default_human always matches');
}
