// A print house that prints and posts our letters, over the letter API we publish (docs/PRINT-HOUSE.md): no single
// vendor is chosen, and the API is close to what French and European print houses offer, so one adapter per vendor
// can stay thin. Runs on Node and Workers (global fetch, FormData, Blob): no Node-only import here.
//
// POST {url}/v1/batches
//   Authorization: Bearer <apiKey>
//   Idempotency-Key: <batch key>            the same on a redelivery: the print house answers its first answer again
//   Content-Type: multipart/form-data with
//     document  application/pdf, A4, every letter on its own page range (the manifest says which)
//     manifest  text/csv, UTF-8: message_id, contact_id, address_line_1..7, first_page, last_page, pages, coupon_code
//     window    left | right              the envelope's window side
//     duplex    true | false
// 201 Created, or 200 for a replay of the same Idempotency-Key (the same body, no new batch):
//   { "id": "<batch id>", "letters": [{ "reference": "<our message id>", "id": "<letter id>" }] }
// Errors answer { "error": "<code>", "message": "<text>" }:
//   429                     ThrottledSendError: every sender slows down
//   5xx, 409, network,      RetryableSendError (409: a request with this key is still being processed). A timeout
//   timeout (15 s)          may hide a batch that was taken: the Idempotency-Key makes sending it again harmless
//   401, 403                TransportPausedError: the key or the account refuses everything until someone acts
//   other 4xx               a plain Error naming the print house and its message: permanent (422 for a bad address,
//                           or an Idempotency-Key reused for other letters)
// A 2xx whose body cannot be read was taken all the same (as twilio.ts does): resending would print twice, so the
// batch counts as sent, its id is the Idempotency-Key and no letter id is known (status callbacks name our message
// id as `reference`, which is enough to find the letter).
import { RetryableSendError, ThrottledSendError, TransportPausedError } from '../types.js';
import type { PostalBatch, PostalResult, PostalTransport } from './types.js';
import { printBatch } from './print.js';

export interface PrintHouseOptions {
  /** The API's base URL (PRINT_HOUSE_URL), such as https://api.print-house.example. */
  url: string;
  /** PRINT_HOUSE_API_KEY, sent as a bearer token. */
  apiKey: string;
  /** Overridable so a caller can route or observe requests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Per request. Default 15 s. */
  requestTimeoutMs?: number;
}

interface Answer {
  id?: unknown;
  letters?: unknown;
  error?: unknown;
  message?: unknown;
}

export function createPrintHouseTransport(options: PrintHouseOptions): PostalTransport {
  if (!/^https?:\/\/[^/]/i.test(options.url) || !URL.canParse(options.url)) {
    throw new Error(`The print house's URL (PRINT_HOUSE_URL) must be an http(s) URL, not ${JSON.stringify(options.url)}`);
  }
  if (!options.apiKey?.trim()) throw new Error("The print house's API key (PRINT_HOUSE_API_KEY) is empty");
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/batches`;
  const post = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    name: 'print-house',
    async send(batch: PostalBatch): Promise<PostalResult> {
      const printed = await printBatch(batch);
      const form = new FormData();
      // A copy into a plain ArrayBuffer: a Uint8Array may sit on a shared buffer, which Blob does not take.
      form.append('document', new Blob([printed.pdf.slice().buffer as ArrayBuffer], { type: 'application/pdf' }), `${batch.key}.pdf`);
      form.append('manifest', new Blob([printed.manifest], { type: 'text/csv; charset=utf-8' }), `${batch.key}.csv`);
      form.append('window', batch.options.window);
      form.append('duplex', String(batch.options.duplex));
      let res: Response;
      let text: string;
      try {
        res = await post(endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'idempotency-key': batch.key, accept: 'application/json' },
          body: form,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
      } catch (err) {
        throw new RetryableSendError(`Print house unreachable: ${(err as Error).message}`, { cause: err });
      }
      try {
        text = await res.text();
      } catch {
        // Cut while the answer was read (or past the timeout): the status is all there is.
        text = '';
      }
      const body = readJson(text);
      if (res.ok) return accepted(batch, body);
      const said = `${typeof body.error === 'string' ? `${body.error}: ` : ''}${typeof body.message === 'string' ? body.message : text.slice(0, 200) || res.statusText}`;
      if (res.status === 429) throw new ThrottledSendError(`Print house 429: ${said || 'too many requests'}`);
      if (res.status === 401 || res.status === 403) throw new TransportPausedError(`Print house ${res.status}: ${said || 'not authorised'}`);
      if (res.status >= 500 || res.status === 409) throw new RetryableSendError(`Print house ${res.status}: ${said || 'try later'}`);
      throw new Error(`Print house ${res.status}: ${said || 'refused'}`);
    },
  };
}

function readJson(text: string): Answer {
  try {
    const json: unknown = JSON.parse(text);
    return json && typeof json === 'object' ? (json as Answer) : {};
  } catch {
    return {};
  }
}

/** The print house took the batch: its ids where the answer says them, the Idempotency-Key where it cannot be read. */
function accepted(batch: PostalBatch, body: Answer): PostalResult {
  const letters: Record<string, string> = {};
  if (Array.isArray(body.letters)) {
    for (const l of body.letters as Array<{ reference?: unknown; id?: unknown }>) {
      if (l && typeof l.reference === 'string' && typeof l.id === 'string') letters[l.reference] = l.id;
    }
  }
  return { providerMessageId: typeof body.id === 'string' && body.id ? body.id : batch.key, letters };
}
