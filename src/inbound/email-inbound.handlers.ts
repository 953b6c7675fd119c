import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { readWebhookJson, refuseWithoutBearer } from './json-form.js';
import { handleInboundEmail } from './email-inbound.service.js';
import { InboundEmailJsonSchema } from './webhooks.routes.js';

/**
 * POST /webhooks/email, public (no API key): the generic JSON form of an inbound email (a mail relay, Mailgun or
 * Postmark routes mapped to it), with `Authorization: Bearer <INBOUND_EMAIL_SECRET>`. SES inbound comes through
 * /webhooks/ses instead.
 */
export function emailInboundRouter() {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/email', limitBody(256 * 1024), async (c: Context<AppEnv>) => {
    const { config, db, clock } = c.get('deps');
    const refused = await refuseWithoutBearer(c, config.inboundEmailSecret, 'INBOUND_EMAIL_SECRET');
    if (refused) return refused;
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return errorResponse(c, 415, 'unsupported_media_type', 'Send JSON');
    const m = await readWebhookJson(c, InboundEmailJsonSchema, 'inbound email');
    const recipients = (Array.isArray(m.to) ? m.to : [m.to]).map((a) => a.trim().toLowerCase());
    const key = `email:${m.message_id ?? crypto.randomUUID()}`;
    const outcome = await handleInboundEmail(db, {
      recipients, from: m.from ?? null, subject: m.subject ?? null, text: (m.text ?? '').slice(0, 10_000), automatic: m.auto_submitted ?? false, key,
    }, clock());
    return c.json(outcome, 200);
  });
  return app;
}
