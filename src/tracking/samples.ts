// Tracking requests as the clients send them: the user agent and headers of each kind of client, the kind of
// address it comes from, and how long after hand-over it typically arrives. classify.test.ts checks each verdict;
// the endpoint tests replay the same requests over HTTP. People's addresses are documentation ranges (RFC 5737,
// RFC 3849); proxies and scanners use addresses inside the networks listed in signatures.ts.
import type { Hit, Verdict } from './classify.js';

export interface RecordedSample {
  name: string;
  kind: 'open' | 'click';
  method: 'GET' | 'HEAD';
  userAgent: string | null;
  ip: string | null;
  headers: Record<string, string>;
  /** Seconds between hand-over and the request. */
  afterSeconds: number;
  linkIndex?: number | null;
  honeypot?: boolean;
  expected: Verdict;
}

export const HANDED_OVER_AT = new Date('2026-03-02T09:00:00Z');

const IMAGE_ACCEPT = 'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
const NAVIGATE_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** What a browser sends when a person follows a link from a mail app or webmail. */
const navigation = (language: string) => ({
  accept: NAVIGATE_ACCEPT,
  'accept-language': language,
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-user': '?1',
});

export const SAMPLES: readonly RecordedSample[] = [
  // Opens
  {
    name: 'Apple Mail with Mail Privacy Protection (IPv4 relay)',
    kind: 'open', method: 'GET', userAgent: 'Mozilla/5.0', ip: '172.225.46.34', afterSeconds: 4,
    headers: { accept: 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5', 'accept-language': 'en-US,en;q=0.9' },
    expected: { class: 'machine', rule: 'apple_mpp', proxied: 'apple' },
  },
  {
    name: 'Apple Mail with Mail Privacy Protection (IPv6 relay)',
    kind: 'open', method: 'GET', userAgent: 'Mozilla/5.0', ip: '2a02:26f7:b3c8:4000::1a', afterSeconds: 35,
    headers: { accept: 'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5' },
    expected: { class: 'machine', rule: 'apple_mpp', proxied: 'apple' },
  },
  {
    name: 'Gmail image proxy',
    kind: 'open', method: 'GET', userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    ip: '66.249.84.227', afterSeconds: 7_260, headers: { accept: '*/*', 'accept-encoding': 'gzip, deflate, br' },
    expected: { class: 'human', rule: 'gmail_proxy', proxied: 'gmail' },
  },
  {
    name: 'Yahoo Mail image proxy',
    kind: 'open', method: 'GET', userAgent: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
    ip: '98.137.27.103', afterSeconds: 1_800, headers: { accept: '*/*' },
    expected: { class: 'human', rule: 'yahoo_proxy', proxied: 'other' },
  },
  {
    name: 'Outlook for Windows (Microsoft 365)',
    kind: 'open', method: 'GET', userAgent: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
    ip: '198.51.100.23', afterSeconds: 540, headers: { accept: '*/*', 'accept-language': 'en-US' },
    expected: { class: 'human', rule: 'default_human' },
  },
  {
    name: 'Outlook 2016 for Windows',
    kind: 'open', method: 'GET', userAgent: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
    ip: '198.51.100.24', afterSeconds: 3_100, headers: { accept: '*/*', 'accept-language': 'fr-CA' },
    expected: { class: 'human', rule: 'default_human' },
  },
  {
    // Privacy Protection off: the phone loads the images itself when the message is opened, from the person's network.
    name: 'iPhone Mail loading images',
    kind: 'open', method: 'GET', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    ip: '203.0.113.45', afterSeconds: 8, headers: { accept: IMAGE_ACCEPT, 'accept-language': 'en-CA,en;q=0.9' },
    expected: { class: 'human', rule: 'default_human' },
  },
  // Clicks by people
  {
    name: 'Chrome on Android, clicked within seconds',
    kind: 'click', method: 'GET', userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    ip: '203.0.113.88', afterSeconds: 6, linkIndex: 1, headers: navigation('fr-CA,fr;q=0.9,en-US;q=0.8,en;q=0.7'),
    expected: { class: 'human', rule: 'default_human' },
  },
  {
    name: 'Safari on macOS from Apple Mail',
    kind: 'click', method: 'GET', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    ip: '2001:db8:4f2a::17', afterSeconds: 7_400, linkIndex: 0, headers: navigation('en-GB,en;q=0.9'),
    expected: { class: 'human', rule: 'default_human' },
  },
  // Clicks by machines
  {
    name: 'Microsoft Defender Safe Links detonation',
    kind: 'click', method: 'GET', userAgent: CHROME_WINDOWS, ip: '52.101.40.17', afterSeconds: 2, linkIndex: 0,
    headers: { accept: '*/*' },
    expected: { class: 'machine', rule: 'scanner_network' },
  },
  {
    name: 'Mimecast URL Protect',
    kind: 'click', method: 'GET', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0',
    ip: '205.139.110.62', afterSeconds: 9, linkIndex: 2, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    expected: { class: 'machine', rule: 'scanner_network' },
  },
  {
    name: 'Proofpoint URL Defense',
    kind: 'click', method: 'GET', userAgent: CHROME_WINDOWS, ip: '148.163.150.18', afterSeconds: 14, linkIndex: 3,
    headers: { accept: NAVIGATE_ACCEPT, 'accept-language': 'en-US,en;q=0.9' },
    expected: { class: 'machine', rule: 'scanner_network' },
  },
  {
    // Both its user agent and its network give it away; the user agent rule comes first.
    name: 'Barracuda Sentinel',
    kind: 'click', method: 'GET', userAgent: 'Barracuda Sentinel (EE)', ip: '209.222.82.14', afterSeconds: 31, linkIndex: 0,
    headers: { accept: '*/*' },
    expected: { class: 'machine', rule: 'scanner_user_agent' },
  },
  {
    name: 'Outlook.com link preview',
    kind: 'click', method: 'GET', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b',
    ip: '40.77.167.20', afterSeconds: 95, linkIndex: 1, headers: { accept: '*/*' },
    expected: { class: 'machine', rule: 'scanner_user_agent' },
  },
  {
    name: 'curl',
    kind: 'click', method: 'GET', userAgent: 'curl/8.5.0', ip: '198.51.100.77', afterSeconds: 4, linkIndex: 0,
    headers: { accept: '*/*' },
    expected: { class: 'machine', rule: 'early_click_no_browser_signals' },
  },
  {
    name: 'python-requests',
    kind: 'click', method: 'GET', userAgent: 'python-requests/2.32.3', ip: '198.51.100.78', afterSeconds: 11, linkIndex: 2,
    headers: { accept: '*/*', 'accept-encoding': 'gzip, deflate' },
    expected: { class: 'machine', rule: 'early_click_no_browser_signals' },
  },
  {
    name: 'Chrome prerendering a link (speculation rules)',
    kind: 'click', method: 'GET', userAgent: CHROME_WINDOWS, ip: '203.0.113.90', afterSeconds: 600, linkIndex: 1,
    headers: {
      accept: NAVIGATE_ACCEPT, 'accept-language': 'en-US,en;q=0.9', 'sec-purpose': 'prefetch;prerender',
      'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site',
    },
    expected: { class: 'machine', rule: 'prefetch' },
  },
  {
    name: 'Firefox prefetching a link',
    kind: 'click', method: 'GET', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    ip: '203.0.113.91', afterSeconds: 1_200, linkIndex: 0,
    headers: { accept: '*/*', 'accept-language': 'de-DE,de;q=0.8', 'sec-purpose': 'prefetch', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'no-cors' },
    expected: { class: 'machine', rule: 'prefetch' },
  },
  {
    // Word or Outlook checks that the link exists before it opens the browser, whose own GET then follows.
    name: 'Microsoft Office link check (HEAD)',
    kind: 'click', method: 'HEAD', userAgent: 'Microsoft Office Existence Discovery', ip: '198.51.100.23', afterSeconds: 620, linkIndex: 0,
    headers: {},
    expected: { class: 'machine', rule: 'head_request' },
  },
  {
    name: 'Scanner on the honeypot link',
    kind: 'click', method: 'GET', userAgent: CHROME_WINDOWS, ip: '203.0.113.200', afterSeconds: 5, linkIndex: 9, honeypot: true,
    headers: navigation('en-US'),
    expected: { class: 'machine', rule: 'honeypot' },
  },
];

/** The sample as the classifier receives it, handed over at HANDED_OVER_AT. */
export function sampleHit(sample: RecordedSample): Hit {
  return {
    kind: sample.kind,
    method: sample.method,
    at: new Date(HANDED_OVER_AT.getTime() + sample.afterSeconds * 1000),
    userAgent: sample.userAgent,
    ip: sample.ip,
    headers: sample.headers,
    linkIndex: sample.linkIndex ?? null,
    honeypot: sample.honeypot ?? false,
  };
}
