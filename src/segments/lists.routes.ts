import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, IdParam, notCsv, notFound, payloadTooLarge, security } from '../http/schemas.js';
import { ListSchema } from './lists.views.js';

const tags = ['Lists'];
const vip = { id: 2, name: 'VIP', created_at: '2026-03-05T10:00:00.000Z', members: 214 };

export const createListRoute = createRoute({
  method: 'post', path: '/lists', tags, security, summary: 'Create a static list',
  description:
    'An empty list of contacts, filled by id or from a CSV (or by freezing a segment). Campaign audiences take lists ' +
    'to send to or to leave out; unlike a segment, a list changes only when contacts are added to it.',
  request: exampleBody(z.object({ name: z.string().min(1).max(200) }).strict(), { name: 'VIP' }),
  responses: { 201: exampleResponse(ListSchema, 'Created', { ...vip, members: 0 }), ...badRequest, ...commonErrors },
});

export const getListRoute = createRoute({
  method: 'get', path: '/lists/{id}', tags, security, request: { params: IdParam },
  summary: 'Get a static list',
  description: 'The list\'s name and how many contacts it holds. 404 for an unknown list.',
  responses: { 200: exampleResponse(ListSchema, 'The list', vip), ...commonErrors, ...notFound },
});

export const listListsRoute = createRoute({
  method: 'get', path: '/lists', tags, security, request: { query: pageQuery },
  summary: 'List static lists',
  description: 'Lists oldest first, each with how many contacts it holds; next_cursor continues.',
  responses: {
    200: exampleResponse(pageSchema(ListSchema), 'Lists', {
      data: [vip, { id: 5, name: 'Hôtesses actives (2026-11-04)', created_at: '2026-11-04T09:30:00.000Z', members: 87 }],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

export const addMembersRoute = createRoute({
  method: 'post', path: '/lists/{id}/members', tags, security, summary: 'Add contacts to a list by id',
  description:
    'Up to 10,000 contact ids at a time. Contacts already in the list stay there once; ids that name no contact come ' +
    'back in `unknown`, and the others are added. 404 for an unknown list.',
  request: {
    params: IdParam,
    ...exampleBody(z.object({ contact_ids: z.array(z.number().int().positive()).min(1).max(10000) }).strict(), { contact_ids: [42, 43, 999999] }),
  },
  responses: {
    200: exampleResponse(z.object({ added: z.number(), unknown: z.array(z.number()) }), 'Added', { added: 2, unknown: [999999] }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});

export const addMembersCsvRoute = createRoute({
  method: 'post', path: '/lists/{id}/members/import', tags, security,
  summary: 'Add contacts from a CSV with an email, external_id or id column',
  description:
    'Read like the contact import (UTF-8, UTF-16 or Windows-1252; , ; tab or | separated), streamed and added in ' +
    'batches: at most IMPORT_MAX_BYTES (413 past it). Rows naming no contact are reported by their line, and a file ' +
    'with none of those columns is a 422.',
  request: {
    params: IdParam,
    body: {
      content: { 'text/csv': { schema: z.string(), example: 'email\nanne@example.fr\nmarie.dupont@example.fr\ninconnu@example.fr\n' } },
      required: true,
    },
  },
  responses: {
    200: exampleResponse(
      z.object({
        added: z.number(), already_members: z.number(),
        rejected: z.array(z.object({ line: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
      }),
      'Added',
      { added: 1, already_members: 1, rejected: [{ line: 4, errors: [{ field: 'email', message: 'no contact with email inconnu@example.fr' }] }] },
    ),
    ...badRequest, ...commonErrors, ...notFound, ...payloadTooLarge, ...notCsv,
  },
});
