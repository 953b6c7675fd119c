import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSesEmailTransport, type SesEmailTransportOptions } from './ses.js';
import { startLocalSes, type LocalSes } from './ses-test-server.js';
import { RetryableSendError, type EmailMessage } from '../types.js';

const email: EmailMessage = {
  messageId: 'em-ses-1',
  from: { address: 'news@relais.example', name: 'Café Relais' },
  to: { address: 'zoe@example.fr', name: 'Zoé Dupont' },
  replyTo: 'service@relais.example',
  subject: 'Votre réduction de 20 % — Noël',
  text: 'Bonjour Zoé,\nVotre réduction vous attend 🎄',
  html: '<p>Bonjour Zoé,</p>\n<p>Votre réduction vous attend 🎄</p>',
  headers: {
    'List-Unsubscribe': '<https://relais.example/u/tok>, <mailto:unsubscribe@relais.example>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
};

const base = {
  region: 'eu-west-3',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'dummy-secret',
  fromDomain: 'relais.example',
  clock: () => new Date('2026-12-01T09:30:00Z'),
} satisfies Partial<SesEmailTransportOptions>;

describe('SES transport against aws-ses-v2-local', () => {
  let ses: LocalSes;
  beforeAll(async () => {
    ses = await startLocalSes();
  }, 20_000);
  afterAll(async () => {
    await ses?.stop();
  });

  it('sends the raw MIME to the recipient and it round-trips', async () => {
    const transport = createSesEmailTransport({ ...base, endpoint: ses.endpoint, configurationSet: 'marketing' });
    expect(transport.name).toBe('ses');

    const result = await transport.send(email);
    const messages = await ses.messages();
    expect(messages).toHaveLength(1);
    const [sent] = messages;
    expect(result.providerMessageId).toBe(sent!.messageId);
    expect(sent!.to).toEqual(['zoe@example.fr']);

    const parsed = await PostalMime.parse(sent!.raw);
    expect(parsed.messageId).toBe('<em-ses-1@relais.example>');
    expect(parsed.date).toBe('2026-12-01T09:30:00.000Z');
    expect(parsed.from).toEqual({ name: 'Café Relais', address: 'news@relais.example' });
    expect(parsed.to).toEqual([{ name: 'Zoé Dupont', address: 'zoe@example.fr' }]);
    expect(parsed.replyTo).toEqual([{ name: '', address: 'service@relais.example' }]);
    expect(parsed.subject).toBe(email.subject);
    const headers = Object.fromEntries(parsed.headers.map((h) => [h.key, h.value]));
    expect(headers['list-unsubscribe']).toBe(email.headers['List-Unsubscribe']);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(parsed.text).toBe(`${email.text}\n\n`);
    expect(parsed.html).toBe(`${email.html}\n\n`);

    // aws-ses-v2-local's own parse of the same bytes agrees.
    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: Array<{ messageId: string; subject: string; from: string; destination: { to: string[] }; body: { text?: string } }>;
    };
    const stored = store.emails.find((e) => e.messageId === result.providerMessageId)!;
    expect(stored.subject).toBe(email.subject);
    expect(stored.from).toBe('"Café Relais" <news@relais.example>');
    expect(stored.destination.to).toEqual(['"Zoé Dupont" <zoe@example.fr>']);
    expect(stored.body.text).toContain('Votre réduction vous attend 🎄');

    await ses.clear();
    expect(await ses.messages()).toEqual([]);
  });
});

// A stand-in for SES that answers from a script, to see how errors are mapped and retried.
type Reply = { status: number; errorType?: string; body: unknown };
describe('SES error mapping', () => {
  let server: Server;
  let endpoint: string;
  let replies: Reply[] = [];
  let requests: Array<{ url: string; body: any }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        const reply = replies.shift() ?? { status: 200, body: { MessageId: 'fallback' } };
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (reply.errorType) headers['x-amzn-ErrorType'] = reply.errorType;
        res.writeHead(reply.status, headers);
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    replies = [];
    requests = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const throttled: Reply = {
    status: 429,
    errorType: 'TooManyRequestsException',
    body: { message: 'Maximum sending rate exceeded.' },
  };
  const transport = (maxAttempts: number) =>
    createSesEmailTransport({ ...base, endpoint, maxAttempts, retryBaseDelayMs: 5, configurationSet: 'marketing' });

  it('sends SendEmail with the raw bytes, the envelope recipient and the configuration set', async () => {
    replies = [{ status: 200, body: { MessageId: 'ses-abc' } }];
    expect(await transport(1).send(email)).toEqual({ providerMessageId: 'ses-abc' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/v2/email/outbound-emails');
    expect(requests[0]!.body.Destination).toEqual({ ToAddresses: ['zoe@example.fr'] });
    expect(requests[0]!.body.ConfigurationSetName).toBe('marketing');
    const raw = Buffer.from(requests[0]!.body.Content.Raw.Data, 'base64').toString('utf8');
    expect((await PostalMime.parse(raw)).subject).toBe(email.subject);
  });

  it('maps throttling to RetryableSendError without retrying when maxAttempts is 1', async () => {
    replies = [throttled];
    const err = await transport(1).send(email).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toBe('SES TooManyRequestsException: Maximum sending rate exceeded.');
    expect(requests).toHaveLength(1);
  });

  it('lets the SDK back off and retry throttling up to maxAttempts', async () => {
    replies = [throttled, throttled, throttled, throttled];
    await expect(transport(3).send(email)).rejects.toBeInstanceOf(RetryableSendError);
    expect(requests).toHaveLength(3);

    requests = [];
    replies = [throttled, throttled, { status: 200, body: { MessageId: 'ses-after-retry' } }];
    expect(await transport(4).send(email)).toEqual({ providerMessageId: 'ses-after-retry' });
    expect(requests).toHaveLength(3);
  });

  it.each([
    ['MessageRejected', 'Email address is not verified.'],
    ['MailFromDomainNotVerifiedException', 'MAIL FROM domain not verified.'],
    ['AccountSuspendedException', 'Account suspended.'],
  ])('treats %s as permanent and does not retry it', async (errorType, message) => {
    replies = [{ status: 400, errorType, body: { message } }];
    const err = await transport(3).send(email).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toBe(`SES ${errorType}: ${message}`);
    expect(requests).toHaveLength(1);
  });

  it('maps 5xx to RetryableSendError but leaves the retry to the caller (SES may have sent it)', async () => {
    replies = [{ status: 500, errorType: 'InternalFailure', body: { message: 'oops' } }, throttled];
    await expect(transport(3).send(email)).rejects.toBeInstanceOf(RetryableSendError);
    expect(requests).toHaveLength(1);
  });

  it('maps a refused connection to RetryableSendError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const t = createSesEmailTransport({ ...base, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 3 });
    await expect(t.send(email)).rejects.toBeInstanceOf(RetryableSendError);
  });
});
