import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { exampleResponse } from '../http/examples.js';
import { commonErrors, DateTime, queryTimeout, security } from '../http/schemas.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_MESSAGE = 'must be a date (2026-11-01, midnight UTC) or a date and time with an offset (2026-11-01T09:30:00+01:00), from 1900 to 9999';

/** A date (its midnight UTC) or a date and time with an offset; undefined for anything else. */
export function parseInstant(s: string): Date | undefined {
  const day = DAY.exec(s);
  if (day) {
    const at = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return Number(day[1]) >= 1900 && at.toISOString().slice(0, 10) === s ? at : undefined;
  }
  return DateTime.safeParse(s).success ? new Date(s) : undefined;
}

const Instant = z.string().max(64).refine((s) => parseInstant(s) !== undefined, { error: INSTANT_MESSAGE });

const count = z.number().int();
const StatusSchema = z.enum(['ok', 'warning', 'at_risk']);
const LevelsSchema = z.object({ warning: z.number(), at_risk: z.number() });
const PressureFigures = {
  targeted: count.openapi({ description: 'Not skipped: sent, failed, pending, being sent or cancelled (as the campaign report counts it)' }),
  capped: count.openapi({ description: 'Skipped by a cap (on_cap skip, or a deferral past the campaign’s deadline)' }),
  deferred: count.openapi({ description: 'Postponed by a cap (on_cap defer), whatever happened next' }),
  deferred_waiting: count.openapi({ description: 'Of those, still pending' }),
  capped_rate: z.number().openapi({ description: 'capped / (targeted + capped)' }),
};

const WorkspaceReportSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string(), channel: z.enum(SENDABLE_CHANNELS).nullable() })
      .openapi({ description: 'The period read, [from, to), and the channel asked for (null: all)' }),
    campaigns: z.object({
      total: count.openapi({ description: 'Campaigns launched in the period; items lists the 100 newest' }),
      items: z.array(z.object({
        id: count, name: z.string(), channel: z.string(), kind: z.string(), launched_at: z.string(),
        sent: count, delivered: count.openapi({ description: 'Sent, less bounced and rejected' }),
        bounced: z.object({ hard: count, soft: count.openapi({ description: 'Messages that only ever bounced soft' }) }),
        rejected: count, complained: count,
        opened: count.openapi({ description: 'Messages opened by a person' }), clicked: count.openapi({ description: 'Messages clicked by a person' }),
        replied: count, converted: count.openapi({ description: 'Messages with an attributed conversion' }),
        conversions: z.object({ count, revenue: z.number() }), unsubscribed: count,
        rates: z.object({
          bounce: z.number(), open: z.number(), click: z.number(), reply: z.number(), conversion: z.number(), unsubscribe: z.number(), complaint: z.number(),
        }).openapi({ description: 'bounce over sent, the others over delivered' }),
      })),
    }).openapi({ description: 'Campaigns launched in the period, newest first, each as a whole (its engagement after the period included)' }),
    trend: z.array(z.object({
      channel: z.string(),
      days: z.array(z.object({
        day: z.string().openapi({ description: 'A UTC day, YYYY-MM-DD' }),
        sent: count, opens: count, clicks: count, replies: count, conversions: count, revenue: z.number(), unsubscribes: count,
      })),
    })).openapi({
      description: 'Per channel and UTC day of the period (every day present): campaign messages sent, and events on any campaign’s messages ' +
        '(opens and clicks by people, every one of them; replies; conversions and their revenue; unsubscribes), by the hour they happened',
    }),
    audience: z.object({
      contacts: z.object({ at_start: count, at_end: count, created: count, erased: count })
        .openapi({ description: 'On file at the start and the end of the period, created and erased in it (docs/REPORTS.md: how erased contacts are counted)' }),
      subscriptions: z.array(z.object({
        channel: z.string(),
        subscribed_at_start: count.openapi({ description: 'Subscriptions (contact, topic) subscribed or paused at the start' }),
        opt_ins: count, opt_outs: count,
        opt_out_rate: z.number().openapi({ description: 'opt_outs / subscribed_at_start' }),
      })),
    }),
    pressure: z.object({
      ...PressureFigures,
      by_rule: z.array(z.object({ rule: z.string(), capped: count, deferred: count })),
      channels: z.array(z.object({ channel: z.string(), ...PressureFigures })),
    }).openapi({ description: 'What caps did to the messages of the marketing campaigns launched in the period' }),
    deliverability: z.object({
      sent: count, delivered: count, bounced: z.object({ hard: count, soft: count }), rejected: count, complained: count,
      rates: z.object({ bounce: z.number().openapi({ description: 'Hard bounces / sent' }), complaint: z.number().openapi({ description: 'Complaints / delivered' }) }),
      status: z.object({ overall: StatusSchema, bounce: StatusSchema, complaint: StatusSchema }),
      thresholds: z.object({ bounce: LevelsSchema, complaint: LevelsSchema }),
    }).nullable().openapi({
      description: 'Email campaign messages of the period against SES’s review thresholds (bounce 5%, complaint 0.1%): ok, warning from half ' +
        'of each, at_risk from the threshold. Null when channel names another channel.',
    }),
  })
  .openapi('WorkspaceReport');

const day = (d: string, values: Partial<Record<'sent' | 'opens' | 'clicks' | 'replies' | 'conversions' | 'revenue' | 'unsubscribes', number>>) => ({
  day: d, sent: 0, opens: 0, clicks: 0, replies: 0, conversions: 0, revenue: 0, unsubscribes: 0, ...values,
});

export const workspaceReportRoute = createRoute({
  method: 'get', path: '/reports/workspace', tags: ['Reports'], security,
  request: {
    query: z.object({
      from: Instant.optional().openapi({ description: 'Start of the period, included (default: 30 days before to)', example: '2026-10-06' }),
      to: Instant.optional().openapi({ description: 'End of the period, excluded (default: now)', example: '2026-11-05T00:00:00Z' }),
      channel: z.enum(SENDABLE_CHANNELS).optional().openapi({ description: 'Only this channel’s campaigns, trend, subscriptions and pressure' }),
    }).strict(),
  },
  summary: 'Get the workspace report over a period',
  description:
    'Over [from, to) (dates are midnight UTC; 30 days up to now by default; to after from, at most 366 days, else 422 naming the field): ' +
    'the campaigns launched in it side by side (the 100 newest, each as a whole: delivered = sent − bounced − rejected, rates over delivered, bounce over sent); ' +
    'the trend per channel and UTC day (messages sent, and human opens, human clicks, replies, conversions, revenue and unsubscribes on any campaign’s messages, by the hour they happened); ' +
    'the audience (contacts at the start and the end, created and erased; per channel the subscriptions at the start, opt-ins, opt-outs and opt_out_rate = opt-outs / subscribed at the start); ' +
    'marketing pressure over the marketing campaigns launched in the period (messages skipped and deferred by caps, per rule and channel, capped_rate = capped / (targeted + capped)); ' +
    'and email deliverability: hard bounces / sent and complaints / delivered, each ok below half of SES’s review threshold (5% and 0.1%), warning from half, at_risk from the threshold. ' +
    'Rates are rounded to 4 decimals; statuses compare the exact ratio. docs/REPORTS.md, "Workspace report", gives every definition.',
  responses: {
    200: exampleResponse(WorkspaceReportSchema, 'The report', {
      period: { from: '2026-10-06T00:00:00.000Z', to: '2026-11-05T00:00:00.000Z', channel: null },
      campaigns: {
        total: 2,
        items: [
          {
            id: 8, name: 'SMS soldes', channel: 'sms', kind: 'marketing', launched_at: '2026-11-03T10:00:00.000Z', sent: 830, delivered: 826,
            bounced: { hard: 0, soft: 0 }, rejected: 4, complained: 0, opened: 0, clicked: 212, replied: 9, converted: 31,
            conversions: { count: 33, revenue: 2145 }, unsubscribed: 12,
            rates: { bounce: 0, open: 0, click: 0.2567, reply: 0.0109, conversion: 0.0375, unsubscribe: 0.0145, complaint: 0 },
          },
          {
            id: 7, name: 'Lettre de novembre', channel: 'email', kind: 'marketing', launched_at: '2026-11-03T09:00:00.000Z', sent: 1176, delivered: 1156,
            bounced: { hard: 12, soft: 8 }, rejected: 0, complained: 1, opened: 412, clicked: 96, replied: 3, converted: 18,
            conversions: { count: 21, revenue: 1890.5 }, unsubscribed: 6,
            rates: { bounce: 0.017, open: 0.3564, click: 0.083, reply: 0.0026, conversion: 0.0156, unsubscribe: 0.0052, complaint: 0.0009 },
          },
        ],
      },
      trend: [
        { channel: 'email', days: [day('2026-11-03', { sent: 1176, opens: 388, clicks: 97, replies: 2, conversions: 12, revenue: 1020.5, unsubscribes: 5 }), day('2026-11-04', { opens: 142, clicks: 23, replies: 1, conversions: 9, revenue: 870, unsubscribes: 1 })] },
        { channel: 'sms', days: [day('2026-11-03', { sent: 830, clicks: 180, replies: 7, conversions: 25, revenue: 1690, unsubscribes: 11 }), day('2026-11-04', { clicks: 32, replies: 2, conversions: 8, revenue: 455, unsubscribes: 1 })] },
      ],
      audience: {
        contacts: { at_start: 12480, at_end: 12931, created: 463, erased: 12 },
        subscriptions: [
          { channel: 'email', subscribed_at_start: 11020, opt_ins: 402, opt_outs: 61, opt_out_rate: 0.0055 },
          { channel: 'sms', subscribed_at_start: 4210, opt_ins: 96, opt_outs: 23, opt_out_rate: 0.0055 },
          { channel: 'postal', subscribed_at_start: 0, opt_ins: 0, opt_outs: 0, opt_out_rate: 0 },
        ],
      },
      pressure: {
        targeted: 2006, capped: 57, deferred: 14, deferred_waiting: 0, capped_rate: 0.0276,
        by_rule: [{ rule: 'sms: 2 per calendar month', capped: 50, deferred: 0 }, { rule: 'email: 12 per calendar month', capped: 7, deferred: 14 }],
        channels: [
          { channel: 'email', targeted: 1176, capped: 7, deferred: 14, deferred_waiting: 0, capped_rate: 0.0059 },
          { channel: 'sms', targeted: 830, capped: 50, deferred: 0, deferred_waiting: 0, capped_rate: 0.0568 },
        ],
      },
      deliverability: {
        sent: 1176, delivered: 1156, bounced: { hard: 12, soft: 8 }, rejected: 0, complained: 1,
        rates: { bounce: 0.0102, complaint: 0.0009 },
        status: { overall: 'warning', bounce: 'ok', complaint: 'warning' },
        thresholds: { bounce: { warning: 0.025, at_risk: 0.05 }, complaint: { warning: 0.0005, at_risk: 0.001 } },
      },
    }),
    ...commonErrors, ...queryTimeout,
  },
});
