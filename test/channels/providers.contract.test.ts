// One contract for every provider a channel sends through (src/channels/): each row below starts the provider against
// its local stand-in (for the webhook, a receiver that checks Standard Webhooks signatures) and runs the same cases.
// A postal transport takes a batch of letters: here, a batch of one, read back from its manifest and its PDF.
// - send: the message reaches the provider as given, and the transport answers the provider's id for it;
// - a retryable error (the provider unavailable, or throttling) is a RetryableSendError, throttling a ThrottledSendError;
// - a permanent error (an address the provider refuses) is a plain Error naming the provider, never retried;
// - an account that refuses everything is a TransportPausedError (campaigns of the channel pause);
// - redelivery: an ambiguous failure is never retried inside the transport (one request reached the provider), so only
//   the engine's ledger decides to send again, and a message handed over twice carries the same id of ours where the
//   provider can carry one (the webhook's `webhook-id`);
// - configuration errors are reported at start (loadConfig, or the transport's constructor), naming the setting.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSmsTransport, createNullEmailTransport, createNullSmsTransport, createSesEmailTransport, createTwilioSmsTransport, RetryableSendError, ThrottledSendError, TransportPausedError, type EmailMessage, type SmsMessage, type Transport } from '../../src/channels/index.js';
import { createOutboxEmailTransport, createOutboxPostalTransport, createOutboxSmsTransport } from '../../src/channels/outbox.js';
import { createPrintHouseTransport } from '../../src/channels/postal/print-house.js';
import { startLocalPrintHouse } from '../../src/channels/postal/print-house-test-server.js';
import type { PostalBatch } from '../../src/channels/postal/types.js';
import { startLocalSes } from '../../src/channels/email/ses-test-server.js';
import { startLocalAwsSms, startLocalTwilio } from '../../src/channels/sms/sms-test-servers.js';
import { createSafePost } from '../../src/channels/webhook/safe-post.js';
import { newWebhookSecret, verifyWebhook } from '../../src/channels/webhook/signature.js';
import { createWebhookTransport, type WebhookMessage } from '../../src/channels/webhook/webhook.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { ConfigError, loadConfig } from '../../src/config.js';

type Failure = 'invalid' | 'unavailable' | 'throttled' | 'paused';

interface Received {
  to: string;
  /** Our message id, where the provider was given it. */
  ourId?: string;
  content: string;
}

interface Running<M> {
  transport: Transport<M>;
  received(): Promise<Received[]>;
  /** The provider's side fails the next request this way (providers without one: undefined). */
  failNext?(kind: Failure): void;
  requests?(): number;
  stop(): Promise<void>;
}

interface Provider<M> {
  name: string;
  /** Where the test messages go, as the provider's side sees it. */
  to: string;
  /** An account that refuses everything can be told apart (a provider account; not a webhook receiver). */
  pauses: boolean;
  message(id: string, to?: string): M;
  start(): Promise<Running<M>>;
  /**
   * What a message handed over twice comes to: one copy (the outbox replaces its file; the print house answers a
   * replayed Idempotency-Key with its first answer and prints nothing more), the same id of ours on both
   * (the provider carries it: the receiving side can tell), or nothing to tell them apart (the provider takes no id
   * of ours; the ledger's duplicate window is all there is).
   */
  redelivery: 'one copy' | 'same id' | 'indistinguishable';
  /** Settings refused at start, and what the refusal names. */
  misconfigured: Array<{ env?: Record<string, string>; build?: () => unknown; says: RegExp }>;
}

const email = (id: string, to = 'anna@example.fr'): EmailMessage => ({
  messageId: id, from: { address: 'news@shop.example', name: 'Shop' }, to: { address: to }, subject: `Bonjour ${id}`, html: `<p>Bonjour ${id}</p>`, text: `Bonjour ${id}`, headers: {},
});
const sms = (id: string, to = '+33612345678'): SmsMessage => ({ messageId: id, from: 'RELAIS', to, text: `Bonjour ${id}`, encoding: 'GSM-7', segments: 1 });
/** A batch of one letter, keyed by its message as the sender keys a batch by campaign: the same key when sent again. */
const letter = (id: string, to = 'Anna Martin'): PostalBatch => ({
  key: `7-${id}`,
  letters: [{ messageId: id, contactId: 1, lang: 'fr', addressLines: [to, '12 rue de la Paix', '75002 PARIS'], subject: 'Nos nouveautés', text: `Bonjour ${id}\n\nÀ bientôt.` }],
  options: { window: 'left', duplex: false },
});

/** What a PDF prints: pdf-lib shows Helvetica text as WinAnsi hex strings (`<…> Tj`), in Flate-compressed streams. */
/** The text of every page of a PDF, read back as a PDF reader does (pdfjs). */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item && item.str.trim()) lines.push(item.str);
  }
  await doc.destroy();
  return lines.join('\n');
}

/** Each letter of a batch as received: to its address's first line, our id, its manifest row and the PDF's text. */
const lettersOf = async (pdf: Uint8Array, rows: Array<Record<string, string>>): Promise<Received[]> => {
  const text = await pdfText(pdf);
  return rows.map((row) => ({ to: row.address_line_1, ourId: row.message_id, content: `${Object.values(row).join(',')}\n${text}` }));
};

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relais-contract-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const providers: Array<Provider<EmailMessage> | Provider<SmsMessage> | Provider<WebhookMessage> | Provider<PostalBatch>> = [
  {
    name: 'ses',
    to: 'anna@example.fr',
    pauses: true,
    message: email,
    async start() {
      const ses = await startLocalSes({ relay: false });
      // As in production, 4 attempts: throttling is retried inside the SDK (it was refused), nothing else is.
      const transport = createSesEmailTransport({ region: 'eu-west-3', endpoint: ses.endpoint, accessKeyId: 'x', secretAccessKey: 'x', fromDomain: 'shop.example', retryBaseDelayMs: 1 });
      return {
        transport,
        received: async () => (await ses.messages()).map((m) => ({ to: m.to[0], ourId: /^Message-ID: <([^@>]+)@/m.exec(m.raw)?.[1], content: m.raw })),
        // Throttled four times: what is left when the SDK's own retries are spent.
        failNext: (kind) => (kind === 'throttled' ? ses.throttleNext(4) : ses.failNext(kind === 'invalid' ? 'rejected' : kind === 'paused' ? 'suspended' : 'unavailable')),
        requests: () => ses.requests(),
        stop: () => ses.stop(),
      };
    },
    redelivery: 'same id',
    misconfigured: [
      { env: { EMAIL_TRANSPORT: 'ses' }, says: /SES_REGION/ },
      { build: () => createSesEmailTransport({ region: 'eu-west-3', accessKeyId: 'x', fromDomain: 'shop.example' }), says: /secretAccessKey/ },
    ],
  },
  {
    name: 'twilio',
    to: '+33612345678',
    pauses: true,
    message: sms,
    async start() {
      const twilio = await startLocalTwilio('AC123', 'token');
      const transport = createTwilioSmsTransport({ accountSid: 'AC123', authToken: 'token', apiUrl: twilio.endpoint });
      return {
        transport,
        received: async () => twilio.messages().map((m) => ({ to: m.to, ourId: m.ourId, content: m.body })),
        failNext: (kind) => twilio.failNext(kind),
        requests: () => twilio.requests(),
        stop: () => twilio.stop(),
      };
    },
    // Twilio's Messages API takes neither an idempotency key nor a reference of ours.
    redelivery: 'indistinguishable',
    misconfigured: [
      { env: { SMS_TRANSPORT: 'twilio', TWILIO_ACCOUNT_SID: 'AC123' }, says: /TWILIO_AUTH_TOKEN/ },
      { env: { TWILIO_API_URL: 'not a url' }, says: /TWILIO_API_URL/ },
    ],
  },
  {
    name: 'aws-sms',
    to: '+33612345678',
    pauses: true,
    message: sms,
    async start() {
      const aws = await startLocalAwsSms();
      const transport = createAwsSmsTransport({ region: 'eu-west-3', endpoint: aws.endpoint, accessKeyId: 'x', secretAccessKey: 'x' });
      return {
        transport,
        received: async () => aws.messages().map((m) => ({ to: m.to, ourId: m.ourId, content: m.body })),
        failNext: (kind) => aws.failNext(kind),
        requests: () => aws.requests(),
        stop: () => aws.stop(),
      };
    },
    redelivery: 'same id',
    misconfigured: [
      { env: { SMS_TRANSPORT: 'aws' }, says: /AWS_SMS_REGION/ },
      { env: { AWS_SMS_REGION: 'eu-west-3', AWS_SMS_ACCESS_KEY_ID: 'x' }, says: /AWS_SMS_SECRET_ACCESS_KEY/ },
      { env: { SMS_FROM_BY_COUNTRY: 'FR=RELAIS,Canada' }, says: /SMS_FROM_BY_COUNTRY/ },
    ],
  },
  ...(['email', 'sms'] as const).map((channel) => ({
    name: `outbox (${channel})`,
    to: channel === 'email' ? 'anna@example.fr' : '+33612345678',
    pauses: false,
    message: channel === 'email' ? email : sms,
    async start() {
      const folder = await mkdtemp(join(dir, `outbox-${channel}-`));
      const transport = (channel === 'email' ? createOutboxEmailTransport({ dir: folder, domain: 'shop.example', clock: () => new Date() }) : createOutboxSmsTransport({ dir: folder, clock: () => new Date() })) as Transport<EmailMessage & SmsMessage>;
      let next: Failure | undefined;
      return {
        transport: {
          name: transport.name,
          // The outbox's own failures: a folder that cannot be written (retryable), a message id it cannot name a file by.
          async send(m: EmailMessage & SmsMessage) {
            const failure = next;
            next = undefined;
            if (failure === 'unavailable') {
              // A folder that cannot be made (its parent is a file): nothing written, worth trying later.
              const file = join(dir, `file-${++files}`);
              await writeFile(file, 'x');
              const broken = channel === 'email' ? createOutboxEmailTransport({ dir: join(file, 'outbox'), domain: 'shop.example', clock: () => new Date() }) : createOutboxSmsTransport({ dir: join(file, 'outbox'), clock: () => new Date() });
              return (broken as Transport<EmailMessage & SmsMessage>).send(m);
            }
            return transport.send(failure === 'invalid' ? { ...m, messageId: '../escape' } : m);
          },
        },
        received: async () =>
          Promise.all((await readdir(folder)).map(async (file) => {
            const content = await readFile(join(folder, file), 'utf8');
            return { to: channel === 'email' ? /^To: (.+)$/m.exec(content)![1].replace(/^<|>$/g, '') : (JSON.parse(content) as { to: string }).to, ourId: file.replace(/\.(eml|json)$/, ''), content };
          })),
        failNext: (kind: Failure) => {
          if (kind === 'throttled' || kind === 'paused') throw new Error('the outbox has no provider to throttle or suspend');
          next = kind;
        },
        stop: async () => undefined,
      } as Running<EmailMessage & SmsMessage>;
    },
    redelivery: 'one copy' as const,
    misconfigured: [
      {
        build: async () => {
          const file = join(dir, `not-a-folder-${channel}`);
          await writeFile(file, 'x');
          return channel === 'email' ? createOutboxEmailTransport({ dir: file, domain: 'shop.example', clock: () => new Date() }) : createOutboxSmsTransport({ dir: file, clock: () => new Date() });
        },
        says: /OUTBOX_DIR/,
      },
    ],
  }) as Provider<EmailMessage> | Provider<SmsMessage>),
  ...(['email', 'sms'] as const).map((channel) => ({
    name: `null (${channel})`,
    to: channel === 'email' ? 'anna@example.fr' : '+33612345678',
    pauses: false,
    message: channel === 'email' ? email : sms,
    async start() {
      const transport = (channel === 'email' ? createNullEmailTransport() : createNullSmsTransport()) as Transport<EmailMessage & SmsMessage>;
      return { transport, received: async () => [], stop: async () => undefined } as Running<EmailMessage & SmsMessage>;
    },
    redelivery: 'same id' as const,
    misconfigured: [{ env: { [channel === 'email' ? 'EMAIL_TRANSPORT' : 'SMS_TRANSPORT']: 'nul' }, says: channel === 'email' ? /EMAIL_TRANSPORT/ : /SMS_TRANSPORT/ }],
  }) as Provider<EmailMessage> | Provider<SmsMessage>),
  {
    name: 'outbox (postal)',
    to: 'Anna Martin',
    pauses: false,
    message: letter,
    async start() {
      const folder = await mkdtemp(join(dir, 'outbox-postal-'));
      const transport = createOutboxPostalTransport({ dir: folder });
      let next: Failure | undefined;
      return {
        transport: {
          name: transport.name,
          async send(batch: PostalBatch) {
            const failure = next;
            next = undefined;
            if (failure === 'unavailable') {
              // A folder that cannot be made (its parent is a file): nothing written, worth trying later.
              const file = join(dir, `file-${++files}`);
              await writeFile(file, 'x');
              return createOutboxPostalTransport({ dir: join(file, 'outbox') }).send(batch);
            }
            return transport.send(failure === 'invalid' ? { ...batch, key: '../escape' } : batch);
          },
        },
        received: async () => {
          const postal = join(folder, 'postal');
          const names = await readdir(postal).catch(() => [] as string[]);
          const batches = await Promise.all(names.filter((f) => f.endsWith('.csv')).map(async (csv) => lettersOf(
            await readFile(join(postal, csv.replace(/\.csv$/, '.pdf'))),
            parse(await readFile(join(postal, csv), 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>,
          )));
          return batches.flat();
        },
        failNext: (kind: Failure) => {
          if (kind === 'throttled' || kind === 'paused') throw new Error('the outbox has no provider to throttle or suspend');
          next = kind;
        },
        stop: async () => undefined,
      };
    },
    redelivery: 'one copy',
    misconfigured: [
      {
        build: async () => {
          const file = join(dir, 'not-a-folder-postal');
          await writeFile(file, 'x');
          return createOutboxPostalTransport({ dir: file });
        },
        says: /OUTBOX_DIR/,
      },
      { env: { POSTAL_TRANSPORT: 'nul' }, says: /POSTAL_TRANSPORT/ },
    ],
  } as Provider<PostalBatch>,
  {
    name: 'print house',
    to: 'Anna Martin',
    pauses: true,
    message: letter,
    async start() {
      const house = await startLocalPrintHouse('key-123');
      return {
        transport: createPrintHouseTransport({ url: house.endpoint, apiKey: 'key-123' }),
        received: async () => (await Promise.all(house.batches().map((b) => lettersOf(b.pdf, b.manifest)))).flat(),
        failNext: (kind: Failure) => house.failNext(kind),
        requests: () => house.requests(),
        stop: () => house.stop(),
      };
    },
    // The batch key is the Idempotency-Key: the print house keeps one batch for both.
    redelivery: 'one copy',
    misconfigured: [
      { env: { POSTAL_TRANSPORT: 'print_house' }, says: /PRINT_HOUSE_URL/ },
      { env: { PRINT_HOUSE_URL: 'ftp://print.example', PRINT_HOUSE_API_KEY: 'k' }, says: /PRINT_HOUSE_URL/ },
      { env: { PRINT_HOUSE_URL: 'https://print.example' }, says: /PRINT_HOUSE_API_KEY/ },
      { env: { PRINT_HOUSE_WEBHOOK_SECRET: 'secret' }, says: /PRINT_HOUSE_WEBHOOK_SECRET/ },
      { build: () => createPrintHouseTransport({ url: 'ftp://x', apiKey: 'k' }), says: /PRINT_HOUSE_URL/ },
      { build: () => createPrintHouseTransport({ url: 'https://print.example', apiKey: ' ' }), says: /PRINT_HOUSE_API_KEY/ },
    ],
  } as Provider<PostalBatch>,
  {
    name: 'webhook',
    to: '/hooks/relais',
    pauses: false,
    message: (id: string) => webhookMessage(id),
    async start() {
      const received: Received[] = [];
      const failures: Failure[] = [];
      let requests = 0;
      // The receiver: an integrator's endpoint that checks the signature as the scheme's libraries do.
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          requests++;
          const body = Buffer.concat(chunks).toString('utf8');
          const failure = failures.shift();
          if (failure) return res.writeHead(failure === 'throttled' ? 429 : failure === 'unavailable' ? 503 : 422).end('{"error":"no"}');
          if (!verifyWebhook(webhookSecret, req.headers as Record<string, string>, body, new Date())) return res.writeHead(401).end();
          received.push({ to: req.url ?? '', ourId: String(req.headers['webhook-id']), content: body });
          res.writeHead(204).end();
        });
      });
      const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
      webhookUrl = `http://127.0.0.1:${port}/hooks/relais`;
      return {
        transport: createWebhookTransport(createSafePost({ allowPrivate: true })),
        received: async () => received.map((r) => ({ ...r })),
        failNext: (kind: Failure) => failures.push(kind),
        requests: () => requests,
        stop: async () => {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    },
    redelivery: 'same id',
    // Nothing to configure at start: an endpoint's URL and secret are checked when it is created.
    misconfigured: [],
  } as Provider<WebhookMessage>,
];

let webhookUrl = '';
const webhookSecret = newWebhookSecret();
const webhookMessage = (id: string): WebhookMessage => ({ messageId: id, url: webhookUrl, secret: webhookSecret, payload: { message: { text: `Bonjour ${id}` } } });

const remote = (name: string) => !name.startsWith('outbox') && !name.startsWith('null');

describe.each(providers.map((p) => [p.name, p] as const))('provider %s', (name, provider) => {
  const p = provider as unknown as Provider<EmailMessage & SmsMessage>;
  let running: Running<EmailMessage & SmsMessage>;
  let n = 0;
  const nextId = () => `contract${name.replace(/\W/g, '')}${++n}xyz`;
  beforeAll(async () => {
    running = await p.start();
  });
  afterAll(() => running?.stop());

  it('sends: the provider gets the message as given, and the transport answers its id', async () => {
    const id = nextId();
    const before = (await running.received()).length;
    const result = await running.transport.send(p.message(id));
    expect(result.providerMessageId).toMatch(/\S{6,}/);
    if (name.startsWith('null')) {
      expect(result.providerMessageId).toBe(`null-${id}`);
      return;
    }
    const got = (await running.received()).slice(before);
    expect(got).toHaveLength(1);
    expect(got[0].to).toBe(p.to);
    expect(got[0].content).toContain(`Bonjour ${id}`);
  });

  it.runIf(!name.startsWith('null'))('a retryable error: the provider unavailable is a RetryableSendError, not sent, asked once', async () => {
    const before = running.requests?.();
    running.failNext!('unavailable');
    const received = (await running.received()).length;
    const error = await running.transport.send(p.message(nextId())).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect(error).not.toBeInstanceOf(ThrottledSendError);
    expect((await running.received()).length).toBe(received);
    // Redelivery: an ambiguous failure is left to the ledger, never retried inside the transport.
    if (before !== undefined) expect(running.requests!() - before).toBe(1);
  });

  it.runIf(remote(name))('throttling is a ThrottledSendError: every sender slows down', async () => {
    running.failNext!('throttled');
    await expect(running.transport.send(p.message(nextId()))).rejects.toBeInstanceOf(ThrottledSendError);
  });

  it.runIf(!name.startsWith('null'))('a permanent error is a plain Error naming the provider', async () => {
    running.failNext!('invalid');
    const error = await running.transport.send(p.message(nextId())).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RetryableSendError);
    expect(error).not.toBeInstanceOf(TransportPausedError);
    expect(String((error as Error).message)).toMatch(remote(name) ? new RegExp(name === 'aws-sms' ? 'AWS SMS' : name, 'i') : /messageId|batch key/);
    if (name === 'webhook') expect(String((error as Error).message)).toMatch(/^Webhook 422/);
  });

  it.runIf(p.pauses)('an account that refuses everything is a TransportPausedError', async () => {
    running.failNext!('paused');
    await expect(running.transport.send(p.message(nextId()))).rejects.toBeInstanceOf(TransportPausedError);
  });

  it.runIf(name.startsWith('null'))('never fails: it accepts what any provider would refuse, and keeps nothing', async () => {
    await expect(running.transport.send(p.message(nextId(), 'not an address'))).resolves.toMatchObject({ providerMessageId: expect.stringMatching(/^null-/) });
  });

  it(`redelivery: a message handed over twice comes to ${p.redelivery}`, async () => {
    const id = nextId();
    const before = (await running.received()).length;
    const first = await running.transport.send(p.message(id));
    const second = await running.transport.send(p.message(id));
    const got = (await running.received()).filter((r) => r.content.includes(`Bonjour ${id}`));
    if (p.redelivery === 'one copy') {
      expect(got).toHaveLength(1);
      expect(got[0].ourId).toBe(id);
      expect(second.providerMessageId).toBe(first.providerMessageId);
    } else if (p.redelivery === 'same id') {
      if (name.startsWith('null')) expect(second.providerMessageId).toBe(first.providerMessageId);
      else expect(got.map((r) => r.ourId)).toEqual([id, id]);
    } else {
      expect(got).toHaveLength(2);
      expect(got.every((r) => r.ourId === undefined)).toBe(true);
    }
    if (!name.startsWith('null')) expect((await running.received()).length - before).toBe(p.redelivery === 'one copy' ? 1 : 2);
  });

  it.runIf(p.misconfigured.length > 0)('configuration errors are reported at start, naming the setting', async () => {
    for (const bad of p.misconfigured) {
      const attempt = bad.env ? async () => loadConfig(bad.env!) : async () => bad.build!();
      const error = await attempt().then(() => undefined, (e: unknown) => e);
      expect(error, JSON.stringify(bad.env ?? 'build')).toBeInstanceOf(Error);
      if (bad.env) expect(error).toBeInstanceOf(ConfigError);
      expect(String((error as Error).message)).toMatch(bad.says);
    }
  });
});
