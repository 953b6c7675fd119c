import { createRoute, z } from '@hono/zod-openapi';
import { commonErrors, IdParam, jsonResponse, notFound, security } from '../http/schemas.js';

const counts = z.record(z.string(), z.number());

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
      rates: z.object({ open: z.number(), click: z.number(), reply: z.number(), conversion: z.number() }),
    }),
  })
  .openapi('CampaignReport');

export const campaignReportRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/report', tags: ['Reports'], security, request: { params: IdParam },
  summary: 'Delivery, what consent, suppression, caps and quiet hours held back, and engagement',
  responses: { 200: jsonResponse(ReportSchema, 'The report'), ...commonErrors, ...notFound },
});
