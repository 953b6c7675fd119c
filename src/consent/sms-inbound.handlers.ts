import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { secretsEqual, verifyTwilioSignature } from '../channels/twilio-signature.js';
import { InvalidInputError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { handleInboundSms, type InboundSms } from './sms-inbound.service.js';

export const SMS_WEBHOOK_PATH = '/webhooks/sms';

export interface SmsInboundOptions {
  /** SMS_WEBHOOK_SECRET: the Bearer secret of the JSON form. Without it the JSON form is refused. */
  secret?: string;
  /** TWILIO_AUTH_TOKEN: checks X-Twilio-Signature. Without it Twilio's form is refused. */
  twilioAuthToken?: string;
  /** PUBLIC_URL: Twilio signs the URL it called, which a proxy may have rewritten before it reaches us. */
  publicUrl: string;
  /** How to read a sender number written nationally (SMS_DEFAULT_COUNTRY). Default FR. */
  defaultCountry?: CountryCode;
  /** Where to get help, quoted in the HELP answer (SMS_HELP_CONTACT). */
  helpContact?: string;
}

const jsonBody = z.strictObject({
  from: z.string().trim().min(1).max(64),
  to: z.string().trim().min(1).max(64).optional(),
  text: z.string().max(5000),
});

const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * POST /webhooks/sms, public (no API key): JSON `{from, to?, text}` with `Authorization: Bearer <secret>`,
 * or Twilio's native form signed with X-Twilio-Signature. A forged STOP must not unsubscribe anyone, so
 * each form is refused outright while its secret is not configured.
 */
export function smsInboundRouter(options: SmsInboundOptions) {
  const app = new Hono<AppEnv>();
  const settings = { defaultCountry: options.defaultCountry ?? ('FR' as CountryCode), helpContact: options.helpContact };
  const publicUrl = options.publicUrl.replace(/\/$/, '');

  app.post(
    SMS_WEBHOOK_PATH,
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => errorResponse(c, 413, 'payload_too_large', 'The body is larger than 64 KiB') }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type === 'application/json') return handleJson(c);
      if (type === 'application/x-www-form-urlencoded') return handleTwilio(c);
      return errorResponse(c, 415, 'unsupported_media_type', 'Send JSON {from, to?, text} or Twilio’s form fields');
    },
  );

  async function handleJson(c: Context<AppEnv>) {
    if (!options.secret) return errorResponse(c, 403, 'forbidden', 'The JSON form is disabled: SMS_WEBHOOK_SECRET is not configured');
    const auth = c.req.header('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    if (!given || !(await secretsEqual(given, options.secret))) {
      return errorResponse(c, 401, 'unauthorized', 'A valid Authorization: Bearer <SMS_WEBHOOK_SECRET> is required');
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }]);
    }
    const parsed = jsonBody.safeParse(raw);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
      throw new InvalidInputError('Invalid inbound SMS', details);
    }
    const { action } = await handleInboundSms(c.get('deps'), parsed.data, settings);
    return c.json({ action }, 200);
  }

  async function handleTwilio(c: Context<AppEnv>) {
    if (!options.twilioAuthToken) return errorResponse(c, 403, 'forbidden', 'Twilio webhooks are disabled: TWILIO_AUTH_TOKEN is not configured');
    // Signed over the raw parameters, so read them ourselves rather than through a parser that merges repeats.
    const params = [...new URLSearchParams(await c.req.text())];
    const url = publicUrl + SMS_WEBHOOK_PATH + new URL(c.req.url).search;
    if (!(await verifyTwilioSignature(options.twilioAuthToken, url, params, c.req.header('x-twilio-signature')))) {
      return errorResponse(c, 403, 'forbidden', 'Invalid X-Twilio-Signature');
    }
    const field = (name: string) => params.find(([k]) => k === name)?.[1];
    const from = field('From');
    if (from) {
      const sid = field('MessageSid') ?? field('SmsMessageSid') ?? field('SmsSid');
      const sms: InboundSms = {
        from,
        to: field('To'),
        text: field('Body') ?? '',
        ...(sid ? { providerEvent: { provider: 'twilio', id: sid } } : {}),
      };
      await handleInboundSms(c.get('deps'), sms, settings);
    }
    // Answers go out through our own transport; an empty TwiML tells Twilio to send nothing itself.
    return c.body(twiml, 200, { 'Content-Type': 'text/xml; charset=utf-8' });
  }

  return app;
}
