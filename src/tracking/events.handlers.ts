// POST /v1/events lives here, above contacts: the events are the customer file's, and conversions among them are
// attributed to campaigns in the same transaction.
import { contactRoutes, recordEvents } from '../contacts/index.js';
import { createRouter } from '../http/app-env.js';
import { attributeConversions } from './conversions.service.js';

export function eventsRouter() {
  const app = createRouter();
  app.openapi(contactRoutes.postEventsRoute, async (c) => {
    const body = c.req.valid('json');
    const events = 'events' in body ? body.events : [body];
    const { db, clock, config } = c.get('deps');
    return c.json(await recordEvents(db, events, clock(), (trx, rows) => attributeConversions(trx, rows, config.conversions)), 201);
  });
  return app;
}
