// The Worker's webhook POST (fetch): the URL checked before anything leaves, no redirect followed, a bounded answer,
// a timeout. Run on Node's fetch against a local receiver.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchPost } from './fetch-post.js';

let server: Server;
let base: string;
const asked: string[] = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(200).end('merci'),
  '/redirect': (res) => res.writeHead(307, { location: '/ok' }).end(),
  '/huge': (res) => res.writeHead(500).end('y'.repeat(500_000)),
  '/silent': () => undefined,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked.push(req.url ?? '');
      routes[req.url ?? '']?.(res);
    });
  });
  base = `http://127.0.0.1:${await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the Worker\'s webhook POST', () => {
  const post = createFetchPost({ allowPrivate: true, timeoutMs: 400, maxResponseBytes: 100 });

  it('refuses a private or plain-http URL before anything leaves, unless allowed', async () => {
    const before = asked.length;
    await expect(createFetchPost({ allowPrivate: false })(`${base}/ok`, {}, '{}')).rejects.toMatchObject({ name: 'UnsafeTargetError' });
    expect(asked.length).toBe(before);
    expect(await post(`${base}/ok`, {}, '{}')).toEqual({ status: 200, body: 'merci' });
  });

  it('answers a redirect as it is, and never asks the Location', async () => {
    const before = asked.length;
    expect((await post(`${base}/redirect`, {}, '{}')).status).toBe(307);
    expect(asked.slice(before)).toEqual(['/redirect']);
  });

  it('reads at most maxResponseBytes', async () => {
    expect(await post(`${base}/huge`, {}, '{}')).toEqual({ status: 500, body: 'y'.repeat(100) });
  });

  it('gives up on a silent receiver, as a failure worth retrying', async () => {
    await expect(post(`${base}/silent`, {}, '{}')).rejects.toMatchObject({ name: 'PostFailedError' });
  });
});
