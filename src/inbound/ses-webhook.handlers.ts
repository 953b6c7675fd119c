import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { limitBody } from '../http/body-limit.js';
import { errorResponse } from '../http/errors.js';
import { unstorableFields } from '../http/storable.js';
import { CertificateUnavailableError, createSnsVerifier, isSnsUrl, parseSnsMessage, type Fetcher, type SnsVerifier } from '../channels/index.js';
import { handleSesNotification } from './delivery-reports.service.js';

// SNS messages are at most 256 KB; the envelope escapes the message as a JSON string, which can make it longer.
const MAX_BODY = 512 * 1024;

/**
 * POST /webhooks/ses: SES events through SNS. Public; trust comes from the SNS signature alone. Nothing named in the
 * body is fetched unless it is on an sns.<region>.amazonaws.com host (Mailtrain #1392 was an SSRF here).
 */
export function sesWebhookRouter() {
  // One certificate cache per outbound fetch, which lives as long as the app (an isolate on Workers).
  const verifiers = new WeakMap<Fetcher, SnsVerifier>();
  const verifierFor = (fetcher: Fetcher) => {
    let v = verifiers.get(fetcher);
    if (!v) verifiers.set(fetcher, (v = createSnsVerifier(fetcher)));
    return v;
  };
  const app = new Hono<AppEnv>();

  app.post('/webhooks/ses', limitBody(MAX_BODY), async (c) => {
    const { config, fetch: fetcher } = c.get('deps');
    const topics = config.sesSnsTopicArns?.length ? new Set(config.sesSnsTopicArns) : undefined;
    const verify = verifierFor(fetcher);
    const type = c.req.header('content-type');
    if (type && !/^(text\/plain|application\/json)\b/i.test(type)) {
      return errorResponse(c, 415, 'unsupported_media_type', 'SNS posts text/plain or application/json');
    }
    const body = await c.req.text();
    const parsed = parseSnsMessage(body);
    if ('error' in parsed) return errorResponse(c, 400, 'bad_request', parsed.error);
    const m = parsed.message;
    const declared = c.req.header('x-amz-sns-message-type');
    if (declared && declared !== m.Type) return errorResponse(c, 400, 'bad_request', 'x-amz-sns-message-type does not match the body');

    // Everything refusable without a network call is refused first.
    if (topics && !topics.has(m.TopicArn)) return errorResponse(c, 403, 'forbidden', 'Unexpected TopicArn');
    if (!isSnsUrl(m.SigningCertURL)) return errorResponse(c, 403, 'forbidden', 'SigningCertURL is not an SNS https URL');
    if (m.Type === 'SubscriptionConfirmation' && !isSnsUrl(m.SubscribeURL)) {
      return errorResponse(c, 403, 'forbidden', 'SubscribeURL is not an SNS https URL');
    }

    let valid: boolean;
    try {
      valid = await verify(m);
    } catch (err) {
      if (!(err instanceof CertificateUnavailableError)) throw err;
      // AWS's side is unreachable: a 5xx makes SNS retry later.
      return errorResponse(c, 503, 'unavailable', 'The SNS signing certificate could not be fetched');
    }
    if (!valid) return errorResponse(c, 403, 'forbidden', 'Invalid SNS signature');

    if (m.Type === 'SubscriptionConfirmation') {
      const res = await fetcher(m.SubscribeURL!, { redirect: 'manual', signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      if (!res?.ok) return errorResponse(c, 502, 'bad_gateway', 'SNS did not accept the subscription confirmation');
      return c.json({ ok: true, confirmed: true }, 200);
    }
    if (m.Type === 'UnsubscribeConfirmation') return c.json({ ok: true }, 200);

    // What a notification carries is stored (its id, the addresses): text the database refuses is refused here.
    const unstorable = unstorableFields({ MessageId: m.MessageId, Message: parsedOrText(m.Message) });
    if (unstorable.length) return errorResponse(c, 422, 'validation_failed', 'The notification holds text that cannot be stored', unstorable);

    const { db, clock } = c.get('deps');
    await handleSesNotification(db, { snsMessageId: m.MessageId, message: m.Message }, { at: clock(), softBounceLimit: config.softBounceLimit, classifier: config.classifier });
    return c.json({ ok: true }, 200);
  });

  return app;
}

/** The SES event inside a notification, parsed, or its text when it is not JSON. */
function parsedOrText(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}
