import { Hono } from 'hono';
import { readPrintHouseEvent } from '../channels/index.js';
import type { AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { handlePrintHouseEvent } from './delivery-reports.service.js';

// A status callback is a few hundred bytes.
const MAX_BODY = 64 * 1024;

/**
 * POST /webhooks/print-house: a letter printed, posted, delivered or returned (docs/PRINT-HOUSE.md). Public; trust
 * comes from the Standard Webhooks signature under PRINT_HOUSE_WEBHOOK_SECRET, refused unless it is set. A returned
 * letter is a hard bounce of its message; printed and posted are acknowledged and not kept.
 */
export function printHouseWebhookRouter() {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/print-house', limitBody(MAX_BODY), async (c) => {
    const { db, config, clock } = c.get('deps');
    if (!config.printHouseWebhookSecret) return errorResponse(c, 403, 'forbidden', 'PRINT_HOUSE_WEBHOOK_SECRET is not configured');
    const read = await readPrintHouseEvent(await c.req.text(), c.req.raw.headers, config.printHouseWebhookSecret, clock());
    if ('refused' in read) {
      const unsigned = ['unsigned', 'stale timestamp', 'bad signature'].includes(read.refused);
      return errorResponse(c, unsigned ? 401 : 400, unsigned ? 'unauthorized' : 'bad_request', `Print-house callback refused: ${read.refused}`);
    }
    return c.json(await handlePrintHouseEvent(db, read, { at: clock() }));
  });
  return app;
}
