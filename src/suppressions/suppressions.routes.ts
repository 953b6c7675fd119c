import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, conflict, IdParam, notFound, security } from '../http/schemas.js';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from './suppressions.repository.js';

const tags = ['Suppressions'];
const SuppressionSchema = z
  .object({
    id: z.number(),
    channel: z.enum(SUPPRESSION_CHANNELS),
    address: z.string().nullable().openapi({ description: 'Null once the person was erased: the hash still matches' }),
    reason: z.enum(SUPPRESSION_REASONS),
    source: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Suppression');

const manual: z.output<typeof SuppressionSchema> = {
  id: 31, channel: 'email', address: 'jeanne@example.fr', reason: 'manual', source: 'api', created_at: '2026-11-04T10:20:00.000Z',
};

export const listSuppressionsRoute = createRoute({
  method: 'get', path: '/suppressions', tags, security, summary: 'List suppressed addresses',
  description:
    'Email addresses and phone numbers that are never sent to, transactional messages included, oldest first, with why: ' +
    'a hard bounce, a complaint, soft bounces in a row, an erasure or a manual entry. Filter by channel, ' +
    'reason or one address; an address is matched by its hash, so an erased person\'s entry (whose address is null) is found too.',
  request: {
    query: pageQuery.extend({
      channel: z.enum(SUPPRESSION_CHANNELS).optional(),
      reason: z.enum(SUPPRESSION_REASONS).optional(),
      address: z.string().min(1).max(320).optional().openapi({ description: 'Find one address (matched by hash, so erased entries too)' }),
    }),
  },
  responses: {
    200: exampleResponse(pageSchema(SuppressionSchema), 'Suppressions', {
      data: [
        { id: 12, channel: 'email', address: 'ancienne@example.fr', reason: 'hard_bounce', source: 'ses', created_at: '2026-10-12T07:41:00.000Z' },
        { id: 19, channel: 'sms', address: null, reason: 'erased', source: 'erasure', created_at: '2026-10-30T15:02:00.000Z' },
        manual,
      ],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

export const createSuppressionRoute = createRoute({
  method: 'post', path: '/suppressions', tags, security, summary: 'Suppress an address by hand',
  description:
    'The address is normalised first (a lower-cased email; a phone number in E.164, national numbers read as French), ' +
    'and an invalid one is a 422. 201 when it is added; 200 with the existing entry, its reason unchanged, when the ' +
    'address was already suppressed. Recorded in the audit log.',
  request: exampleBody(
    z.object({
      channel: z.enum(SUPPRESSION_CHANNELS),
      address: z.string().min(1).max(320).openapi({ example: 'jeanne@example.fr' }),
      reason: z.enum(['manual', 'bloctel']).default('manual').openapi({ description: 'bloctel: a number on the opposition list to canvassing calls (channel call only)' }),
    }).strict(),
    { channel: 'email', address: 'Jeanne@Example.fr' },
  ),
  responses: {
    201: exampleResponse(SuppressionSchema, 'Suppressed', manual),
    200: exampleResponse(SuppressionSchema, 'Already suppressed (the existing entry, reason unchanged)', manual),
    ...badRequest, ...commonErrors,
  },
});

export const deleteSuppressionRoute = createRoute({
  method: 'delete', path: '/suppressions/{id}', tags, security, summary: 'Allow sending to an address again',
  description:
    'Removes the entry, recorded in the audit log: the address may get messages again (marketing still needs its ' +
    'consent). 409 for an erasure\'s entry, which stays so that a re-import is never sent to; 404 for an unknown id.',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound, ...conflict },
});
