import { createRoute, z } from '@hono/zod-openapi';
import { exampleResponse } from '../http/examples.js';
import { commonErrors, IdParam, notFound, security } from '../http/schemas.js';

const counts = z.record(z.string(), z.number());
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
    deferred: z.object({ quiet_hours: z.number(), caps: counts }),
    engagement: z.object({
      opened: z.number(), clicked: z.number(), replied: z.number(), converted: z.number(),
      opens: HitsSchema.openapi({ description: 'Hits of the open pixel, human and machine (Apple Mail Privacy Protection, prefetch…); unique: messages with one' }),
      clicks: HitsSchema.extend({ by_link: z.array(z.object({ link: z.number(), url: z.string(), human: z.number(), machine: z.number() })) })
        .openapi({ description: 'Hits of tracked links, human and machine (scanners, the honeypot…), and per link of the message (its index; its URL, without the query when personalised), the 100 most clicked' }),
      rates: z.object({ open: z.number(), click: z.number(), reply: z.number(), conversion: z.number() }),
    }),
  })
  .openapi('CampaignReport');

export const campaignReportRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/report', tags: ['Reports'], security, request: { params: IdParam },
  summary: 'Get a campaign\'s report: delivery, hold-backs and engagement',
  description:
    'Read from the ledger, so the same while the campaign is sending and once it is done: delivery (sent, failed, ' +
    'pending…), what consent, suppression, caps (per rule), quiet hours and the deadline held back, and engagement ' +
    '(opened, clicked, replied, converted: the ledger\'s first times, with rates over the messages sent) and the tracked ' +
    'opens and clicks, human and machine side by side (docs/TRACKING.md). Opened and clicked are the first human ones ' +
    'recorded for each message. 404 for an unknown campaign.',
  responses: {
    200: exampleResponse(ReportSchema, 'The report', {
      campaign: {
        id: 7, name: 'Lettre de novembre', channel: 'email', kind: 'marketing', priority: 'normal', status: 'sent',
        launched_at: '2026-11-03T09:00:00.000Z', completed_at: '2026-11-03T09:02:41.000Z',
      },
      delivery: { audience: 1250, targeted: 1180, sent: 1176, failed: 4, pending: 0, sending: 0, cancelled: 0 },
      held_back: {
        consent: { not_subscribed: 52, unsubscribed: 0, pending_confirmation: 0, paused: 0 },
        no_address: 0, suppressed: 11, contact_deleted: 0, deadline: 0, capped: { 'email: 12 per calendar month': 7 },
      },
      deferred: { quiet_hours: 0, caps: {} },
      engagement: {
        opened: 412, clicked: 96, replied: 0, converted: 18,
        opens: { human: 530, machine: 388, unique_human: 412, unique_machine: 301 },
        clicks: {
          human: 120, machine: 41, unique_human: 96, unique_machine: 23,
          by_link: [{ link: 0, url: 'https://shop.example/promo', human: 88, machine: 30 }, { link: 1, url: 'https://shop.example/', human: 32, machine: 11 }],
        },
        rates: { open: 0.3503, click: 0.0816, reply: 0, conversion: 0.0153 } },
    }),
    ...commonErrors, ...notFound,
  },
});
