import { createRoute, z } from '@hono/zod-openapi';
import { AbTestViewSchema } from '../campaigns/index.js';
import { orCsv } from '../http/csv.js';
import { exampleResponse } from '../http/examples.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';

const counts = z.record(z.string(), z.number());
const BreakdownRowSchema = z.object({
  key: z.string().nullable(), sent: z.number(), opened: z.number(), clicked: z.number(), replied: z.number(), converted: z.number(), revenue: z.number(),
  unsubscribed: z.number(), rates: z.object({ open: z.number(), click: z.number() }),
});
const SplitSchema = z.object({ human: z.number(), machine: z.number() });
const HitsSchema = z.object({ human: z.number(), machine: z.number(), unique_human: z.number(), unique_machine: z.number() });

const ReportSchema = z
  .object({
    campaign: z.object({
      id: z.number(), name: z.string(), channel: z.string(), kind: z.string(), priority: z.string(), status: z.string(),
      launched_at: z.string().nullable(), completed_at: z.string().nullable(),
    }),
    delivery: z.object({ audience: z.number(), targeted: z.number(), sent: z.number(), failed: z.number(), pending: z.number(), sending: z.number(), cancelled: z.number() }),
    held_back: z.object({
      consent: z.object({ not_subscribed: z.number(), unsubscribed: z.number(), pending_confirmation: z.number(), paused: z.number() }),
      no_address: z.number(), suppressed: z.number(), contact_deleted: z.number(),
      deadline: z.number().openapi({ description: 'Deferred by quiet hours past the campaign deadline' }),
      capped: counts.openapi({ description: 'Skipped by each pressure rule (the contact’s own frequency choice included)' }),
    }),
    deferred: z.object({
      quiet_hours: z.number(), caps: counts,
      local_time: z.number().openapi({ description: 'Waiting for their recipient’s local time (a launch with local_time)' }),
      retrying: z.number().openapi({ description: 'Waiting for their next attempt after a retryable failure (throttling, 5xx, timeout)' }),
    }),
    funnel: z.object({
      targeted: z.number().openapi({ description: 'Everyone the audience selected' }),
      held_back: z.number().openapi({ description: 'Of them, all held back; held_back above gives each reason' }),
      sent: z.number(),
      delivered: z.number().openapi({ description: 'Sent, less bounced and rejected (every channel)' }),
      delivery_confirmed: z.number().openapi({ description: 'Deliveries the provider confirmed (SES)' }),
      bounced: z.object({ hard: z.number(), soft: z.number().openapi({ description: 'Messages that only ever bounced soft' }) }),
      rejected: z.number(), complained: z.number(),
      opened: SplitSchema.openapi({ description: 'Unique opens: messages opened by a person, by a machine' }),
      clicked: SplitSchema.openapi({ description: 'Unique clicks: messages clicked by a person, by a machine' }),
      replied: z.number(), converted: z.number(), revenue: z.number(), unsubscribed: z.number(),
      rates: z.object({
        delivery: z.number(), bounce: z.number(), complaint: z.number(), open: z.number(), click: z.number(), click_to_open: z.number(),
        reply: z.number(), conversion: z.number(), unsubscribe: z.number(),
      }).openapi({ description: 'delivery and bounce over sent; the others over delivered; click_to_open over unique human opens' }),
    }),
    engagement: z.object({
      opened: z.number(), clicked: z.number(), replied: z.number(), converted: z.number(),
      opens: HitsSchema.openapi({ description: 'Hits of the open pixel, human and machine (Apple Mail Privacy Protection, prefetch…); unique: messages with one' }),
      clicks: HitsSchema.extend({ by_link: z.array(z.object({ link: z.number(), url: z.string(), human: z.number(), machine: z.number() })) })
        .openapi({ description: 'Hits of tracked links, human and machine (scanners, the honeypot…), and per link of the message (its index; its URL, without the query when personalised), the 100 most clicked' }),
      replies: z.number(), conversions: z.object({ count: z.number(), revenue: z.number() }), unsubscribes: z.number(),
      rates: z.object({ open: z.number(), click: z.number(), click_to_open: z.number(), reply: z.number(), conversion: z.number(), unsubscribe: z.number() })
        .openapi({ description: 'Over messages delivered; click_to_open over unique human opens' }),
    }),
    series: z.object({
      metrics: z.array(z.string()),
      truncated: z.boolean(),
      points: z.array(z.object({ at: z.string(), granularity: z.enum(['hour', 'day']), values: z.record(z.string(), z.number()) })),
    }).openapi({ description: 'Opens and clicks, human and machine: hourly for the first 48 hours after launch (to the next UTC midnight), then per UTC day' }),
    breakdowns: z.object({
      computed_at: z.string().openapi({ description: 'When the variant, locale and attribute breakdowns were computed: on every read up to 50,000 messages sent, at most every 5 minutes beyond' }),
      channel: z.array(BreakdownRowSchema),
      variant: z.array(BreakdownRowSchema).openapi({ description: 'By language variant of the template (from the recipient’s locale)' }),
      locale: z.array(BreakdownRowSchema),
      attribute: z.object({ name: z.string(), rows: z.array(BreakdownRowSchema) }).optional().openapi({ description: 'With ?by=: the 50 largest values' }),
    }),
    ab_test: AbTestViewSchema.optional().openapi({
      description: 'A campaign with an A/B test: each variant\'s test group (sent, unique human opens and clicks, conversions, rates over sent; the winner marked) and the rest of the audience',
    }),
  })
  .openapi('CampaignReport');

export const campaignReportRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/report', tags: ['Reports'], security,
  request: {
    params: IdParam,
    query: z.object({
      by: z.string().min(1).max(100).optional().openapi({ description: 'A declared attribute to break the sent messages down by (host, ambassador…)', example: 'host' }),
    }).strict(),
  },
  summary: 'Get a campaign\'s report: delivery, hold-backs and engagement',
  description:
    'Read from the ledger, so the same while the campaign is sending and once it is done: delivery (sent, failed, ' +
    'pending…), what consent, suppression, caps (per rule), quiet hours and the deadline held back, and engagement ' +
    '(opened, clicked, replied, converted: the ledger\'s first times, with rates over the messages sent) and the tracked ' +
    'opens and clicks, human and machine side by side (docs/TRACKING.md). Opened and clicked are the first human ones ' +
    'recorded for each message. 404 for an unknown campaign.',
  responses: {
    200: orCsv(exampleResponse(ReportSchema, 'The report', {
      campaign: {
        id: 7, name: 'Lettre de novembre', channel: 'email', kind: 'marketing', priority: 'normal', status: 'sent',
        launched_at: '2026-11-03T09:00:00.000Z', completed_at: '2026-11-03T09:02:41.000Z',
      },
      delivery: { audience: 1250, targeted: 1180, sent: 1176, failed: 4, pending: 0, sending: 0, cancelled: 0 },
      held_back: {
        consent: { not_subscribed: 52, unsubscribed: 0, pending_confirmation: 0, paused: 0 },
        no_address: 0, suppressed: 11, contact_deleted: 0, deadline: 0, capped: { 'email: 12 per calendar month': 7 },
      },
      deferred: { quiet_hours: 0, caps: {}, local_time: 0, retrying: 0 },
      engagement: {
        opened: 412, clicked: 96, replied: 0, converted: 18,
        opens: { human: 530, machine: 388, unique_human: 412, unique_machine: 301 },
        clicks: {
          human: 120, machine: 41, unique_human: 96, unique_machine: 23,
          by_link: [{ link: 0, url: 'https://shop.example/promo', human: 88, machine: 30 }, { link: 1, url: 'https://shop.example/', human: 32, machine: 11 }],
        },
        replies: 3, conversions: { count: 21, revenue: 1890.5 }, unsubscribes: 6,
        rates: { open: 0.3563, click: 0.083, click_to_open: 0.233, reply: 0.0026, conversion: 0.0156, unsubscribe: 0.0052 } },
      funnel: {
        targeted: 1250, held_back: 70, sent: 1176, delivered: 1156, delivery_confirmed: 1150, bounced: { hard: 12, soft: 8 }, rejected: 0, complained: 1,
        opened: { human: 412, machine: 301 }, clicked: { human: 96, machine: 23 }, replied: 3, converted: 18, revenue: 1890.5, unsubscribed: 6,
        rates: { delivery: 0.983, bounce: 0.017, complaint: 0.0009, open: 0.3564, click: 0.083, click_to_open: 0.233, reply: 0.0026, conversion: 0.0156, unsubscribe: 0.0052 },
      },
      series: {
        metrics: ['open_human', 'open_machine', 'click_human', 'click_machine'], truncated: false,
        points: [{ at: '2026-11-03T09:00:00.000Z', granularity: 'hour', values: { open_human: 120, open_machine: 290, click_human: 31, click_machine: 20 } }],
      },
      breakdowns: {
        computed_at: '2026-11-10T08:00:00.000Z',
        channel: [{ key: 'email', sent: 1176, opened: 412, clicked: 96, replied: 3, converted: 18, revenue: 1890.5, unsubscribed: 6, rates: { open: 0.3503, click: 0.0816 } }],
        variant: [{ key: 'fr', sent: 1000, opened: 360, clicked: 80, replied: 3, converted: 15, revenue: 1600, unsubscribed: 5, rates: { open: 0.36, click: 0.08 } }],
        locale: [{ key: 'fr', sent: 1000, opened: 360, clicked: 80, replied: 3, converted: 15, revenue: 1600, unsubscribed: 5, rates: { open: 0.36, click: 0.08 } }],
      },
    }), 'section,metric,key,value\r\ncampaign,name,,Lettre de novembre\r\nfunnel,sent,,1176\r\nfunnel,opened.human,,412\r\nby_link,human,0,88\r\nseries,open_human,2026-11-03T09:00:00.000Z,120\r\nbreakdown.locale,sent,fr,1000\r\n',
    'With Accept: text/csv: the report in long form, one row per figure (section, metric, key: a link, a time, a group; value), UTF-8 with a BOM, CRLF lines; a text cell starting with =, +, -, @, tab or CR is prefixed with \''),
    ...commonErrors, ...notFound,
  },
});
