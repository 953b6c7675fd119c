import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { badRequest, commonErrors, IdParam, jsonBody, jsonResponse, notCsv, notFound, payloadTooLarge, security } from '../http/schemas.js';
import { ListSchema } from './lists.views.js';

const tags = ['Lists'];

export const createListRoute = createRoute({
  method: 'post', path: '/lists', tags, security, summary: 'Create a static list',
  request: jsonBody(z.object({ name: z.string().min(1).max(200) }).strict()),
  responses: { 201: jsonResponse(ListSchema, 'Created'), ...badRequest, ...commonErrors },
});

export const getListRoute = createRoute({
  method: 'get', path: '/lists/{id}', tags, security, request: { params: IdParam },
  responses: { 200: jsonResponse(ListSchema, 'The list'), ...commonErrors, ...notFound },
});

export const listListsRoute = createRoute({
  method: 'get', path: '/lists', tags, security, request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(ListSchema), 'Lists'), ...commonErrors },
});

export const addMembersRoute = createRoute({
  method: 'post', path: '/lists/{id}/members', tags, security, summary: 'Add contacts by id',
  request: { params: IdParam, ...jsonBody(z.object({ contact_ids: z.array(z.number().int().positive()).min(1).max(10000) }).strict()) },
  responses: { 200: jsonResponse(z.object({ added: z.number(), unknown: z.array(z.number()) }), 'Added'), ...badRequest, ...commonErrors, ...notFound },
});

export const addMembersCsvRoute = createRoute({
  method: 'post', path: '/lists/{id}/members/import', tags, security,
  summary: 'Add contacts from a CSV with an email, external_id or id column',
  request: { params: IdParam, body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
  responses: {
    200: jsonResponse(
      z.object({
        added: z.number(), already_members: z.number(),
        rejected: z.array(z.object({ line: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })),
      }),
      'Added',
    ),
    ...badRequest, ...commonErrors, ...notFound, ...payloadTooLarge, ...notCsv,
  },
});
