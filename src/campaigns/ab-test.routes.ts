import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { commonErrors, conflict, IdParam, notFound, security } from '../http/schemas.js';
import type { AbTestView } from './ab-test.js';
import { CampaignSchema } from './campaigns.views.js';

type Campaign = z.output<typeof CampaignSchema>;

const result = (variant: number, sent: number, opened: number, clicked: number, winner: boolean) => ({
  variant, sent, opened, clicked, converted: 0, revenue: 0,
  rates: { open: Math.round((opened / sent) * 10_000) / 10_000, click: Math.round((clicked / sent) * 10_000) / 10_000, conversion: 0 }, winner,
});
const abTest: AbTestView = {
  variants: [{ variant: 1, template_id: 9, subject: null }, { variant: 2, template_id: 9, subject: 'Les soldes commencent, {{first_name}}' }],
  test_share_percent: 20, metric: 'clicks', decide_after_minutes: 240, decide_at: '2026-11-03T13:00:00.000Z',
  winner: 2, winner_chosen_at: '2026-11-03T10:12:00.000Z', winner_chosen_by: 'manual',
  results: [result(1, 118, 40, 9, false), result(2, 118, 47, 16, true)],
  rest: { variant: 2, sent: 0, opened: 0, clicked: 0, converted: 0, revenue: 0, rates: { open: 0, click: 0, conversion: 0 }, waiting_for_winner: 0 },
};
const chosen: Campaign = {
  id: 7, name: 'Lettre de novembre', channel: 'email', kind: 'marketing', priority: 'normal', on_cap: 'defer', deadline: null, track_opens: true, endpoint_id: null, reply_coupon: true,
  template_id: 9, topic_id: 1, audience: { all: true }, status: 'sending', created_at: '2026-11-02T08:15:00.000Z', updated_at: '2026-11-03T10:12:00.000Z',
  scheduled_at: null, launched_at: '2026-11-03T09:00:00.000Z', completed_at: null, cancelled_at: null, paused_at: null, paused_reason: null, ab_test: abTest,
  counts: {
    audience: 1250, targeted: 1180, pending: 944, deferred: 0, local_time: 0, retrying: 0, waiting_for_winner: 0, sending: 0, sent: 236, failed: 0, cancelled: 0,
    skipped: { not_subscribed: 70 }, capped_by: {},
  },
  progress: { handed_over: 236, remaining: 944, rate_per_minute: 0, eta_seconds: null },
};

export const chooseWinnerRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/winner', tags: ['Campaigns'], security,
  summary: 'Choose the winner of a campaign\'s A/B test by hand',
  description:
    'Before the automatic choice (at `ab_test.decide_at`), or instead of it: the rest of the audience, waiting since the ' +
    'launch (`counts.waiting_for_winner`), gets this variant and is sent it as any message (consent, suppressions, caps ' +
    'and quiet hours apply). `winner_chosen_by` is `manual`. A winner is chosen once: 409 when it already is (by hand or ' +
    'automatically), when the campaign has no A/B test, or is not launched (a draft, scheduled, cancelled); 422 for a ' +
    'variant the test does not have.',
  request: {
    params: IdParam,
    ...exampleBody(z.object({ variant: z.number().int().min(1).max(4).openapi({ description: 'The variant\'s number: 1 for the first of ab_test.variants' }) }).strict(), { variant: 2 }),
  },
  responses: {
    200: exampleResponse(CampaignSchema, 'The campaign, its winner chosen; the rest is being sent', chosen),
    ...commonErrors, ...notFound, ...conflict,
  },
});
