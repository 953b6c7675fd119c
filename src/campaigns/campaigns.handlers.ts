import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { paginate, pageQuery, pageSchema, toPage } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { AudienceSchema } from './audience.js';
import { previewCampaign } from './preview.service.js';
import { cancelCampaign, createCampaign, findCampaigns, getCampaign, launchCampaign } from './campaigns.service.js';

const tags = ['Campaigns'];

const CountsSchema = z
  .object({
    audience: z.number(), targeted: z.number(), pending: z.number(), deferred: z.number(), sending: z.number(), sent: z.number(),
    failed: z.number(), cancelled: z.number(), skipped: z.record(z.string(), z.number()), capped_by: z.record(z.string(), z.number()),
  })
  .openapi('CampaignCounts');

const CampaignSchema = z
  .object({
    id: z.number(), name: z.string(), channel: z.enum(['email', 'sms']), kind: z.enum(['marketing', 'transactional']),
    priority: z.enum(['high', 'normal', 'low']), on_cap: z.enum(['skip', 'defer']), deadline: z.string().nullable(), template_id: z.number(),
    topic_id: z.number(), audience: AudienceSchema, status: z.enum(['draft', 'sending', 'sent', 'cancelled']),
    created_at: z.string(), updated_at: z.string(), launched_at: z.string().nullable(), completed_at: z.string().nullable(),
    cancelled_at: z.string().nullable(), counts: CountsSchema.optional(),
  })
  .openapi('Campaign');

const createCampaignRoute = createRoute({
  method: 'post', path: '/campaigns', tags, security,
  request: jsonBody(
    z.object({
      name: z.string().min(1).max(200),
      channel: z.enum(['email', 'sms']),
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
const getCampaignRoute = createRoute({
  method: 'get', path: '/campaigns/{id}', tags, security, request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignSchema, 'Status and counts'), ...commonErrors, ...notFound },
});
const listCampaignsRoute = createRoute({
  method: 'get', path: '/campaigns', tags, security, request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(CampaignSchema), 'Campaigns'), ...commonErrors },
});
const launchRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/launch', tags, security,
  summary: 'Snapshot the audience and start sending (idempotent while sending)',
  request: { params: IdParam },
  responses: { 202: jsonResponse(CampaignSchema, 'Sending'), ...commonErrors, ...notFound, ...conflict },
});
const cancelRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/cancel', tags, security,
  summary: 'Stop sending: messages not yet handed to a transport are cancelled',
  request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignSchema, 'Cancelled'), ...commonErrors, ...notFound, ...conflict },
});

const previewRoute = createRoute({
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

export function campaignsRouter() {
  const app = createRouter();
  app.openapi(createCampaignRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json((await createCampaign(db, c.req.valid('json'), clock())) as never, 201);
  });
  app.openapi(getCampaignRoute, async (c) => c.json((await getCampaign(c.get('deps').db, c.req.valid('param').id)) as never, 200));
  app.openapi(listCampaignsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    return c.json(paginate(await findCampaigns(c.get('deps').db, page), page.limit) as never, 200);
  });
  app.openapi(previewRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await previewCampaign(db, c.req.valid('param').id, clock()), 200);
  });
  app.openapi(launchRoute, async (c) => c.json((await launchCampaign(c.get('deps'), c.req.valid('param').id)) as never, 202));
  app.openapi(cancelRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json((await cancelCampaign(db, c.req.valid('param').id, clock())) as never, 200);
  });
  return app;
}
