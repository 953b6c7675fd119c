import { Hono, type Context } from 'hono';
import { InvalidInputError } from '../errors.js';
import { fieldProblems, type AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { unstorableFields } from '../http/storable.js';
import { refuseWithoutBearer } from './bearer.js';
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
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }]);
    }
    const parsed = InboundEmailJsonSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidInputError('Invalid inbound email', fieldProblems(parsed.error.issues).map(({ path, message }) => ({ field: path.join('.') || 'body', message })));
    }
    const unstorable = unstorableFields(parsed.data);
    if (unstorable.length) throw new InvalidInputError('Invalid inbound email', unstorable);
    const m = parsed.data;
    const recipients = (Array.isArray(m.to) ? m.to : [m.to]).map((a) => a.trim().toLowerCase());
    const key = `email:${m.message_id ?? crypto.randomUUID()}`;
    const outcome = await handleInboundEmail(db, {
      recipients, from: m.from ?? null, subject: m.subject ?? null, text: (m.text ?? '').slice(0, 10_000), automatic: m.auto_submitted ?? false, key,
    }, clock());
    return c.json(outcome, 200);
  });
  return app;
}
