// Test helper (Node only): a local SES v2 endpoint built on aws-ses-v2-local.
//
// aws-ses-v2-local parses raw mail and keeps only from/to/subject/text/html (GET /store): it drops the raw
// MIME, our extra headers (List-Unsubscribe…) and Destination.ToAddresses. So a small proxy in front of
// it records each accepted SendEmail request as sent, and messages() returns those.
// The server runs in a child process: its store is a module-level global, so two servers in one process
// would share it. The child exits when its stdin closes, so it cannot outlive the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export interface LocalSesMessage {
  /** Destination.ToAddresses of the request (the envelope, not the To header). */
  to: string[];
  /** The MIME message exactly as the SDK sent it. */
  raw: string;
  /** The MessageId aws-ses-v2-local answered with. */
  messageId: string;
}

export interface LocalSes {
  /** Give this to the SES transport as `endpoint`. GET `${endpoint}/store` shows aws-ses-v2-local's view. */
  endpoint: string;
  messages(): Promise<LocalSesMessage[]>;
  /** Forgets every message (ours and aws-ses-v2-local's store). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = `
const start = require(process.argv[1]).default;
start({ host: '127.0.0.1', port: 0 }).then((s) => console.log('LISTENING ' + s.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export async function startLocalSes(): Promise<LocalSes> {
  const child = await startChild();
  const upstream = `http://127.0.0.1:${child.port}`;
  const captured: LocalSesMessage[] = [];

  const proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
          headers.set(name, value);
        }
      }
      const method = req.method ?? 'GET';
      const answer = await fetch(upstream + (req.url ?? '/'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(body),
      });
      const answerBody = Buffer.from(await answer.arrayBuffer());
      if (answer.ok && method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
        record(captured, body, answerBody);
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(answerBody);
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
    async clear() {
      captured.length = 0;
      const res = await fetch(`${upstream}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`clear-store answered ${res.status}`);
    },
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await child.stop();
    },
  };
}

function record(captured: LocalSesMessage[], request: Buffer, answer: Buffer): void {
  const sent = JSON.parse(request.toString('utf8')) as {
    Destination?: { ToAddresses?: string[] };
    Content?: { Raw?: { Data?: string } };
  };
  const data = sent.Content?.Raw?.Data;
  if (data === undefined) return; // Simple or template content: not what our transport sends.
  captured.push({
    to: sent.Destination?.ToAddresses ?? [],
    raw: Buffer.from(data, 'base64').toString('utf8'),
    messageId: (JSON.parse(answer.toString('utf8')) as { MessageId: string }).MessageId,
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
