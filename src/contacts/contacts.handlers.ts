import { createRouter } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { toPage } from '../http/pagination.js';
import {
  declareAttribute, findContacts, getContact, listAttributes, patchContact, recordEvents, upsertContact,
} from './contacts.service.js';
import { importContactsCsv } from './import.service.js';
import {
  getContactRoute, importContactsRoute, listAttributesRoute, listContactsRoute, patchContactRoute,
  postEventsRoute, putAttributeRoute, upsertContactRoute,
} from './contacts.routes.js';
import { toContactView } from './contacts.views.js';

export function contactsRouter() {
  const app = createRouter();
  app.openapi(upsertContactRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { created, contact } = await upsertContact(db, c.req.valid('json'), clock());
    return created ? c.json(toContactView(contact), 201) : c.json(toContactView(contact), 200);
  });

  app.openapi(importContactsRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/(csv|plain)\b/i.test(type)) {
      return errorResponse(c, 415, 'unsupported_media_type', 'Send the file with Content-Type: text/csv');
    }
    const body = c.req.raw.body;
    const { db, clock } = c.get('deps');
    const report = body ? await importContactsCsv(db, body, clock) : { created: 0, updated: 0, rejected: [], ignored_columns: [] };
    return c.json(report, 200);
  });

  app.openapi(listContactsRoute, async (c) => {
    const q = c.req.valid('query');
    const { data, next_cursor } = await findContacts(c.get('deps').db, q, toPage(q), c.get('deps').clock());
    return c.json({ data: data.map(toContactView), next_cursor }, 200);
  });

  app.openapi(getContactRoute, async (c) => {
    return c.json(toContactView(await getContact(c.get('deps').db, c.req.valid('param').id)), 200);
  });

  app.openapi(patchContactRoute, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(toContactView(await patchContact(db, c.req.valid('param').id, c.req.valid('json'), clock())), 200);
  });

  app.openapi(putAttributeRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const { created } = await declareAttribute(db, { name, type: body.type, values: body.values ?? null }, clock());
    const attribute = { name, type: body.type, values: body.values ?? null };
    return created ? c.json(attribute, 201) : c.json(attribute, 200);
  });

  app.openapi(listAttributesRoute, async (c) => {
    return c.json({ data: await listAttributes(c.get('deps').db), next_cursor: null }, 200);
  });

  app.openapi(postEventsRoute, async (c) => {
    const body = c.req.valid('json');
    const events = 'events' in body ? body.events : [body];
    const { db, clock } = c.get('deps');
    return c.json(await recordEvents(db, events, clock()), 201);
  });

  return app;
}
