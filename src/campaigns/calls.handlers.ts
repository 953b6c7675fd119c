import { createRouter } from '../http/app-env.js';
import { csvResponse, prefersCsv } from '../http/csv.js';
import { CALL_COLUMNS, claimCallRoute, listCallsRoute, recordOutcomeRoute } from './calls.routes.js';
import { callList, claim, recordOutcome, type CallView } from './calls.service.js';

export function callsRouter() {
  const app = createRouter();
  app.openapi(listCallsRoute, async (c) => {
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    const { status, limit, cursor } = c.req.valid('query');
    c.header('Vary', 'Accept');
    if (prefersCsv(c.req.header('accept'))) {
      await callList(deps, id, { status }, { limit: 1 });
      return csvResponse(c, `campaign-${id}-calls.csv`, CALL_COLUMNS, csvRows(deps, id, status));
    }
    return c.json(await callList(deps, id, { status }, { after: cursor, limit }), 200);
  });
  app.openapi(claimCallRoute, async (c) => c.json(await claim(c.get('deps'), c.req.valid('param').id, { id: c.get('apiKey').id, name: c.get('apiKey').name }), 200));
  app.openapi(recordOutcomeRoute, async (c) => {
    const result = await recordOutcome(c.get('deps'), c.req.valid('param').id, { id: c.get('apiKey').id, name: c.get('apiKey').name }, c.req.valid('json'));
    return c.json(result, result.duplicate ? 200 : 201);
  });
  return app;
}

async function* csvRows(deps: Parameters<typeof callList>[0], id: number, status: CallView['status'] | undefined) {
  let after: string | undefined;
  do {
    const page = await callList(deps, id, { status }, { after, limit: 500 });
    yield page.data.map((call) => CALL_COLUMNS.map((k) => call[k]));
    after = page.next_cursor ?? undefined;
  } while (after);
}
