import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app-env.js';
import { NotFoundError } from '../errors.js';
import { paginate, pageQuery, pageSchema, toPage } from '../http/pagination.js';
import { badRequest, commonErrors, IdParam, jsonBody, jsonResponse, notFound, security } from '../http/schemas.js';
import { addMembers, findList, insertList, listLists } from './lists.repository.js';
import { addMembersFromCsv } from './lists.service.js';
import { errorResponse } from '../http/errors.js';

const tags = ['Lists'];
const ListSchema = z.object({ id: z.number(), name: z.string(), created_at: z.string(), members: z.number() }).openapi('List');

const createListRoute = createRoute({
  method: 'post', path: '/lists', tags, security, summary: 'Create a static list',
  request: jsonBody(z.object({ name: z.string().min(1).max(200) }).strict()),
  responses: { 201: jsonResponse(ListSchema, 'Created'), ...badRequest, ...commonErrors },
});
const getListRoute = createRoute({
  method: 'get', path: '/lists/{id}', tags, security, request: { params: IdParam },
  responses: { 200: jsonResponse(ListSchema, 'The list'), ...commonErrors, ...notFound },
});
const listListsRoute = createRoute({
  method: 'get', path: '/lists', tags, security, request: { query: pageQuery },
  responses: { 200: jsonResponse(pageSchema(ListSchema), 'Lists'), ...commonErrors },
});
const addMembersRoute = createRoute({
  method: 'post', path: '/lists/{id}/members', tags, security, summary: 'Add contacts by id',
  request: { params: IdParam, ...jsonBody(z.object({ contact_ids: z.array(z.number().int().positive()).min(1).max(10000) }).strict()) },
  responses: { 200: jsonResponse(z.object({ added: z.number(), unknown: z.array(z.number()) }), 'Added'), ...badRequest, ...commonErrors, ...notFound },
});
const addMembersCsvRoute = createRoute({
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
    ...badRequest, ...commonErrors, ...notFound,
  },
});

export function listsRouter() {
  const app = createRouter();
  app.openapi(createListRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const list = await insertList(db, c.req.valid('json').name, clock());
    return c.json({ ...list, members: 0 } as never, 201);
  });
  app.openapi(getListRoute, async (c) => {
    const id = c.req.valid('param').id;
    const list = await findList(c.get('deps').db, id);
    if (!list) throw new NotFoundError('List', id);
    return c.json({ ...list, members: Number(list.members) } as never, 200);
  });
  app.openapi(listListsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    const rows = (await listLists(c.get('deps').db, page)).map((l) => ({ ...l, id: Number(l.id), members: Number(l.members) }));
    return c.json(paginate(rows, page.limit) as never, 200);
  });
  app.openapi(addMembersRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const id = c.req.valid('param').id;
    if (!(await findList(db, id))) throw new NotFoundError('List', id);
    return c.json(await addMembers(db, id, c.req.valid('json').contact_ids, clock()), 200);
  });
  app.openapi(addMembersCsvRoute, async (c) => {
    if (!/^text\/(csv|plain)\b/i.test(c.req.header('content-type') ?? '')) {
      return errorResponse(c, 415, 'unsupported_media_type', 'Send the file with Content-Type: text/csv') as never;
    }
    const { db, clock } = c.get('deps');
    const text = await c.req.text();
    if (text.length > 20_000_000) return errorResponse(c, 413, 'payload_too_large', 'Lists are imported 20 MB at a time') as never;
    return c.json(await addMembersFromCsv(db, c.req.valid('param').id, text, clock()), 200);
  });
  return app;
}
