import { createRouter } from '../http/app-env.js';
import { postResponseRoute } from './responses.routes.js';
import { recordCouponResponse, recordMessageResponse } from './responses.service.js';

export function responsesRouter() {
  const app = createRouter();
  app.openapi(postResponseRoute, async (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.get('deps');
    const at = body.occurred_at ? new Date(body.occurred_at) : clock();
    const extra = { body: body.body ?? null, properties: body.properties ?? {}, at };
    const recorded = 'code' in body
      // A coupon counts once, whoever enters it and however often.
      ? await recordCouponResponse(db, body.code, { ...extra, key: body.idempotency_key ? `api:${body.idempotency_key}` : `coupon:${body.code.toUpperCase().replace(/[\s-]/g, '')}` })
      : await recordMessageResponse(db, body.message_id, { ...extra, kind: body.kind, key: `api:${body.idempotency_key ?? crypto.randomUUID()}` });
    return c.json(recorded, recorded.duplicate ? 200 : 201);
  });
  return app;
}
