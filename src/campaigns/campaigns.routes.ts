import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { AudienceSchema } from './audience.js';
import { CampaignSchema } from './campaigns.views.js';

const tags = ['Campaigns'];

export const createCampaignRoute = createRoute({
  method: 'post', path: '/campaigns', tags, security,
  request: jsonBody(
    z.object({
      name: z.string().min(1).max(200),
      channel: z.enum(SENDABLE_CHANNELS),
      template_id: z.number().int().positive(),
      topic: z.string().min(1).max(64).openapi({ example: 'newsletter' }),
      audience: AudienceSchema,
      kind: z.enum(['marketing', 'transactional']).optional().openapi({ description: 'Transactional: no topic consent, no caps, no quiet hours, no List-Unsubscribe; never to suppressed addresses' }),
      priority: z.enum(['high', 'normal', 'low']).optional().openapi({ description: 'Low priority never uses the last slot of a cap' }),
      on_cap: z.enum(['skip', 'defer']).optional().openapi({ description: 'A capped message is skipped (recorded as capped) or sent when the window reopens' }),
      deadline: z.string().datetime({ offset: true }).optional().openapi({ description: 'Deferred messages not sendable by then are skipped' }),
    }).strict(),
  ),
  responses: { 201: jsonResponse(CampaignSchema, 'Created as a draft'), ...badRequest, ...commonErrors },
});

export const getCampaignRoute = createRoute({
  method: 'get', path: '/campaigns/{id}', tags, security, request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignSchema, 'Status and counts'), ...commonErrors, ...notFound },
});

export const listCampaignsRoute = createRoute({
  method: 'get', path: '/campaigns', tags, security, request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(CampaignSchema), 'Campaigns'), ...commonErrors },
});

export const launchCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/launch', tags, security,
  summary: 'Snapshot the audience and start sending (idempotent while sending)',
  request: { params: IdParam },
  responses: { 202: jsonResponse(CampaignSchema, 'Sending'), ...commonErrors, ...notFound, ...conflict },
});

export const cancelCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/cancel', tags, security,
  summary: 'Stop sending: messages not yet handed to a transport are cancelled',
  request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignSchema, 'Cancelled'), ...commonErrors, ...notFound, ...conflict },
});

export const previewCampaignRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/preview', tags, security,
  summary: 'Before launch: how many recipients consent, suppression, caps and quiet hours would hold back, and why',
  request: { params: IdParam },
  responses: {
    200: jsonResponse(
      z.object({
        audience: z.number(), eligible: z.number(),
        held_back: z.object({
          no_address: z.number(), not_subscribed: z.number(), unsubscribed: z.number(), pending_confirmation: z.number(),
          paused: z.number(), suppressed: z.number(), capped: z.record(z.string(), z.number()),
        }),
        deferred_by_quiet_hours: z.number(),
      }).openapi('CampaignPreview'),
      'What a launch now would do',
    ),
    ...commonErrors, ...notFound,
  },
});
