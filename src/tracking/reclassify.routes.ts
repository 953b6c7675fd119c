import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { commonErrors, conflict, notFound, security } from '../http/schemas.js';

export const reclassifyRoute = createRoute({
  method: 'post', path: '/tracking/reclassify', tags: ['Reports'], security,
  summary: 'Classify a campaign’s stored opens and clicks again (admin)',
  description:
    'After the rules changed (a release, or TRACKING_EARLY_CLICK_SECONDS / TRACKING_BURST_SECONDS): each raw hit is ' +
    'classified again with every other click of its message known, changed verdicts are written with their rule, and ' +
    'the campaign’s open and click counts are rebuilt from the hits. It runs in the background; the audit log gets a ' +
    '`tracking.reclassified` entry with the counts when it is done. Hits arriving meanwhile wait and are added on top. ' +
    'For large campaigns, `npm run reclassify -- <campaign id>` does the same from a shell. 409 for a campaign launched ' +
    'before TRACKING_HITS_RETENTION_DAYS: some of its raw hits are gone.',
  request: exampleBody(z.object({ campaign_id: z.number().int().positive() }).strict(), { campaign_id: 7 }),
  responses: {
    202: exampleResponse(z.object({ campaign_id: z.number(), status: z.literal('started') }), 'Started', { campaign_id: 7, status: 'started' }),
    ...commonErrors, ...notFound, ...conflict,
  },
});
