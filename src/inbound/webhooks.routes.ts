// The contracts of the provider callbacks. The handlers are plain Hono routes (they read raw bodies to check
// signatures); these describe them in the OpenAPI document (registered in app.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema } from '../http/schemas.js';

const tags = ['Webhooks'];
const err = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

/** The JSON form of an inbound SMS. */
export const InboundSmsJsonSchema = z
  .strictObject({
    from: z.string().trim().min(1).max(64).openapi({ example: '+33612345678' }),
    to: z.string().trim().min(1).max(64).optional().openapi({ example: '36111' }),
    text: z.string().max(5000).openapi({ example: 'STOP' }),
    message_id: z.string().trim().min(1).max(128).optional()
      .openapi({ description: 'The provider’s id of the SMS: a redelivery with the same id is processed once', example: 'in-7f3a2c' }),
  })
  .openapi('InboundSms');

const snsNotification = {
  Type: 'Notification', MessageId: '6d2b3b5e-…', TopicArn: 'arn:aws:sns:eu-west-3:123456789012:ses-events',
  Message: '{"eventType":"Bounce","bounce":{"bounceType":"Permanent",…},"mail":{"messageId":"…"}}',
  Timestamp: '2026-03-01T09:30:00.000Z', SignatureVersion: '2', Signature: '…',
  SigningCertURL: 'https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-….pem',
};

export const sesWebhookRoute = createRoute({
  method: 'post', path: '/webhooks/ses', tags,
  summary: 'Receive SES delivery events through Amazon SNS',
  description:
    'Subscribe this URL to the SNS topic of your SES configuration set (SES_CONFIGURATION_SET). Public: trust comes ' +
    'from the SNS signature alone, and SES_SNS_TOPIC_ARNS limits the topics accepted. A subscription is confirmed ' +
    'only on an sns.<region>.amazonaws.com URL. Hard bounces and complaints suppress the address (complaints also ' +
    'unsubscribe from every email topic), soft bounces after SOFT_BOUNCE_LIMIT in a row; deliveries, opens and clicks ' +
    'go to the ledger. Each SNS message is handled once: a redelivery is ignored. At most 512 KiB.',
  request: {
    headers: z.object({
      'x-amz-sns-message-type': z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']).optional(),
    }),
    body: {
      content: {
        'text/plain': {
          schema: z.string().openapi({ description: 'The SNS message, as JSON text (SNS sends text/plain)' }),
          example: JSON.stringify(snsNotification),
        },
        'application/json': {
          schema: z.record(z.string(), z.unknown()),
          examples: { bounce: { summary: 'A bounce notification (its signature elided)', value: snsNotification } },
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ ok: z.literal(true), confirmed: z.boolean().optional() }), example: { ok: true } } },
      description: 'Handled (or a redelivery, ignored); confirmed when a subscription was confirmed',
    },
    400: err('Not an SNS message, or its type header disagrees with the body'),
    403: err('Invalid signature, an unexpected topic, or a certificate or subscription URL not on SNS'),
    413: err('Over 512 KiB'),
    415: err('Not text/plain or application/json'),
    422: err('The notification holds text that cannot be stored'),
    502: err('SNS did not accept the subscription confirmation'),
    503: err('The SNS signing certificate could not be fetched: SNS retries later'),
  },
});

export const smsWebhookRoute = createRoute({
  method: 'post', path: '/webhooks/sms', tags,
  summary: 'Receive an SMS reply: STOP, START, HELP or a message',
  description:
    'Twilio\'s form signed with X-Twilio-Signature (refused unless TWILIO_AUTH_TOKEN is set), or JSON {from, to?, ' +
    'text, message_id?} with `Authorization: Bearer <SMS_WEBHOOK_SECRET>` (refused unless it is set). STOP, ARRÊT, STOP SMS, QUIT, ' +
    'END, CANCEL, UNSUBSCRIBE, REVOKE and OPT OUT (any case or accents) unsubscribe from every SMS topic and send one ' +
    'confirmation; START re-subscribes what a keyword stopped; HELP answers with the brand and how to stop. Other ' +
    'replies are recorded as sms_reply events, and as replies to the last campaign SMS sent to the number within 30 ' +
    'days (its report counts them; a STOP counts as its unsubscribe). The answers go out through the SMS transport; Twilio gets an empty ' +
    'TwiML. At most 64 KiB.',
  security: [{ smsWebhookSecret: [] }, {}],
  request: {
    body: {
      content: {
        'application/json': { schema: InboundSmsJsonSchema, example: { from: '+33612345678', to: '36111', text: 'STOP' } },
        'application/x-www-form-urlencoded': {
          schema: z.object({ From: z.string(), To: z.string().optional(), Body: z.string().optional(), MessageSid: z.string().optional() }).catchall(z.string()),
          example: { From: '+33612345678', To: '+33644630000', Body: 'STOP', MessageSid: 'SM0123456789abcdef0123456789abcdef' },
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ action: z.enum(['unsubscribed', 'resubscribed', 'help', 'reply', 'ignored']) }),
          example: { action: 'unsubscribed' },
        },
        'text/xml': { schema: z.string(), example: '<?xml version="1.0" encoding="UTF-8"?><Response/>' },
      },
      description: 'Handled: the action taken (JSON), or an empty TwiML (Twilio\'s form)',
    },
    401: err('JSON form: a missing or wrong bearer secret'),
    403: err('The form\'s secret is not configured, or an invalid X-Twilio-Signature'),
    413: err('Over 64 KiB'),
    415: err('Neither JSON nor a form'),
    422: err('Invalid fields, or text that cannot be stored'),
  },
});

/** The JSON form of an inbound email. */
export const InboundEmailJsonSchema = z
  .strictObject({
    to: z.union([z.string().min(3).max(320), z.array(z.string().min(3).max(320)).min(1).max(50)])
      .openapi({ description: 'The addresses it was sent to; a reply+…@REPLY_DOMAIN one links it to its message', example: 'reply+0193a1b2c3d4e5f60718293a4b5c6d7e-1f2e3d4c5b6a7980@reply.shop.example' }),
    from: z.string().max(320).optional().openapi({ example: 'marie.dupont@example.fr' }),
    subject: z.string().max(2000).optional(),
    text: z.string().max(100_000).optional().openapi({ description: 'The plain-text body (kept to 10,000 characters)' }),
    message_id: z.string().min(1).max(998).optional().openapi({ description: 'Its Message-ID or the relay’s id: a redelivery is recorded once' }),
    auto_submitted: z.boolean().optional().openapi({ description: 'An automatic answer (out of office): not counted as a reply' }),
  })
  .openapi('InboundEmail');

export const emailWebhookRoute = createRoute({
  method: 'post', path: '/webhooks/email', tags,
  summary: 'Receive an email reply (generic JSON form)',
  description:
    'With REPLY_DOMAIN set, marketing email says Reply-To: reply+<message>-<signature>@REPLY_DOMAIN. A relay posts what ' +
    'arrives there with `Authorization: Bearer <INBOUND_EMAIL_SECRET>` (refused unless it is set); a genuine reply ' +
    'address links the email to its message as a reply, counted in the campaign report. SES inbound (an SNS action) ' +
    'goes to POST /webhooks/ses instead. At most 256 KiB.',
  security: [{ inboundEmailSecret: [] }],
  request: {
    body: {
      content: {
        'application/json': {
          schema: InboundEmailJsonSchema,
          example: {
            to: 'reply+0193a1b2c3d4e5f60718293a4b5c6d7e-1f2e3d4c5b6a7980@reply.shop.example', from: 'marie.dupont@example.fr', subject: 'Re: Les soldes',
            text: 'Avez-vous la taille 38 ?', message_id: '<CAF=abc@mail.example.fr>',
          },
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ action: z.enum(['reply', 'automatic', 'unknown_recipient']), duplicate: z.literal(true).optional() }),
          example: { action: 'reply' },
        },
      },
      description: 'Handled: reply (recorded), automatic (an out-of-office, not counted) or unknown_recipient (no genuine reply address)',
    },
    401: err('A missing or wrong bearer secret'),
    403: err('INBOUND_EMAIL_SECRET is not configured'),
    413: err('Over 256 KiB'),
    415: err('Not JSON'),
    422: err('Invalid fields, or text that cannot be stored'),
  },
});

export const printHouseWebhookRoute = createRoute({
  method: 'post', path: '/webhooks/print-house', tags,
  summary: 'Receive a print house\'s letter status (printed, posted, delivered, returned)',
  description:
    'The print house posts each letter\'s status here (docs/PRINT-HOUSE.md), signed with Standard Webhooks headers ' +
    '(webhook-id, webhook-timestamp, webhook-signature) under PRINT_HOUSE_WEBHOOK_SECRET; refused unless it is set. ' +
    'A delivered letter counts as delivered, a returned one as a hard bounce of its message, in the report. Each ' +
    'webhook-id is handled once. At most 64 KiB.',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ type: z.string(), data: z.object({ id: z.string(), reference: z.string(), at: z.string().optional(), reason: z.string().optional() }) }),
          example: { type: 'letter.returned', data: { id: 'ltr_8f2a', reference: 'aZ3kQ9x2LmP0vT1c', at: '2026-11-20T10:04:00Z', reason: "N'habite pas à l'adresse indiquée" } },
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ duplicate: z.boolean(), type: z.string().nullable() }).passthrough(), example: { duplicate: false, type: 'bounce', message: 'recorded' } } },
      description: 'Handled (or a redelivery, ignored)',
    },
    400: err('Not a print-house event'),
    401: err('Unsigned, a bad signature, or a timestamp more than five minutes away'),
    403: err('PRINT_HOUSE_WEBHOOK_SECRET is not configured'),
    413: err('Over 64 KiB'),
  },
});

export const webhookRoutes = [sesWebhookRoute, smsWebhookRoute, emailWebhookRoute, printHouseWebhookRoute];
