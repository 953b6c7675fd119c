// Test helpers (Node only): local stand-ins for the SMS providers' APIs, each recording what it accepted and able to
// fail the next requests as the real one does. Twilio's REST API (form-encoded, Basic auth) and AWS End User
// Messaging SMS (the AWS JSON 1.0 protocol the SDK speaks: POST /, X-Amz-Target PinpointSMSVoiceV2.SendTextMessage).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SmsFailure = 'throttled' | 'invalid' | 'unavailable' | 'paused';

export interface LocalSmsMessage {
  to: string;
  from: string;
  body: string;
  /** What the request carried to name our message (AWS: Context.message_id), if anything. */
  ourId?: string;
  /** The id the stand-in answered. */
  providerId: string;
}

export interface LocalSmsProvider {
  /** Give this to the transport as its API URL or endpoint. */
  endpoint: string;
  messages(): LocalSmsMessage[];
  /** The next `count` send requests fail this way; none is recorded. */
  failNext(kind: SmsFailure, count?: number): void;
  /** How many send requests reached the stand-in, answered or not. */
  requests(): number;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

async function startStandIn(handle: (req: IncomingMessage, body: string, failure: SmsFailure | undefined, messages: LocalSmsMessage[]) => Answer): Promise<LocalSmsProvider> {
  const messages: LocalSmsMessage[] = [];
  const failures: SmsFailure[] = [];
  let requests = 0;
  const server: Server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') requests++;
      const a = handle(req, Buffer.concat(chunks).toString('utf8'), req.method === 'POST' ? failures.shift() : undefined, messages);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    messages: () => messages.map((m) => ({ ...m })),
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    requests: () => requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Twilio's Messages resource: POST /2010-04-01/Accounts/{sid}/Messages.json, answered 201 with a sid. */
export function startLocalTwilio(accountSid: string, authToken: string): Promise<LocalSmsProvider> {
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return startStandIn((req, body, failure, messages) => {
    if (req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return { status: 404, body: { code: 20404, message: 'The requested resource was not found' } };
    if (req.headers.authorization !== auth) return { status: 401, body: { code: 20003, message: 'Authenticate' } };
    if (failure === 'throttled') return { status: 429, body: { code: 20429, message: 'Too Many Requests' } };
    if (failure === 'unavailable') return { status: 503, body: { code: 20500, message: 'Service Unavailable' } };
    if (failure === 'paused') return { status: 401, body: { code: 20003, message: 'Account suspended' } };
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    if (failure === 'invalid' || !/^\+[1-9]\d{6,14}$/.test(to)) return { status: 400, body: { code: 21211, message: `The 'To' number ${to} is not a valid phone number.` } };
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    messages.push({ to, from: form.get('From') ?? form.get('MessagingServiceSid') ?? '', body: form.get('Body') ?? '', providerId: sid });
    return { status: 201, body: { sid, status: 'queued', num_segments: '1' } };
  });
}

/** AWS End User Messaging SMS: SendTextMessage over AWS JSON 1.0, errors named by __type as AWS does. */
export function startLocalAwsSms(): Promise<LocalSmsProvider> {
  const error = (status: number, type: string, message: string, extra: Record<string, string> = {}): Answer => ({
    status, headers: { 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.0' }, body: { __type: type, message, ...extra },
  });
  return startStandIn((req, body, failure, messages) => {
    if (req.headers['x-amz-target'] !== 'PinpointSMSVoiceV2.SendTextMessage') return error(400, 'UnknownOperationException', `not served here: ${String(req.headers['x-amz-target'])}`);
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return error(403, 'AccessDeniedException', 'Missing Authentication Token');
    if (failure === 'throttled') return error(400, 'ThrottlingException', 'Rate exceeded');
    if (failure === 'unavailable') return error(500, 'InternalServerException', 'Internal server error');
    if (failure === 'paused') return error(400, 'AccessDeniedException', 'Account disabled', { Reason: 'ACCOUNT_DISABLED' });
    const request = JSON.parse(body) as { DestinationPhoneNumber?: string; OriginationIdentity?: string; MessageBody?: string; Context?: Record<string, string> };
    const to = request.DestinationPhoneNumber ?? '';
    if (failure === 'invalid' || !/^\+[1-9]\d{6,14}$/.test(to)) return error(400, 'ValidationException', 'Invalid destination phone number', { Reason: 'INVALID_PARAMETER' });
    const id = randomUUID();
    messages.push({ to, from: request.OriginationIdentity ?? '', body: request.MessageBody ?? '', ourId: request.Context?.message_id, providerId: id });
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: { MessageId: id } };
  });
}
