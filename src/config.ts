import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { parseTrustedProxies } from './http/client-ip.js';

// Every setting comes from the environment (process.env on Node, the Worker's env bindings).
// The README lists each one; keep the two in step.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  OUTBOX_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_API_KEY: z.string().min(20, 'ADMIN_API_KEY must be at least 20 characters').optional(),
  DEMO_DATA: z.enum(['true', 'false']).optional(),
  BRAND_NAME: z.string().default('Relais'),
  BRAND_COLOR: z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'a hex colour such as #1d4f91').default('#1d4f91'),
  EMAIL_FROM_ADDRESS: z.string().email().default('newsletter@example.com'),
  EMAIL_FROM_NAME: z.string().default('Relais'),
  EMAIL_REPLY_TO: z.string().email().optional(),
  SMS_FROM: z.string().default('RELAIS'),
  EMAIL_TRANSPORT: z.enum(['outbox', 'ses', 'null']).optional(),
  SES_REGION: z.string().optional(),
  SES_ENDPOINT: z.string().url().optional(),
  SES_ACCESS_KEY_ID: z.string().optional(),
  SES_SECRET_ACCESS_KEY: z.string().optional(),
  SES_CONFIGURATION_SET: z.string().optional(),
  SES_MAX_SEND_RATE: z.coerce.number().min(1).max(1_000_000).optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_API_URL: z.string().url().optional(),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  WEBHOOK_MAX_SEND_RATE: z.coerce.number().min(1).max(1_000_000).optional(),
  AWS_SMS_REGION: z.string().optional(),
  AWS_SMS_ENDPOINT: z.string().url().optional(),
  AWS_SMS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SMS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SMS_CONFIGURATION_SET: z.string().optional(),
  SMS_TRANSPORT: z.enum(['outbox', 'twilio', 'aws', 'null']).optional(),
  POSTAL_TRANSPORT: z.enum(['outbox', 'print_house', 'null']).optional(),
  PRINT_HOUSE_URL: z.string().url().refine((u) => /^https?:/i.test(u), 'an http(s) URL').optional(),
  PRINT_HOUSE_API_KEY: z.string().optional(),
  PRINT_HOUSE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'a Standard Webhooks secret: whsec_ then base64').optional(),
  POSTAL_WINDOW: z.enum(['left', 'right']).default('left'),
  POSTAL_DUPLEX: z.enum(['true', 'false']).default('false'),
  POSTAL_RETURN_ADDRESS: z.string().max(200).optional(),
  POSTAL_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as FR').default('FR'),
  SMS_FROM_BY_COUNTRY: z
    .string()
    .regex(/^\s*[A-Z]{2}=[^,=\s]{1,20}(\s*,\s*[A-Z]{2}=[^,=\s]{1,20})*\s*$/, 'country=sender pairs separated by commas, such as FR=RELAIS,CA=+15145550100')
    .optional(),
  SMS_MAX_SEND_RATE: z.coerce.number().min(1).max(1_000_000).optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16, 'SMS_WEBHOOK_SECRET must be at least 16 characters').optional(),
  SMS_DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as FR').default('FR'),
  SMS_HELP_CONTACT: z.string().optional(),
  SMS_STOP_MENTION: z.string().default('STOP SMS'),
  SMS_STOP_MENTION_EN: z.string().default('Reply STOP to opt out'),
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  SES_SNS_TOPIC_ARNS: z.string().optional(),
  RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(3),
  SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SEND_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  SEND_PAUSE_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.2),
  SEND_IN_PROCESS: z.enum(['true', 'false']).default('true'),
  SEGMENT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  LAUNCH_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(120_000),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(50 * 1024 * 1024),
  LOG_LEVEL: z.enum(['info', 'error', 'silent']).default('info'),
  TRACKING_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(25),
  TRACKING_EARLY_CLICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
  TRACKING_BURST_SECONDS: z.coerce.number().int().min(0).max(60).default(2),
  TRACKING_HITS_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(395),
  CONVERSION_EVENT_TYPES: z.string().regex(/^\s*[\w.:-]{1,100}(\s*,\s*[\w.:-]{1,100})*\s*$/, 'event types separated by commas, such as purchase,booking').default('purchase'),
  ATTRIBUTION_CLICK_DAYS: z.coerce.number().min(0).max(90).default(5),
  ATTRIBUTION_OPEN_DAYS: z.coerce.number().min(0).max(90).default(1),
  REPLY_DOMAIN: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a domain name such as reply.shop.example').optional(),
  INBOUND_EMAIL_SECRET: z.string().min(16, 'INBOUND_EMAIL_SECRET must be at least 16 characters').optional(),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const { invalid } = parseTrustedProxies(v ?? '');
      if (invalid.length) ctx.addIssue({ code: 'custom', message: `not an IP address or CIDR: ${invalid.join(', ')}` });
    }),
});

export type Config = {
  port: number;
  /** `info`: a line per request and per error; `error`: errors only; `silent`: nothing. */
  logLevel: 'info' | 'error' | 'silent';
  /** Node: how long opens and clicks wait in memory before they are written together. */
  trackingFlushMs: number;
  /** The timing rules of the human/machine classification (docs/TRACKING.md). */
  classifier: { earlyClickSeconds: number; burstSeconds: number };
  /** Raw hits older than this are deleted every day (their counts stay in the rollups); 0 keeps them. */
  trackingHitsRetentionDays: number;
  /** Which events are conversions, and how far back a human click (else open) attributes one (docs/REPORTS.md). */
  conversions: { types: string[]; clickDays: number; openDays: number };
  /** Marketing email says Reply-To: reply+<token>@this domain, so a reply is linked to its message. */
  replyDomain?: string;
  /** Bearer secret of POST /webhooks/email (the generic JSON form of inbound replies). */
  inboundEmailSecret?: string;
  dataDir: string;
  outboxDir: string;
  databaseUrl?: string;
  publicUrl: string;
  adminApiKey?: string;
  demoData: 'auto' | boolean;
  brandName: string;
  /** #rrggbb, lower case; pages derive readable text colours from it. */
  brandColor: string;
  emailFrom: { address: string; name: string };
  emailReplyTo?: string;
  smsFrom: string;
  /** The sender id or number by the destination's country (SMS_FROM_BY_COUNTRY); SMS_FROM elsewhere. */
  smsFromByCountry: Record<string, string>;
  /** Webhook endpoints may be private, loopback or plain http (development and tests only). */
  webhookAllowPrivate: boolean;
  emailTransport: 'outbox' | 'ses' | 'null';
  ses?: {
    region: string;
    endpoint?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    configurationSet?: string;
  };
  smsTransport: 'outbox' | 'twilio' | 'aws' | 'null';
  twilio?: { accountSid: string; authToken: string; messagingServiceSid?: string; apiUrl?: string };
  awsSms?: { region: string; endpoint?: string; accessKeyId?: string; secretAccessKey?: string; configurationSet?: string };
  postalTransport: 'outbox' | 'print_house' | 'null';
  printHouse?: { url: string; apiKey: string };
  /** Verifies the print house's status callbacks (POST /webhooks/print-house). */
  printHouseWebhookSecret?: string;
  /**
   * How letters are printed: the envelope's window side, duplex, the return address above the window (lines), and
   * the country letters are posted from (others get a country line).
   */
  postal: { window: 'left' | 'right'; duplex: boolean; returnAddress?: string[]; country: string };
  smsWebhookSecret?: string;
  smsDefaultCountry: string;
  smsHelpContact?: string;
  /** French, and any language without its own. */
  smsStopMention: string;
  /** For English content. */
  smsStopMentionEn: string;
  softBounceLimit: number;
  sesSnsTopicArns?: string[];
  retentionYears: number;
  sendBatchSize: number;
  /** How many messages of a claimed batch a sender hands over at once. */
  sendConcurrency: number;
  /**
   * Messages per second each channel's transport may be given, shared by all senders (delivery/send-rate.ts). Email
   * without a setting uses the transport's own limit (SES: MaxSendRate from GetAccount); otherwise no limit.
   */
  maxSendRate: { email?: number; sms?: number; webhook?: number };
  /** How long a sender's claim on a batch lasts: past it, a sender that died is assumed dead and the batch taken back. */
  sendLeaseMs: number;
  /** A campaign pauses itself when more than this share of its last messages failed (1 never pauses it). */
  sendPauseErrorRate: number;
  /** Whether the API process sends too (`npm start`); false when `npm run sender` processes do it. */
  sendInProcess: boolean;
  /**
   * Time allowed per statement of a segment preview, count or freeze (and a campaign preview), and of a launch. On
   * the embedded database, which runs one statement at a time, for all the statements of the request together.
   */
  statementTimeoutMs: { segment: number; launch: number };
  /** The largest CSV file an import takes, in bytes. */
  importMaxBytes: number;
  /** Proxies (normalised CIDRs) whose X-Forwarded-For is believed on Node; see http/client-ip.ts. */
  trustedProxies: string[];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, unknown>): Config {
  const strings = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => typeof v === 'string' && v !== '' && k in envSchema.shape),
  );
  const parsed = envSchema.safeParse(strings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const ses = e.SES_REGION
    ? {
        region: e.SES_REGION,
        endpoint: e.SES_ENDPOINT,
        accessKeyId: e.SES_ACCESS_KEY_ID,
        secretAccessKey: e.SES_SECRET_ACCESS_KEY,
        configurationSet: e.SES_CONFIGURATION_SET,
      }
    : undefined;
  const emailTransport = e.EMAIL_TRANSPORT ?? (ses ? 'ses' : 'outbox');
  if (emailTransport === 'ses' && !ses) throw new ConfigError('EMAIL_TRANSPORT=ses needs SES_REGION');
  const twilio =
    e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
      ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID, apiUrl: e.TWILIO_API_URL }
      : undefined;
  const smsFromByCountry = Object.fromEntries((e.SMS_FROM_BY_COUNTRY ?? '').split(',').filter((p) => p.trim()).map((p) => p.trim().split('=') as [string, string]));
  const unknown = Object.keys(smsFromByCountry).filter((code) => !isSupportedCountry(code));
  if (unknown.length) throw new ConfigError(`SMS_FROM_BY_COUNTRY: ${unknown.join(', ')} is not a country code of phone numbers (GB, not UK)`);
  const awsSms = e.AWS_SMS_REGION
    ? { region: e.AWS_SMS_REGION, endpoint: e.AWS_SMS_ENDPOINT, accessKeyId: e.AWS_SMS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SMS_SECRET_ACCESS_KEY, configurationSet: e.AWS_SMS_CONFIGURATION_SET }
    : undefined;
  if (Boolean(e.AWS_SMS_ACCESS_KEY_ID) !== Boolean(e.AWS_SMS_SECRET_ACCESS_KEY)) {
    throw new ConfigError('AWS_SMS_ACCESS_KEY_ID and AWS_SMS_SECRET_ACCESS_KEY go together: set both, or neither for the default credential chain');
  }
  const smsTransport = e.SMS_TRANSPORT ?? (twilio ? 'twilio' : awsSms ? 'aws' : 'outbox');
  if (smsTransport === 'twilio' && !twilio) throw new ConfigError('SMS_TRANSPORT=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
  if (smsTransport === 'aws' && !awsSms) throw new ConfigError('SMS_TRANSPORT=aws needs AWS_SMS_REGION');
  const printHouse = e.PRINT_HOUSE_URL && e.PRINT_HOUSE_API_KEY ? { url: e.PRINT_HOUSE_URL.replace(/\/$/, ''), apiKey: e.PRINT_HOUSE_API_KEY } : undefined;
  if (Boolean(e.PRINT_HOUSE_URL) !== Boolean(e.PRINT_HOUSE_API_KEY)) throw new ConfigError('PRINT_HOUSE_URL and PRINT_HOUSE_API_KEY go together: set both, or neither');
  const postalTransport = e.POSTAL_TRANSPORT ?? (printHouse ? 'print_house' : 'outbox');
  if (postalTransport === 'print_house' && !printHouse) throw new ConfigError('POSTAL_TRANSPORT=print_house needs PRINT_HOUSE_URL and PRINT_HOUSE_API_KEY');
  return {
    port: e.PORT,
    dataDir: e.DATA_DIR,
    outboxDir: e.OUTBOX_DIR ?? `${e.DATA_DIR.replace(/\/$/, '')}/outbox`,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    adminApiKey: e.ADMIN_API_KEY,
    demoData: e.DEMO_DATA === undefined ? 'auto' : e.DEMO_DATA === 'true',
    brandName: e.BRAND_NAME,
    brandColor: e.BRAND_COLOR.length === 4 ? e.BRAND_COLOR.replace(/[0-9a-f]/gi, (d) => d + d).toLowerCase() : e.BRAND_COLOR.toLowerCase(),
    emailFrom: { address: e.EMAIL_FROM_ADDRESS, name: e.EMAIL_FROM_NAME },
    emailReplyTo: e.EMAIL_REPLY_TO,
    smsFrom: e.SMS_FROM,
    smsFromByCountry,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE === 'true',
    emailTransport,
    ses,
    smsTransport,
    twilio,
    awsSms,
    smsWebhookSecret: e.SMS_WEBHOOK_SECRET,
    postalTransport,
    printHouse,
    printHouseWebhookSecret: e.PRINT_HOUSE_WEBHOOK_SECRET,
    postal: {
      window: e.POSTAL_WINDOW, duplex: e.POSTAL_DUPLEX === 'true', country: e.POSTAL_COUNTRY,
      // One line of the return address per ';' (a sender's name; street; postcode and city).
      returnAddress: e.POSTAL_RETURN_ADDRESS?.split(';').map((l) => l.trim()).filter(Boolean),
    },
    smsDefaultCountry: e.SMS_DEFAULT_COUNTRY,
    smsHelpContact: e.SMS_HELP_CONTACT,
    smsStopMention: e.SMS_STOP_MENTION,
    smsStopMentionEn: e.SMS_STOP_MENTION_EN,
    softBounceLimit: e.SOFT_BOUNCE_LIMIT,
    sesSnsTopicArns: e.SES_SNS_TOPIC_ARNS?.split(',').map((s) => s.trim()).filter(Boolean),
    retentionYears: e.RETENTION_YEARS,
    sendBatchSize: e.SEND_BATCH_SIZE,
    sendConcurrency: e.SEND_CONCURRENCY,
    maxSendRate: { email: e.SES_MAX_SEND_RATE, sms: e.SMS_MAX_SEND_RATE, webhook: e.WEBHOOK_MAX_SEND_RATE },
    sendLeaseMs: e.SEND_LEASE_SECONDS * 1000,
    sendPauseErrorRate: e.SEND_PAUSE_ERROR_RATE,
    sendInProcess: e.SEND_IN_PROCESS === 'true',
    statementTimeoutMs: { segment: e.SEGMENT_STATEMENT_TIMEOUT_MS, launch: e.LAUNCH_STATEMENT_TIMEOUT_MS },
    importMaxBytes: e.IMPORT_MAX_BYTES,
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES ?? '').proxies,
    logLevel: e.LOG_LEVEL,
    trackingFlushMs: e.TRACKING_FLUSH_MS,
    classifier: { earlyClickSeconds: e.TRACKING_EARLY_CLICK_SECONDS, burstSeconds: e.TRACKING_BURST_SECONDS },
    trackingHitsRetentionDays: e.TRACKING_HITS_RETENTION_DAYS,
    conversions: {
      types: [...new Set(e.CONVERSION_EVENT_TYPES.split(',').map((s) => s.trim()).filter(Boolean))],
      clickDays: e.ATTRIBUTION_CLICK_DAYS, openDays: e.ATTRIBUTION_OPEN_DAYS,
    },
    replyDomain: e.REPLY_DOMAIN?.toLowerCase(),
    inboundEmailSecret: e.INBOUND_EMAIL_SECRET,
  };
}
