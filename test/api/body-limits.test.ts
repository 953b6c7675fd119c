// Request bodies are counted while they stream in, on every route: a JSON body, an unauthenticated webhook or a CSV
// import is never read past its limit, whatever its Content-Length says (or if it has none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SMS_SECRET = 'sms-secret-0123456789';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ IMPORT_MAX_BYTES: '200000', SMS_WEBHOOK_SECRET: SMS_SECRET });
});
afterAll(() => t.close());

/** A body of `total` bytes made on demand, 64 KiB at a time, that tells how much was read and whether it was cancelled. */
function source(total: number, byte = 0x61) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= total) return controller.close();
        const n = Math.min(64 * KiB, total - seen.pulled);
        seen.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(byte));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

async function post(path: string, body: BodyInit, headers: Record<string, string>) {
  const res = await t.app.request(path, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const tooLarge = (size: string, bytes: number, setting = '') => ({
  error: {
    code: 'payload_too_large',
    message: `The body is larger than ${size}, the limit for this request${setting}`,
    details: [{ field: 'body', message: size === `${bytes} bytes` ? `must be at most ${size}` : `must be at most ${size} (${bytes} bytes)` }],
  },
});

describe('JSON bodies: 1 MiB unless a route says otherwise', () => {
  const auth = () => ({ authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'application/json' });
  const big = JSON.stringify({ email: 'big@limits.test', first_name: 'x'.repeat(2 * MiB) });

  it('refuses a body over the limit with 413 naming it, whether its Content-Length is right, missing or lying', async () => {
    const declared = await post('/v1/contacts', big, { ...auth(), 'content-length': String(big.length) });
    expect(declared).toEqual({ status: 413, body: tooLarge('1 MiB', MiB) });
    const streamed = source(2 * MiB, 0x20); // spaces: still "JSON" to a reader that does not count
    const missing = await post('/v1/contacts', streamed.stream, auth());
    expect(missing).toEqual({ status: 413, body: tooLarge('1 MiB', MiB) });
    expect(streamed.seen.pulled).toBeLessThanOrEqual(MiB + 2 * 64 * KiB);
    const lying = await post('/v1/contacts', big, { ...auth(), 'content-length': '100' });
    expect(lying).toEqual({ status: 413, body: tooLarge('1 MiB', MiB) });
    expect((await t.json('GET', '/v1/contacts?email=big%40limits.test')).body.data).toEqual([]);
  });

  it('reads a body under the limit as usual', async () => {
    const body = JSON.stringify({ email: 'under@limits.test', attributes: { note: 'y'.repeat(MiB - 100) } });
    const res = await post('/v1/contacts', body, auth());
    // Read and validated: refused for the attribute, not for its size.
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('webhooks: small limits, before any signature or key', () => {
  it('reads an unauthenticated SES webhook of 8 MiB no further than its 512 KiB, and stops the upload', async () => {
    const { stream, seen } = source(8 * MiB);
    const res = await post('/webhooks/ses', stream, { 'content-type': 'text/plain' });
    expect(res).toEqual({ status: 413, body: tooLarge('512 KiB', 512 * KiB) });
    expect(seen.pulled).toBeLessThanOrEqual(512 * KiB + 2 * 64 * KiB);
    expect(seen.cancelled).toBe(true);
  });

  it('refuses an SES webhook that declares too much without reading it', async () => {
    const { stream, seen } = source(8 * MiB);
    const res = await post('/webhooks/ses', stream, { 'content-type': 'text/plain', 'content-length': String(8 * MiB) });
    expect(res).toEqual({ status: 413, body: tooLarge('512 KiB', 512 * KiB) });
    expect(seen.pulled).toBe(0);
  });

  it('holds the SMS webhook to 64 KiB even when its Content-Length lies', async () => {
    const text = JSON.stringify({ from: '+33612345678', text: 'z'.repeat(MiB) });
    const headers = { authorization: `Bearer ${SMS_SECRET}`, 'content-type': 'application/json' };
    const lying = await post('/webhooks/sms', text, { ...headers, 'content-length': '100' });
    expect(lying).toEqual({ status: 413, body: tooLarge('64 KiB', 64 * KiB) });
    const missing = source(MiB, 0x20);
    expect(await post('/webhooks/sms', missing.stream, headers)).toEqual({ status: 413, body: tooLarge('64 KiB', 64 * KiB) });
  });
});

describe('CSV imports: IMPORT_MAX_BYTES', () => {
  // Rows of 200 bytes: a long note (an ignored column) keeps the files small in rows.
  const csv = (rows: number, prefix: string) =>
    ['email;prénom;note', ...Array.from({ length: rows }, (_, i) => `${prefix}${String(i).padStart(5, '0')}@limits.test;Anne;${'n'.repeat(200 - prefix.length - 25)}`)]
      .join('\r\n') + '\r\n';
  const headers = () => ({ authorization: `Bearer ${t.keys.marketer}`, 'content-type': 'text/csv' });
  const count = async (prefix: string) =>
    Number((await t.deps.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('email', 'like', `${prefix}%`).executeTakeFirstOrThrow()).n);

  it('takes a file up to the limit', async () => {
    const body = csv(950, 'fits');
    expect(body.length).toBeLessThan(200000);
    const res = await post('/v1/contacts/import', body, headers());
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(950);
  });

  it('refuses a larger file before reading it when its Content-Length says so, naming the setting', async () => {
    const body = csv(2000, 'declared');
    const res = await post('/v1/contacts/import', body, { ...headers(), 'content-length': String(body.length) });
    expect(res).toEqual({ status: 413, body: tooLarge('200000 bytes', 200000, ' (IMPORT_MAX_BYTES)') });
    expect(await count('declared')).toBe(0);
    expect(await count('fits')).toBe(950);
  });

  it('stops a larger file sent without a length at the limit, and says how many rows before it were kept', async () => {
    const body = new TextEncoder().encode(csv(2000, 'chunked'));
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.slice(offset, offset + 16 * KiB));
        offset += 16 * KiB;
      },
    });
    const res = await post('/v1/contacts/import', stream, headers());
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const kept = /the rows before it were imported: (\d+) created, 0 updated, 0 rejected$/.exec(res.body.error.message);
    expect(res.body.error.message.startsWith('The body is larger than 200000 bytes, the limit for this request (IMPORT_MAX_BYTES)')).toBe(true);
    expect(kept).not.toBeNull();
    expect(await count('chunked')).toBe(Number(kept![1]));
    expect(offset).toBeLessThanOrEqual(200000 + 3 * 16 * KiB);
  });
});
