import { Hono, type Context } from 'hono';
import { InboundSmsJsonSchema } from './webhooks.routes.js';
import { EMPTY_TWIML, parseTwilioInbound, TWIML_CONTENT_TYPE, verifyTwilioSignature } from '../channels/index.js';
import { InvalidInputError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { unstorableFields } from '../http/storable.js';
import { readWebhookJson, refuseWithoutBearer } from './json-form.js';
import { handleInboundSms } from './sms-inbound.service.js';

export const SMS_WEBHOOK_PATH = '/webhooks/sms';


/**
 * POST /webhooks/sms, public (no API key): JSON `{from, to?, text}` with `Authorization: Bearer <secret>`,
 * or Twilio's native form signed with X-Twilio-Signature. A forged STOP must not unsubscribe anyone, so
 * each form is refused outright while its secret is not configured.
 */
export function smsInboundRouter() {
  const app = new Hono<AppEnv>();
  const settingsOf = (c: Context<AppEnv>) => {
    const { config } = c.get('deps');
    return { defaultCountry: config.smsDefaultCountry, helpContact: config.smsHelpContact };
  };

  app.post(
    SMS_WEBHOOK_PATH,
    limitBody(64 * 1024),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type === 'application/json') return handleJson(c);
      if (type === 'application/x-www-form-urlencoded') return handleTwilio(c);
      return errorResponse(c, 415, 'unsupported_media_type', 'Send JSON {from, to?, text} or Twilio’s form fields');
    },
  );

  async function handleJson(c: Context<AppEnv>) {
    const refused = await refuseWithoutBearer(c, c.get('deps').config.smsWebhookSecret, 'SMS_WEBHOOK_SECRET');
    if (refused) return refused;
    const data = await readWebhookJson(c, InboundSmsJsonSchema, 'inbound SMS');
    const { message_id: id, ...sms } = data;
    const { action } = await handleInboundSms(c.get('deps'), { ...sms, ...(id ? { providerEvent: { provider: 'json', id } } : {}) }, settingsOf(c));
    return c.json({ action }, 200);
  }

  async function handleTwilio(c: Context<AppEnv>) {
    const { config } = c.get('deps');
    const authToken = config.twilio?.authToken;
    if (!authToken) return errorResponse(c, 403, 'forbidden', 'Twilio webhooks are disabled: TWILIO_AUTH_TOKEN is not configured');
    // Signed over the raw parameters, so read them ourselves rather than through a parser that merges repeats.
    const params = [...new URLSearchParams(await c.req.text())];
    const url = config.publicUrl + SMS_WEBHOOK_PATH + new URL(c.req.url).search;
    if (!(await verifyTwilioSignature(authToken, url, params, c.req.header('x-twilio-signature')))) {
      return errorResponse(c, 403, 'forbidden', 'Invalid X-Twilio-Signature');
    }
    // Named as Twilio names them (Body, From).
    const unstorable = unstorableFields(Object.fromEntries(params));
    if (unstorable.length) throw new InvalidInputError('Invalid inbound SMS', unstorable);
    const sms = parseTwilioInbound(params);
    if (sms) await handleInboundSms(c.get('deps'), sms, settingsOf(c));
    // Answers go out through our own transport; an empty TwiML tells Twilio to send nothing itself.
    return c.body(EMPTY_TWIML, 200, { 'Content-Type': TWIML_CONTENT_TYPE });
  }

  return app;
}
