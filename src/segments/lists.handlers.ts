import { createRouter } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { NotFoundError } from '../errors.js';
import { errorResponse } from '../http/errors.js';
import { paginate, toPage } from '../http/pagination.js';
import { addMembers, findList, insertList, listLists } from './lists.repository.js';
import { addMembersCsvRoute, addMembersRoute, createListRoute, getListRoute, listListsRoute } from './lists.routes.js';
import { addMembersFromCsv } from './lists.service.js';
import { toListView } from './lists.views.js';

export function listsRouter() {
  const app = createRouter();
  app.openapi(createListRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const list = await insertList(db, c.req.valid('json').name, clock());
    return c.json(toListView(list, 0), 201);
  });
  app.openapi(getListRoute, async (c) => {
    const id = c.req.valid('param').id;
    const list = await findList(c.get('deps').db, id);
    if (!list) throw new NotFoundError('List', id);
    return c.json(toListView(list, Number(list.members)), 200);
  });
  app.openapi(listListsRoute, async (c) => {
    const page = toPage(c.req.valid('query'));
    const rows = (await listLists(c.get('deps').db, page)).map((l) => toListView(l, Number(l.members)));
    return c.json(paginate(rows, page.limit), 200);
  });
  app.openapi(addMembersRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const id = c.req.valid('param').id;
    if (!(await findList(db, id))) throw new NotFoundError('List', id);
    return c.json(await addMembers(db, id, c.req.valid('json').contact_ids, clock()), 200);
  });
  app.use('/lists/:id/members/import', limitBody((c) => c.get('deps').config.importMaxBytes, 'IMPORT_MAX_BYTES'));
  app.openapi(addMembersCsvRoute, async (c) => {
    if (!/^text\/(csv|plain)\b/i.test(c.req.header('content-type') ?? '')) {
      return errorResponse(c, 415, 'unsupported_media_type', 'Send the file with Content-Type: text/csv');
    }
    const { db, clock } = c.get('deps');
    const body = c.req.raw.body ?? new Blob([]).stream();
    return c.json(await addMembersFromCsv(db, c.req.valid('param').id, body, clock()), 200);
  });
  return app;
}
