// CSV imports: a line, a cell and each field have a limit, enforced on the stream before the parser sees an oversized
// line, so a file without line breaks is refused early and other requests (/health) go on being answered.
import { serve } from '@hono/node-server';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  expect((await t.json('PUT', '/v1/attributes/note', { type: 'text' })).status).toBe(201);
});
afterAll(() => t.close());

async function importCsv(body: BodyInit) {
  const res = await t.app.request('/v1/contacts/import', {
    method: 'POST', headers: { authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' }, body, duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const contact = async (email: string) => (await t.json('GET', `/v1/contacts?email=${encodeURIComponent(email)}`)).body.data[0];

const lineTooLong = (line: number) => ({
  code: 'payload_too_large',
  message: `Line ${line} is longer than 256 KiB, the limit for a line of a CSV file`,
  details: [{ field: `line ${line}`, message: 'must be at most 256 KiB (262144 bytes)' }],
});

describe('a 20 MB file without a line break', () => {
  it('is refused at 256 KiB of its first line, without the rest read, while /health answers between its chunks', async () => {
    const total = 20 * 1000 * 1000;
    const chunk = 64 * KiB;
    const health: number[] = [];
    let pulled = 0;
    let cancelled = false;
    // Each chunk is given only once a /health request sent meanwhile has been answered.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          health.push((await t.app.request('/health')).status);
          if (pulled >= total) return controller.close();
          const n = Math.min(chunk, total - pulled);
          pulled += n;
          controller.enqueue(new Uint8Array(n).fill(pulled === n ? 0x65 : 0x78));
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const res = await importCsv(body);
    expect(res).toEqual({ status: 413, body: { error: lineTooLong(1) } });
    // The parser gets a line in pieces and is never given more than the limit: the fifth chunk went past it.
    expect(pulled).toBe(5 * chunk);
    expect(cancelled).toBe(true);
    expect(health).toEqual([200, 200, 200, 200, 200]);
  });

  it('is refused the same through a real server, while concurrent /health requests are answered', async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const checks: Array<Promise<number>> = [];
    try {
      // A chunked upload (no Content-Length), written as fast as the server reads it, with a /health request every 256 KiB.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1', port, method: 'POST', path: '/v1/contacts/import',
          headers: { authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' },
        });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode!, body });
          });
        });
        // Once the server has answered it may close the upload: that is not a failure.
        req.on('error', (err) => (answered ? undefined : reject(err)));
        const chunk = new Uint8Array(64 * KiB).fill(0x61);
        let sent = 0;
        const write = () => {
          while (!answered && sent < 20 * MiB) {
            if (sent % (256 * KiB) === 0) checks.push(fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => -1));
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', write);
          }
          if (!answered) req.end();
        };
        write();
      });
      expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({ status: 413, body: { error: lineTooLong(1) } });
      const statuses = await Promise.all(checks);
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      const http = server as unknown as { closeAllConnections(): void; close(done: () => void): void };
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe('lines, rows and cells', () => {
  it('keeps the rows before a line that is too long, and says how many', async () => {
    const body = ['email;prénom', 'before1@limits.test;A', 'before2@limits.test;B', `long@limits.test;${'x'.repeat(300 * KiB)}`, 'after@limits.test;C'].join('\n');
    const res = await importCsv(body);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      ...lineTooLong(4),
      message: `${lineTooLong(4).message}; the rows before it were imported: 2 created, 0 updated, 0 rejected`,
    });
    expect(await contact('before2@limits.test')).toMatchObject({ first_name: 'B' });
    expect(await contact('long@limits.test')).toBeUndefined();
    expect(await contact('after@limits.test')).toBeUndefined();
  });

  it('refuses a row whose quoted cell runs over many short lines past the limit', async () => {
    const body = `email;note\nok@limits.test;fine\nmulti@limits.test;"${'abc\n'.repeat(80 * KiB)}"\n`;
    const res = await importCsv(body);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/^Line \d+ is longer than 256 KiB, the limit for a line of a CSV file; the rows before it were imported: 1 created/);
    expect(await contact('multi@limits.test')).toBeUndefined();
  });

  it('refuses a cell longer than 32,767 characters, even in an ignored column', async () => {
    const body = ['email;unknown column', `cell1@limits.test;${'c'.repeat(32767)}`, `cell2@limits.test;${'c'.repeat(32768)}`].join('\n');
    const res = await importCsv(body);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([{ line: 3, errors: [{ field: 'unknown column', message: 'is longer than 32767 characters' }] }]);
  });

  it('holds each cell to the limit of its field, as the JSON API does', async () => {
    const at = (n: number) => 'é'.repeat(n);
    const body = [
      'email;prénom;ville;pays;code postal;note',
      `fields-ok@limits.test;${at(200)};${at(100)};FR;${'1'.repeat(20)};${at(2000)}`,
      `fields-city@limits.test;A;${at(101)};FR;75001;x`,
      `fields-name@limits.test;${at(201)};Paris;FR;75001;x`,
      `fields-note@limits.test;A;Paris;FR;75001;${at(2001)}`,
      `fields-cp@limits.test;A;Paris;FR;${'1'.repeat(21)};x`,
      `${'e'.repeat(250)}@limits.test;A;Paris;FR;75001;x`,
    ].join('\n');
    const res = await importCsv(body);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      { line: 3, errors: [{ field: 'address.city', message: 'must be at most 100 characters' }] },
      { line: 4, errors: [{ field: 'first_name', message: 'must be at most 200 characters' }] },
      { line: 5, errors: [{ field: 'attributes.note', message: 'must be at most 2000 characters' }] },
      { line: 6, errors: [{ field: 'address.postal_code', message: 'must be at most 20 characters' }] },
      { line: 7, errors: [{ field: 'email', message: 'must be at most 254 characters' }] },
    ]);
    expect(await contact('fields-ok@limits.test')).toMatchObject({ first_name: at(200), address: { city: at(100) } });
    // The JSON API has the same limits.
    const api = await t.json('POST', '/v1/contacts', { email: 'api-city@limits.test', address: { city: at(101) } });
    expect(api.status).toBe(422);
    expect(api.body.error.details.map((d: { field: string }) => d.field)).toEqual(['address.city']);
    const note = await t.json('POST', '/v1/contacts', { email: 'api-note@limits.test', attributes: { note: at(2001) } });
    expect(note.status).toBe(422);
  });
});
