import { createRoute, z } from '@hono/zod-openapi';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, conflict, DateTime, IdParam, notFound, queryTimeout, security } from '../http/schemas.js';
import { AbTestSchema } from './ab-test.js';
import { AudienceSchema } from './audience.js';
import { CampaignSchema } from './campaigns.views.js';

const tags = ['Campaigns'];

type Campaign = z.output<typeof CampaignSchema>;
const noCounts = { audience: 0, targeted: 0, pending: 0, deferred: 0, local_time: 0, retrying: 0, waiting_for_winner: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, skipped: {}, capped_by: {} };
const noProgress = { handed_over: 0, remaining: 0, rate_per_minute: 0, eta_seconds: null };
const draft: Campaign = {
  id: 7, name: 'Lettre de novembre', channel: 'email', kind: 'marketing', priority: 'normal', on_cap: 'defer',
  deadline: '2026-11-10T17:00:00.000Z', track_opens: true, endpoint_id: null, reply_coupon: true, template_id: 9, topic_id: 1, audience: { include: [{ segment_id: 3 }], exclude: [{ list_id: 2 }] },
  status: 'draft', created_at: '2026-11-02T08:15:00.000Z', updated_at: '2026-11-02T08:15:00.000Z', scheduled_at: null, launched_at: null, completed_at: null,
  cancelled_at: null, paused_at: null, paused_reason: null, ab_test: null, counts: noCounts, progress: noProgress,
};
const skipped = { not_subscribed: 52, suppressed: 11, capped: 7 };
const sending: Campaign = {
  ...draft, status: 'sending', updated_at: '2026-11-03T09:00:00.000Z', launched_at: '2026-11-03T09:00:00.000Z',
  counts: { ...noCounts, audience: 1250, targeted: 1180, pending: 1180, skipped, capped_by: { 'email: 12 per calendar month': 7 } },
  progress: { ...noProgress, remaining: 1180 },
};
const midway: Campaign = {
  ...sending, updated_at: '2026-11-03T09:01:00.000Z',
  counts: { ...sending.counts!, pending: 520, retrying: 12, sending: 20, sent: 638, failed: 2 },
  progress: { handed_over: 640, remaining: 540, rate_per_minute: 638, eta_seconds: 51 },
};
const paused: Campaign = {
  ...midway, status: 'paused', updated_at: '2026-11-03T09:01:00.000Z', paused_at: '2026-11-03T09:01:00.000Z', paused_reason: 'manual',
  counts: { ...midway.counts!, pending: 520, sending: 0, sent: 658 },
  progress: { handed_over: 660, remaining: 520, rate_per_minute: 658, eta_seconds: null },
};
const sent: Campaign = {
  ...sending, status: 'sent', updated_at: '2026-11-03T09:02:41.000Z', completed_at: '2026-11-03T09:02:41.000Z',
  counts: { ...sending.counts!, pending: 0, sent: 1176, failed: 4 },
  progress: { handed_over: 1180, remaining: 0, rate_per_minute: 438.3, eta_seconds: null },
};

export const createCampaignRoute = createRoute({
  method: 'post', path: '/campaigns', tags, security,
  summary: 'Create a campaign (a draft)',
  description:
    'A campaign sends one template (of its channel) to an audience, for one consent topic; nothing is sent until it is ' +
    'launched. The audience is everyone, lists, a segment, or segments and lists to include and exclude; its segments ' +
    'are checked now, so a rule that is no longer valid is refused here. 422 names each problem, such as an unknown ' +
    'template, topic, list or segment, or a template of another channel; with `ab_test`, 1 or 5 variants, a share ' +
    'outside 1 to 100, a variant\'s template of another channel, a subject for SMS, two variants alike, or opens as the ' +
    'metric of a campaign without the open pixel.',
  request: exampleBody(
    z.object({
      name: z.string().min(1).max(200),
      channel: z.enum(SENDABLE_CHANNELS),
      template_id: z.number().int().positive(),
      topic: z.string().min(1).max(64).openapi({ example: 'newsletter' }),
      audience: AudienceSchema,
      kind: z.enum(['marketing', 'transactional']).optional().openapi({ description: 'Transactional: no topic consent, no caps, no quiet hours, no List-Unsubscribe; never to suppressed addresses' }),
      priority: z.enum(['high', 'normal', 'low']).optional().openapi({ description: 'Low priority never uses the last slot of a cap' }),
      on_cap: z.enum(['skip', 'defer']).optional().openapi({ description: 'A capped message is skipped (recorded as capped) or sent when the window reopens' }),
      deadline: DateTime.optional().openapi({ description: 'Deferred messages not sendable by then are skipped' }),
      track_opens: z.boolean().optional().openapi({ description: 'Put the open pixel in each email (default true); links are tracked either way' }),
      endpoint_id: z.number().int().positive().optional().openapi({ description: 'A webhook campaign\'s endpoint (POST /v1/webhook-endpoints); required for channel webhook, refused for the others' }),
      reply_coupon: z.boolean().optional().openapi({ description: 'Postal campaigns: each letter carries a reply coupon, a code and a QR code that count as its reply (default true); refused for the other channels' }),
      ab_test: AbTestSchema.optional().openapi({
        description: 'An A/B test: 2 to 4 variants (another template of the channel, another subject, or both) sent to test_share_percent of the eligible audience, split evenly; after decide_after_minutes the best by metric goes to the rest (README, A/B tests)',
      }),
    }).strict(),
    {
      name: 'Lettre de novembre', channel: 'email', template_id: 9, topic: 'newsletter',
      audience: { include: [{ segment_id: 3 }], exclude: [{ list_id: 2 }] }, on_cap: 'defer', deadline: '2026-11-10T18:00:00+01:00',
    },
  ),
  responses: { 201: exampleResponse(CampaignSchema, 'Created as a draft', draft), ...badRequest, ...commonErrors },
});

export const getCampaignRoute = createRoute({
  method: 'get', path: '/campaigns/{id}', tags, security, request: { params: IdParam },
  summary: 'Get a campaign with its counts and progress',
  description:
    'Its status (draft, sending, paused, sent or cancelled; `paused_reason` says why it is paused) and counts from the ' +
    'ledger: how many are targeted, pending (of which deferred by quiet hours or caps, and retrying after a retryable ' +
    'failure), being sent, sent, failed or cancelled, and why the rest of the audience is skipped (`skipped` by reason, ' +
    '`capped_by` by pressure rule). `progress` gives the messages done and remaining, the sending rate over the last 5 ' +
    'minutes and the estimated time left. Poll it while the campaign is sending. 404 for an unknown campaign.',
  responses: { 200: exampleResponse(CampaignSchema, 'Status, counts and progress', midway), ...commonErrors, ...notFound },
});

export const listCampaignsRoute = createRoute({
  method: 'get', path: '/campaigns', tags, security, request: { query: pageQuery },
  summary: 'List campaigns',
  description: 'Campaigns oldest first, without their counts (read one campaign for them); next_cursor continues.',
  responses: {
    200: exampleResponse(pageSchema(CampaignSchema), 'Campaigns', { data: [{ ...sent, counts: undefined }], next_cursor: null }),
    ...commonErrors,
  },
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Now (no body, or `{}`), later (`at`), or now with each message held until a local time. One strict object rather
 * than a union, so that each problem names its field.
 */
export const LaunchBody = z
  .object({
    at: DateTime.optional().openapi({ description: 'Launch later, at this time: in the future, at most a year ahead. Not with local_time' }),
    local_time: z.string().regex(HHMM, { error: 'must be a time of day, HH:MM (00:00 to 23:59)' }).optional().openapi({
      description: 'Launch now, each message waiting for this time of day in its recipient\'s time zone. Not with at',
      example: '09:00',
    }),
    if_passed: z.enum(['next_day', 'now']).optional().openapi({
      description: 'With local_time, for a recipient whose local_time has already passed today: tomorrow\'s (next_day, the default) or at once (now)',
    }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.at !== undefined && b.local_time !== undefined) ctx.addIssue({ code: 'custom', path: ['local_time'], message: 'give either at or local_time, not both' });
    if (b.if_passed !== undefined && b.local_time === undefined) ctx.addIssue({ code: 'custom', path: ['if_passed'], message: 'only with local_time' });
  })
  .openapi('CampaignLaunch');

const scheduled: Campaign = { ...draft, status: 'scheduled', updated_at: '2026-11-02T10:00:00.000Z', scheduled_at: '2026-11-03T09:00:00.000Z' };

export const launchCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/launch', tags, security,
  summary: 'Launch a campaign, now, later or at each recipient\'s local time',
  description:
    'Without a body, freezes the template (every language variant) and snapshots the audience, evaluated once, now; ' +
    'sending then goes on in the background, and the answer is 202 with the campaign sending. With `at`, the campaign ' +
    'is `scheduled` and launched then, as without a body (the audience is evaluated at that time); cancel it to change ' +
    'the time. With `local_time` (HH:MM), it is launched now but each message waits for that time in its recipient\'s ' +
    'time zone (`counts.local_time`, not `deferred`); `if_passed` says what happens where it has passed today: tomorrow ' +
    '(`next_day`, the default) or at once (`now`). Launching again while it is sending changes nothing, and nobody gets ' +
    'the message twice. 422 for a time in the past or more than a year ahead (`at`), a time of day that is not HH:MM, ' +
    'or `at` with `local_time`; 409 when the campaign is scheduled, sent or cancelled, or its template or a segment of ' +
    'its audience no longer exists; 503 when the snapshot runs past its time limit.',
  request: {
    params: IdParam,
    body: {
      required: false,
      content: {
        'application/json': {
          schema: LaunchBody,
          examples: {
            now: { summary: 'Now', value: {} },
            later: { summary: 'Later', value: { at: '2026-11-03T10:00:00+01:00' } },
            local: { summary: 'At 09:00 in each recipient\'s time zone', value: { local_time: '09:00', if_passed: 'next_day' } },
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: 'Sending, or scheduled',
      content: { 'application/json': { schema: CampaignSchema, examples: { sending: { summary: 'Now, or at a local time', value: sending }, scheduled: { summary: 'Later', value: scheduled } } } },
    },
    ...badRequest, ...commonErrors, ...notFound, ...conflict, ...queryTimeout,
  },
});

export const cancelCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/cancel', tags, security,
  summary: 'Cancel a campaign',
  description:
    'Stops a draft, or a campaign that is sending or paused: messages not yet handed to a transport are cancelled, ' +
    'those already sent stay sent. Cancelling twice changes nothing; 409 once the campaign has been sent.',
  request: { params: IdParam },
  responses: {
    200: exampleResponse(CampaignSchema, 'Cancelled', {
      ...sending, status: 'cancelled', updated_at: '2026-11-03T09:01:10.000Z', cancelled_at: '2026-11-03T09:01:10.000Z',
      counts: { ...sending.counts!, pending: 0, sent: 640, failed: 2, cancelled: 538 },
      progress: { handed_over: 642, remaining: 0, rate_per_minute: 548.6, eta_seconds: null },
    }),
    ...commonErrors, ...notFound, ...conflict,
  },
});

export const pauseCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/pause', tags, security,
  summary: 'Pause a campaign that is sending',
  description:
    'Senders stop claiming messages; those already in their hands (a batch at most per sender) are still sent. Nothing ' +
    'pending is touched: resume sends the rest. A campaign also pauses itself when more than SEND_PAUSE_ERROR_RATE of its ' +
    'last messages failed, or when its transport refuses every message (SES SendingPaused): `paused_reason` says which. ' +
    'Pausing a paused campaign changes nothing; 409 for a campaign that is not sending.',
  request: { params: IdParam },
  responses: { 200: exampleResponse(CampaignSchema, 'Paused', paused), ...commonErrors, ...notFound, ...conflict },
});

export const resumeCampaignRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/resume', tags, security,
  summary: 'Resume a paused campaign',
  description:
    'Back to sending, in the background as after a launch. Only messages still pending are sent: nobody gets the message ' +
    'twice. Resuming a campaign that is sending changes nothing; 409 for a campaign that is not paused.',
  request: { params: IdParam },
  responses: {
    200: exampleResponse(CampaignSchema, 'Sending again', {
      ...paused, status: 'sending', paused_at: null, paused_reason: null, updated_at: '2026-11-03T09:20:00.000Z',
      // Nothing was sent in the 5 minutes before the resume: no rate yet.
      progress: { ...paused.progress!, rate_per_minute: 0 },
    }),
    ...commonErrors, ...notFound, ...conflict,
  },
});

export const previewCampaignRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/preview', tags, security,
  summary: 'Preview who a launch would reach, and who it would hold back',
  description:
    'Counts, without sending anything, the audience now and how many would be held back and why: no address, no ' +
    'consent (not subscribed, unsubscribed, pending confirmation, paused), suppressed, already at a pressure cap (per ' +
    'rule, their own frequency choice included), or deferred by quiet hours; and how many eligible contacts would get ' +
    'each template variant. Transactional campaigns ignore caps and quiet hours; 503 when the count runs past its time limit.',
  request: { params: IdParam },
  responses: {
    200: exampleResponse(
      z.object({
        audience: z.number(), eligible: z.number(),
        held_back: z.object({
          no_address: z.number(), not_subscribed: z.number(), unsubscribed: z.number(), pending_confirmation: z.number(),
          paused: z.number(), suppressed: z.number(), capped: z.record(z.string(), z.number()),
        }),
        deferred_by_quiet_hours: z.number(),
        variants: z.record(z.string(), z.number()).openapi({
          description: 'Eligible contacts by the template variant they would get: its locale, or "default" for the template\'s own content',
          example: { fr: 120, en: 30, default: 2 },
        }),
      }).openapi('CampaignPreview'),
      'What a launch now would do',
      {
        audience: 1250, eligible: 1172,
        held_back: {
          no_address: 3, not_subscribed: 52, unsubscribed: 9, pending_confirmation: 2, paused: 1, suppressed: 11,
          capped: { 'email: 12 per calendar month': 7 },
        },
        deferred_by_quiet_hours: 0,
        variants: { fr: 1020, en: 150, default: 2 },
      },
    ),
    ...commonErrors, ...notFound, ...queryTimeout,
  },
});
