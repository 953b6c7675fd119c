// The recognisable fingerprints of mail proxies, security scanners and prefetchers, each with where it came from.
// Networks and user agents change: when one is added, removed or re-checked, update its date and source here, and
// reclassify the stored raw hits (docs/TRACKING.md). Every network is a /24 or wider (IPv4), a /48 or wider (IPv6),
// so a stored IP prefix (see ipPrefix in classify.ts) is classified exactly like the full address.

export interface NetworkSignature {
  cidr: string;
  owner: string;
  source: string;
  /** When the range was last checked against its source. */
  checked: string;
}

export interface UserAgentSignature {
  name: string;
  /** Tested against the whole user agent; patterns are case-insensitive unless stated. */
  pattern: RegExp;
  source: string;
  checked: string;
}

/**
 * Apple Mail Privacy Protection fetches every remote image when the message reaches the device, through Apple's
 * proxies, with this user agent and nothing else. Since iOS 15 / macOS 12 (September 2021).
 */
export const APPLE_PROXY_USER_AGENT = 'Mozilla/5.0';

const PRIVATE_RELAY = 'https://mask-api.icloud.com/egress-ip-ranges.csv (MPP fetches through iCloud Private Relay: wordtothewise.com/2021/09/apple-mpp-reporting-and-geolocation)';

/**
 * A small summary of the egress networks MPP fetches come from: Apple's own /8 and the Private Relay egress blocks
 * its partners run. Apple's CSV has tens of thousands of entries that rotate; these blocks enclose every IPv4 and
 * the main IPv6 entries of the snapshot we read (hroost/icloud-private-relay-iplist, read 2026-12-01).
 */
export const APPLE_PROXY_NETWORKS: readonly NetworkSignature[] = [
  { cidr: '17.0.0.0/8', owner: 'Apple', source: 'ARIN NET-17-0-0-0-0 (Apple Inc.)', checked: '2026-12-01' },
  { cidr: '104.28.0.0/16', owner: 'Cloudflare, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
  { cidr: '140.248.0.0/18', owner: 'Fastly, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
  { cidr: '146.75.128.0/17', owner: 'Fastly, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
  { cidr: '172.224.0.0/14', owner: 'Akamai, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
  { cidr: '2606:54c0::/30', owner: 'Cloudflare, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
  { cidr: '2a02:26f7::/32', owner: 'Akamai, Private Relay egress', source: PRIVATE_RELAY, checked: '2026-12-01' },
];

/** Gmail's image proxy names itself in the user agent (and sometimes Via): "… (via ggpht.com GoogleImageProxy)". */
export const GMAIL_PROXY = /GoogleImageProxy|ggpht\.com/i;

/** Yahoo Mail's proxy: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html". */
export const YAHOO_PROXY = /YahooMailProxy/i;

/** Request headers that mark a prefetch or preview rather than a use of the resource, with the values that do. */
export const PREFETCH_HEADERS: ReadonlyArray<{ header: string; value: RegExp; source: string }> = [
  // Chromium sends "prefetch", "prefetch;prerender" and "prefetch;anonymous-client-ip"; Firefox 115+ "prefetch".
  { header: 'sec-purpose', value: /^prefetch\b/i, source: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Purpose' },
  { header: 'purpose', value: /^prefetch\b/i, source: 'Chromium nostate-prefetch (crbug.com/86175)' },
  { header: 'x-purpose', value: /^(?:preview|prefetch)\b/i, source: 'WebKit bug 46529; lionralfs.dev/blog/exploring-the-usage-of-prefetch-headers' },
  { header: 'x-moz', value: /^prefetch\b/i, source: 'Firefox link prefetching (MDN); lionralfs.dev/blog/exploring-the-usage-of-prefetch-headers' },
];

/**
 * Clients that say what they are and are never a person opening or clicking. Most gateways (Safe Links, Mimecast,
 * Proofpoint) send an ordinary browser user agent (Mautic #16263), so this list catches only the honest ones; the
 * networks below, the honeypot and bursts catch the rest.
 */
export const SCANNER_USER_AGENTS: readonly UserAgentSignature[] = [
  { name: 'Barracuda Sentinel', pattern: /Barracuda Sentinel/i, source: 'JayBizzle/Crawler-Detect #552 ("Barracuda Sentinel (EE)")', checked: '2026-12-01' },
  {
    name: 'Security gateway naming itself',
    pattern: /barracuda|mimecast|proofpoint|ironport|trend ?micro|symantec|sophos|bitdefender/i,
    source: 'Mautic #16263, #9798 (the gateways that click); a vendor token never appears in a browser user agent',
    checked: '2026-12-01',
  },
  { name: 'Outlook.com link preview', pattern: /BingPreview/i, source: 'phpList #415; radiasoft/sirepo #1937', checked: '2026-12-01' },
  { name: 'Gmail content sampling', pattern: /Gmail-content-sampling/i, source: 'mssola/user_agent #71', checked: '2026-12-01' },
  {
    name: 'Gmail fetch on receipt',
    // Exact, case-sensitive: a real Edge 12 sends the same string without the trailing " Mozilla/5.0".
    pattern: /^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\) AppleWebKit\/537\.36 \(KHTML, like Gecko\) Chrome\/42\.0\.2311\.135 Safari\/537\.36 Edge\/12\.246 Mozilla\/5\.0$/,
    source: 'Mautic PR #10245; jdavidbakr/mail-tracker #255',
    checked: '2026-12-01',
  },
  {
    name: 'Microsoft Office link probe',
    // Office checks that a clicked URL exists before it opens the browser, which then makes its own request.
    pattern: /Microsoft Office (?:Existence|Protocol) Discovery/i,
    source: 'oalders/http-browserdetect #114; browscap/browscap #305',
    checked: '2026-12-01',
  },
  // Image proxies fetch images, not links: on an open they are a person seen through a proxy (earlier rules), on a
  // click they are a machine.
  { name: 'Mail image proxy on a link', pattern: /GoogleImageProxy|ggpht\.com|YahooMailProxy/i, source: 'darkvisitors.com/agents/googleimageproxy; help.yahoo.com/kb/SLN28749', checked: '2026-12-01' },
  {
    name: 'Link preview or crawler',
    pattern: /Googlebot|bingbot|Applebot|facebookexternalhit|Slackbot|Twitterbot|LinkedInBot|Discordbot|TelegramBot|WhatsApp\//i,
    source: 'Mautic PR #12750 and #15870 (bots filtered from email statistics); each operator documents its user agent',
    checked: '2026-12-01',
  },
];

/**
 * Networks of email security gateways: a person never browses from them. Not complete: Safe Links detonation and
 * Barracuda's newer services also click from shared cloud ranges (campus.barracuda.com "Unwanted Link Clicks").
 */
export const SCANNER_NETWORKS: readonly NetworkSignature[] = [
  ...['40.92.0.0/15', '40.107.0.0/16', '52.100.0.0/14', '104.47.0.0/17'].map((cidr) => ({
    cidr,
    owner: 'Microsoft Exchange Online Protection / Defender (Safe Links)',
    source: 'spf.protection.outlook.com; learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges (Exchange Online)',
    checked: '2026-12-01',
  })),
  ...['64.235.144.0/20', '209.222.80.0/21'].map((cidr) => ({
    cidr,
    owner: 'Barracuda Email Security Service',
    source: 'campus.barracuda.com "Barracuda Email Security Service IP Ranges"; ARIN NET-64-235-144-0-1 (AS15324)',
    checked: '2026-12-01',
  })),
  ...['205.139.110.0/24', '216.205.24.0/24', '170.10.129.0/24', '170.10.133.0/24', '91.220.42.0/24', '195.130.217.0/24', '185.58.85.0/24', '185.58.86.0/24'].map((cidr) => ({
    cidr,
    owner: 'Mimecast',
    source: '_netblocks.mimecast.com as mirrored by blankcode/msipdelta2; Mimecast "Data Centers and URLs"',
    checked: '2026-12-01',
  })),
  ...['67.231.144.0/20', '148.163.128.0/19'].map((cidr) => ({
    cidr,
    owner: 'Proofpoint (pphosted.com, URL Defense)',
    source: 'proofpoint.my.site.com/support/PPSup_SupportInfo; AS26211',
    checked: '2026-12-01',
  })),
];

/**
 * HTTP libraries and command-line tools. Weak on its own (a person may test a link with curl): it counts only
 * with an early click (see early_click_no_browser_signals).
 */
export const NON_BROWSER_USER_AGENT =
  /^(?:curl|wget|python-requests|python-urllib3?|go-http-client|java|okhttp|apache-httpclient|node-fetch|undici|axios|libwww-perl|postmanruntime)\//i;
