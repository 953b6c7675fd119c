import { InvalidInputError } from '../errors.js';
import { changedBy, createRouter } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { toPage } from '../http/pagination.js';
import { declareAttribute } from './attributes.service.js';
import { findContacts, getContact, listAttributes, patchContact, upsertContact } from './contacts.service.js';
import { importContactsCsv } from './import.service.js';
import {
  getContactRoute, importContactsRoute, listAttributesRoute, listContactsRoute, patchContactRoute,
  putAttributeRoute, upsertContactRoute,
} from './contacts.routes.js';
import { toContactView } from './contacts.views.js';

export function contactsRouter() {
  const app = createRouter();
  app.openapi(upsertContactRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { created, contact } = await upsertContact(db, c.req.valid('json'), clock());
    return created ? c.json(toContactView(contact), 201) : c.json(toContactView(contact), 200);
  });

  app.use(importContactsRoute.path, limitBody((c) => c.get('deps').config.importMaxBytes, 'IMPORT_MAX_BYTES'));
  app.openapi(importContactsRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/(csv|plain)\b/i.test(type)) {
      return errorResponse(c, 415, 'unsupported_media_type', 'Send the file with Content-Type: text/csv');
    }
    const mapping = columnMapping(new URL(c.req.url).searchParams);
    const { db, clock } = c.get('deps');
    const body = c.req.raw.body ?? new Blob([]).stream();
    return c.json(await importContactsCsv(db, body, clock, mapping), 200);
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
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const attribute = { name, type: body.type, values: body.values ?? null, aliases: body.aliases ?? [] };
    const { created, converted } = await declareAttribute(c.get('deps').db, attribute, changedBy(c));
    const view = { ...attribute, aliases: [...new Set(attribute.aliases)], converted };
    return created ? c.json(view, 201) : c.json(view, 200);
  });

  app.openapi(listAttributesRoute, async (c) => {
    const data = (await listAttributes(c.get('deps').db)).map((a) => ({ name: a.name, type: a.type, values: a.values ?? null, aliases: a.aliases ?? [] }));
    return c.json({ data, next_cursor: null }, 200);
  });


  return app;
}

/** `?map[Header]=target`, each header once; any other query parameter is refused rather than ignored. */
function columnMapping(query: URLSearchParams): Record<string, string> {
  const mapping: Record<string, string> = {};
  const problems = [];
  for (const [key, value] of query) {
    const header = /^map\[(.*)\]$/s.exec(key)?.[1];
    if (header === undefined) problems.push({ field: key, message: 'unknown query parameter: a column mapping is map[Header]=target' });
    else if (!header.trim()) problems.push({ field: key, message: 'names no column' });
    else if (Object.hasOwn(mapping, header)) problems.push({ field: key, message: 'is given twice' });
    else mapping[header] = value;
  }
  if (problems.length) throw new InvalidInputError('Invalid query', problems);
  return mapping;
}
