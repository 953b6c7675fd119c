// On workerd: request bodies are cut at their limit while they stream in, and CSV imports read French Excel's
// Windows-1252 files and country names as on Node. The bodies here end just past their limit: wrangler dev's proxy
// breaks the next request after an answer sent before the body was read (workers-sdk #15709), which deployed Workers
// do not; refusing a body from its Content-Length alone is tested on Node (test/api/body-limits.test.ts).
import { describe, expect, inject, it } from 'vitest';
import { baseUrl } from './support.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A body sent without a Content-Length (chunked), in 16 KiB pieces. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16 * KiB));
      offset += 16 * KiB;
    },
  });
}

async function post(path: string, body: BodyInit, type: string) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST', headers: { authorization: `Bearer ${inject('apiKey')}`, 'content-type': type }, body, duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  expect(res.headers.get('content-type'), text).toContain('json');
  return { status: res.status, body: JSON.parse(text) };
}

describe('the Worker’s body limits', () => {
  it('cuts a JSON body without a Content-Length at 1 MiB, and the SES webhook’s at 512 KiB', async () => {
    const json = new TextEncoder().encode(JSON.stringify({ email: 'big@worker.test', first_name: 'x'.repeat(MiB) }));
    const big = await post('/v1/contacts', chunked(json), 'application/json');
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large', message: 'The body is larger than 1 MiB, the limit for this request' } } });
    const ses = await post('/webhooks/ses', chunked(new Uint8Array(512 * KiB + 1).fill(0x20)), 'text/plain');
    expect(ses).toMatchObject({ status: 413, body: { error: { message: 'The body is larger than 512 KiB, the limit for this request' } } });
  });

  it('refuses a CSV line over 256 KiB', async () => {
    const res = await post('/v1/contacts/import', chunked(new Uint8Array(256 * KiB + 1).fill(0x65)), 'text/csv');
    expect(res).toMatchObject({ status: 413, body: { error: { message: 'Line 1 is longer than 256 KiB, the limit for a line of a CSV file' } } });
  });
});

describe('the Worker’s CSV import', () => {
  it('reads a Windows-1252 file with accents and country names', async () => {
    const text = 'E-mail;Prénom;Ville;Pays\r\nhelene@worker.test;Hélène;Saint-Étienne;Royaume-Uni\r\nleon@worker.test;Léon;Liège;Belgique\r\n';
    const res = await post('/v1/contacts/import', Uint8Array.from([...text].map((ch) => ch.charCodeAt(0))), 'text/csv');
    expect(res).toMatchObject({ status: 200, body: { created: 2, rejected: [], encoding: 'windows-1252' } });
    const find = async (email: string) =>
      (await (await fetch(`${baseUrl}/v1/contacts?email=${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${inject('apiKey')}` } })).json()).data[0];
    expect(await find('helene@worker.test')).toMatchObject({ first_name: 'Hélène', address: { city: 'Saint-Étienne', country: 'GB' } });
    expect(await find('leon@worker.test')).toMatchObject({ first_name: 'Léon', address: { city: 'Liège', country: 'BE' } });
  });
});
