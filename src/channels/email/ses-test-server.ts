// Test helper (Node only): a local SES v2 endpoint built on aws-ses-v2-local.
//
// aws-ses-v2-local parses raw mail and keeps only from/to/subject/text/html (GET /store): it drops the raw
// MIME, our extra headers (List-Unsubscribe…) and Destination.ToAddresses. So a small proxy in front of
// it records each accepted SendEmail request as sent, and messages() returns those.
// The server runs in a child process: its store is a module-level global, so two servers in one process
// would share it. The child exits when its stdin closes, so it cannot outlive the test process.
//
// The proxy can also throttle as SES does (maxPerSecond, throttleNext): a throttled SendEmail is answered
// 429 TooManyRequestsException, never relayed nor recorded. With `relay: false` it answers SendEmail itself,
// without aws-ses-v2-local, whose MIME parse caps it near 100 messages a second: for tests under load.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export interface LocalSesMessage {
  /** Destination.ToAddresses of the request (the envelope, not the To header). */
  to: string[];
  /** The MIME message exactly as the SDK sent it. */
  raw: string;
  /** The MessageId the server answered with. */
  messageId: string;
}

export interface LocalSesOptions {
  /**
   * SendEmail requests accepted per second, like SES's MaxSendRate: a bucket of one second's worth, refilled
   * continuously. Those over it are throttled. None by default.
   */
  maxPerSecond?: number;
  /**
   * false: the proxy answers SendEmail itself (MessageId `local-…`) and starts no aws-ses-v2-local, which then has no
   * GET /store and no other operation (404). Default true.
   */
  relay?: boolean;
}

export interface LocalSes {
  /** Give this to the SES transport as `endpoint`. GET `${endpoint}/store` shows aws-ses-v2-local's view (when relaying). */
  endpoint: string;
  /** The SendEmail requests accepted, in order. */
  messages(): Promise<LocalSesMessage[]>;
  /** The SendEmail requests answered throttled, in order: Destination.ToAddresses of each. */
  throttled(): Promise<Array<{ to: string[] }>>;
  /** The next `count` SendEmail requests are throttled, whatever maxPerSecond says. */
  throttleNext(count: number): void;
  /**
   * The next `count` SendEmail requests fail as SES says: `rejected` is MessageRejected (400, permanent), `unavailable`
   * a 503 ServiceUnavailable (worth retrying), `suspended` AccountSuspendedException. None is recorded.
   */
  failNext(kind: 'rejected' | 'unavailable' | 'suspended', count?: number): void;
  /** How many SendEmail requests reached the server, answered or not. */
  requests(): number;
  /** Forgets every message (ours and aws-ses-v2-local's store) and every throttled request. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What SES v2 answers a SendEmail over the account's sending rate. The AWS SDK reads the error name from
 * x-amzn-ErrorType, so the error is a TooManyRequestsException with HTTP status 429: a throttling error for the
 * SDK's retry strategies (service-error-classification's isThrottlingError) and for our isThrottling.
 */
const THROTTLED_ANSWER = {
  status: 429,
  headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException' },
  body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
};

const CHILD_SCRIPT = `
const start = require(process.argv[1]).default;
start({ host: '127.0.0.1', port: 0 }).then((s) => console.log('LISTENING ' + s.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export async function startLocalSes(options: LocalSesOptions = {}): Promise<LocalSes> {
  const relay = options.relay ?? true;
  const child = relay ? await startChild() : undefined;
  const upstream = child && `http://127.0.0.1:${child.port}`;
  const captured: LocalSesMessage[] = [];
  const throttled: Array<{ to: string[] }> = [];
  const limit = rateLimit(options.maxPerSecond);
  const failures: Array<'rejected' | 'unavailable' | 'suspended'> = [];
  let requests = 0;

  const proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      const sendEmail = method === 'POST' && !!req.url?.startsWith('/v2/email/outbound-emails');
      if (sendEmail) requests++;
      if (sendEmail && limit.refuse()) {
        throttled.push({ to: parseSendEmail(body).Destination?.ToAddresses ?? [] });
        answer(res, THROTTLED_ANSWER.status, THROTTLED_ANSWER.headers, THROTTLED_ANSWER.body);
        return;
      }
      const failure = sendEmail ? failures.shift() : undefined;
      if (failure) {
        const [status, type, message] =
          failure === 'rejected' ? [400, 'MessageRejected', 'Email address is not verified.']
          : failure === 'suspended' ? [400, 'AccountSuspendedException', 'Your account is suspended.']
          : [503, 'ServiceUnavailable', 'Service unavailable.'];
        return answer(res, status, { 'content-type': 'application/json', 'x-amzn-ErrorType': type }, JSON.stringify({ message }));
      }
      if (!upstream) {
        if (!sendEmail) return answer(res, 404, { 'content-type': 'text/plain' }, 'ses-test-server: only SendEmail without relay');
        const answerBody = Buffer.from(JSON.stringify({ MessageId: `local-${randomUUID()}` }));
        record(captured, body, answerBody);
        return answer(res, 200, { 'content-type': 'application/json' }, answerBody);
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
          headers.set(name, value);
        }
      }
      const relayed = await fetch(upstream + (req.url ?? '/'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(body),
      });
      const answerBody = Buffer.from(await relayed.arrayBuffer());
      if (relayed.ok && sendEmail) record(captured, body, answerBody);
      answer(res, relayed.status, { 'content-type': relayed.headers.get('content-type') ?? 'application/json' }, answerBody);
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`ses-test-server proxy: ${String(err)}`);
    });
  });
  const port = await listen(proxy);
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    async messages() {
      return captured.map((m) => ({ ...m, to: [...m.to] }));
    },
    async throttled() {
      return throttled.map((t) => ({ to: [...t.to] }));
    },
    throttleNext(count) {
      limit.forced += count;
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    requests: () => requests,
    async clear() {
      captured.length = 0;
      throttled.length = 0;
      if (!upstream) return;
      const res = await fetch(`${upstream}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`clear-store answered ${res.status}`);
    },
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await child?.stop();
    },
  };
}

/** A token bucket of one second of `perSecond`, full at the start; `forced` refusals come first. */
function rateLimit(perSecond: number | undefined) {
  let tokens = perSecond ?? 0;
  let at = performance.now();
  return {
    forced: 0,
    refuse(): boolean {
      if (this.forced > 0) {
        this.forced--;
        return true;
      }
      if (perSecond === undefined) return false;
      const now = performance.now();
      tokens = Math.min(perSecond, tokens + (perSecond * (now - at)) / 1000);
      at = now;
      if (tokens < 1) return true;
      tokens--;
      return false;
    },
  };
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, headers);
  res.end(body);
}

type SendEmailRequest = { Destination?: { ToAddresses?: string[] }; Content?: { Raw?: { Data?: string } } };

function parseSendEmail(request: Buffer): SendEmailRequest {
  return JSON.parse(request.toString('utf8')) as SendEmailRequest;
}

function record(captured: LocalSesMessage[], request: Buffer, reply: Buffer): void {
  const sent = parseSendEmail(request);
  const data = sent.Content?.Raw?.Data;
  if (data === undefined) return; // Simple or template content: not what our transport sends.
  captured.push({
    to: sent.Destination?.ToAddresses ?? [],
    raw: Buffer.from(data, 'base64').toString('utf8'),
    messageId: (JSON.parse(reply.toString('utf8')) as { MessageId: string }).MessageId,
  });
}

async function startChild(): Promise<{ port: number; stop(): Promise<void> }> {
  const entry = createRequire(import.meta.url).resolve('aws-ses-v2-local');
  // SMTP_TRANSPORT would make aws-ses-v2-local forward every mail to a real SMTP server.
  const env = { ...process.env, SMTP_TRANSPORT: '' };
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_SCRIPT, entry], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('aws-ses-v2-local did not start within 15 s')), 15_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${err.message}\n${output}`));
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => fail(new Error(`aws-ses-v2-local exited with code ${code}`)));
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(force);
      }
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
