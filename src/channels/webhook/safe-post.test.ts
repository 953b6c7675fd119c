// The webhook's POST cannot be turned against our own network, follows no redirect, reads a bounded answer and gives up
// in time; what it sends is signed as Standard Webhooks receivers check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableSendError } from '../types.js';
import { createSafePost, PostFailedError, UnsafeTargetError } from './safe-post.js';
import { targetProblem } from './target.js';
import { newWebhookSecret, signWebhook, verifyWebhook } from './signature.js';
import { createWebhookTransport } from './webhook.js';

let server: Server;
let port: number;
const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(204).end(),
  '/redirect': (res) => res.writeHead(302, { location: '/ok' }).end(),
  '/huge': (res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('x'.repeat(1024 * 1024));
  },
  '/silent': () => undefined,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// A name that resolves to the loopback address, as a hostile DNS answer would.
const hostileDns = ((_host: string, _opts: object, cb: (err: null, addresses: Array<{ address: string; family: number }>) => void) =>
  cb(null, [{ address: '127.0.0.1', family: 4 }])) as never;

describe('what a webhook may be posted to', () => {
  it.each([
    ['http://hooks.example/x', 'https only'],
    ['https://127.0.0.1/x', 'private'],
    ['https://10.1.2.3/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[::1]/x', 'private'],
    ['https://[::ffff:192.168.0.1]/x', 'private'],
    ['https://localhost/x', 'localhost'],
    ['https://localhost./x', 'localhost'],
    ['https://[::7f00:1]/x', 'private'],
    ['https://2130706433/x', 'private'],
    ['https://0x7f.1/x', 'private'],
    ['https://user:pw@hooks.example/x', 'credentials'],
    ['ftp://hooks.example/x', 'https only'],
  ])('%s is refused before any connection', (url, why) => {
    expect(targetProblem(url, false)).toContain(why);
  });

  it('a public https URL is accepted, and private targets with WEBHOOK_ALLOW_PRIVATE', () => {
    expect(targetProblem('https://hooks.example/relais', false)).toBeUndefined();
    expect(targetProblem('https://93.184.215.14/x', false)).toBeUndefined();
    expect(targetProblem(`http://127.0.0.1:${port}/ok`, true)).toBeUndefined();
  });

  it('a name that resolves to a private address is refused where it is connected to, and nothing arrives', async () => {
    const before = seen.length;
    // allowPrivate only lets plain http through here, so the DNS answer is what is judged.
    const post = createSafePost({ allowPrivate: false, resolve: hostileDns });
    await expect(post(`https://hooks.example:${port}/ok`, {}, '{}')).rejects.toBeInstanceOf(UnsafeTargetError);
    expect(seen.length).toBe(before);
  });
});

describe('the POST', () => {
  const post = createSafePost({ allowPrivate: true, timeoutMs: 500, maxResponseBytes: 1000 });

  it('follows no redirect: the 302 is the answer, and the Location is never asked', async () => {
    const before = seen.length;
    expect((await post(`http://127.0.0.1:${port}/redirect`, {}, '{}')).status).toBe(302);
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/redirect']);
    const transport = createWebhookTransport(post);
    await expect(transport.send({ messageId: 'm1', url: `http://127.0.0.1:${port}/redirect`, secret: newWebhookSecret(), payload: {} })).rejects.toThrow(/redirects are not followed/);
  });

  it('reads at most maxResponseBytes of an answer', async () => {
    const answer = await post(`http://127.0.0.1:${port}/huge`, {}, '{}');
    expect(answer.status).toBe(500);
    expect(answer.body.length).toBe(1000);
  });

  it('gives up on a receiver that never answers, as a failure worth retrying', async () => {
    const started = Date.now();
    await expect(post(`http://127.0.0.1:${port}/silent`, {}, '{}')).rejects.toBeInstanceOf(PostFailedError);
    expect(Date.now() - started).toBeLessThan(5_000);
    const transport = createWebhookTransport(post);
    await expect(transport.send({ messageId: 'm2', url: `http://127.0.0.1:${port}/silent`, secret: newWebhookSecret(), payload: {} })).rejects.toBeInstanceOf(RetryableSendError);
  });
});

describe('the signature (Standard Webhooks)', () => {
  it('signs id, timestamp and body, which a receiver verifies; a changed body or an old timestamp fails', async () => {
    const secret = newWebhookSecret();
    const at = new Date('2026-12-02T10:00:00Z');
    const before = seen.length;
    await createWebhookTransport(createSafePost({ allowPrivate: true }), () => at).send({ messageId: 'msg_1', url: `http://127.0.0.1:${port}/ok`, secret, payload: { hello: 'monde' } });
    const { headers, body } = seen[before];
    const got = { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) };
    expect(body).toBe('{"hello":"monde"}');
    expect(got['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    expect(verifyWebhook(secret, got, body, at)).toBe(true);
    expect(verifyWebhook(secret, got, '{"hello":"world"}', at)).toBe(false);
    expect(verifyWebhook(secret, got, body, new Date(at.getTime() + 10 * 60_000))).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), got, body, at)).toBe(false);
  });

  it('matches the scheme\'s published example', () => {
    // From the Standard Webhooks specification's test vectors.
    const headers = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}');
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
