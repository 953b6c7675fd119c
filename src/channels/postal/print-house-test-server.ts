// Test helper (Node only): a local print house speaking our letter API (docs/PRINT-HOUSE.md). It checks what a real
// one would (the bearer key, a PDF, a manifest row per letter within the PDF's pages), answers a replayed
// Idempotency-Key with its first answer, can fail the next requests as a real one does, keeps what it received,
// and sends signed status callbacks when a test asks.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from '@cantoo/pdf-lib';
import { parse } from 'csv-parse/sync';
import { signWebhook } from '../webhook/signature.js';

export type PrintHouseFailure = 'invalid' | 'unavailable' | 'throttled' | 'paused';

export interface ReceivedBatch {
  key: string;
  /** The id the stand-in answered, and one per letter by our message id. */
  id: string;
  letters: Record<string, string>;
  pdf: Uint8Array;
  manifest: Array<Record<string, string>>;
  window: string;
  duplex: string;
}

export interface LetterEvent {
  type: 'letter.printed' | 'letter.posted' | 'letter.delivered' | 'letter.returned' | (string & {});
  /** Our message id; the letter's id at the print house is looked up from it unless given. */
  reference: string;
  id?: string;
  at?: Date;
  reason?: string;
}

export interface LocalPrintHouse {
  /** Give this to the transport as its URL. */
  endpoint: string;
  batches(): ReceivedBatch[];
  /** The next `count` uploads fail this way; none is recorded. */
  failNext(kind: PrintHouseFailure, count?: number): void;
  /** How many uploads reached the stand-in, answered or not. */
  requests(): number;
  /** Posts a signed status callback to `url`, as the print house does; `webhookId` is new unless given (a redelivery). */
  notify(url: string, secret: string, event: LetterEvent, options?: { webhookId?: string; sentAt?: Date }): Promise<Response>;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

const error = (status: number, code: string, message: string): Answer => ({ status, body: { error: code, message } });

export async function startLocalPrintHouse(apiKey: string): Promise<LocalPrintHouse> {
  const batches: ReceivedBatch[] = [];
  // The first answer per Idempotency-Key, and what it was for: a replay for other letters is refused.
  const answered = new Map<string, { references: string; answer: Answer }>();
  const failures: PrintHouseFailure[] = [];
  let requests = 0;

  async function upload(req: IncomingMessage, raw: Buffer): Promise<Answer> {
    if (req.method !== 'POST' || req.url !== '/v1/batches') return error(404, 'not_found', `${req.method} ${req.url} is not served here`);
    requests++;
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'unauthorized', 'Invalid API key');
    const failure = failures.shift();
    if (failure === 'throttled') return error(429, 'rate_limited', 'Too many batches, slow down');
    if (failure === 'unavailable') return error(503, 'unavailable', 'Print queue unavailable');
    if (failure === 'paused') return error(403, 'account_suspended', 'Account suspended: contact your account manager');
    if (failure === 'invalid') return error(422, 'invalid_address', 'Line 1: the address has no postcode');
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key) return error(400, 'idempotency_key_missing', 'Idempotency-Key is required');

    let form: FormData;
    try {
      form = await new Request('http://print-house.local/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(raw) }).formData();
    } catch (err) {
      return error(400, 'bad_request', `Not multipart/form-data: ${(err as Error).message}`);
    }
    const document = form.get('document');
    const manifest = form.get('manifest');
    if (!(document instanceof Blob) || !(manifest instanceof Blob)) return error(422, 'missing_part', 'document and manifest are required');
    const pdf = new Uint8Array(await document.arrayBuffer());
    if (new TextDecoder().decode(pdf.slice(0, 5)) !== '%PDF-') return error(422, 'invalid_document', 'document is not a PDF');
    const rows = readManifest(await manifest.text());
    const problem = rows === undefined ? 'manifest is not CSV with a header row' : await manifestProblem(rows, pdf);
    if (problem) return error(422, 'invalid_manifest', problem);
    const window = String(form.get('window') ?? '');
    const duplex = String(form.get('duplex') ?? '');
    if (!['left', 'right'].includes(window) || !['true', 'false'].includes(duplex)) return error(422, 'invalid_options', 'window is left|right, duplex true|false');

    const references = rows!.map((r) => r.message_id).sort().join(',');
    const first = answered.get(key);
    if (first) return first.references === references ? { status: 200, body: first.answer.body } : error(422, 'idempotency_key_reused', `Idempotency-Key ${key} was used for other letters`);
    // A reference is printed once per account, whatever batch names it again: its letter is answered, not printed.
    const printed = new Map(batches.flatMap((b) => Object.entries(b.letters)));
    const id = `bat_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const fresh = rows!.filter((r) => !printed.has(r.message_id));
    const letters = Object.fromEntries(fresh.map((r) => [r.message_id, `ltr_${randomUUID().replace(/-/g, '').slice(0, 20)}`]));
    if (fresh.length) batches.push({ key, id, letters, pdf, manifest: fresh, window, duplex });
    const answer = {
      status: 201,
      body: { id, letters: rows!.map((r) => ({ reference: r.message_id, id: letters[r.message_id] ?? printed.get(r.message_id)!, ...(printed.has(r.message_id) ? { duplicate: true } : {}) })) },
    };
    answered.set(key, { references, answer });
    return answer;
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      upload(req, Buffer.concat(chunks)).then(
        (a) => res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body)),
        (err: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal', message: String(err) })),
      );
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    batches: () => batches.map((b) => ({ ...b, letters: { ...b.letters }, manifest: b.manifest.map((r) => ({ ...r })) })),
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    requests: () => requests,
    async notify(url, secret, event, options = {}) {
      const letterId = event.id ?? batches.find((b) => b.letters[event.reference])?.letters[event.reference];
      if (!letterId) throw new Error(`No letter ${event.reference} was received`);
      const body = JSON.stringify({
        type: event.type,
        data: { id: letterId, reference: event.reference, at: (event.at ?? new Date()).toISOString(), ...(event.reason ? { reason: event.reason } : {}) },
      });
      const headers = signWebhook(secret, options.webhookId ?? `evt_${randomUUID()}`, options.sentAt ?? new Date(), body);
      return fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readManifest(csv: string): Array<Record<string, string>> | undefined {
  try {
    return parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  } catch {
    return undefined;
  }
}

/** A row per letter: our id, an address, and a page range inside the PDF that no other letter shares. */
async function manifestProblem(rows: Array<Record<string, string>>, pdf: Uint8Array): Promise<string | undefined> {
  if (rows.length === 0) return 'manifest has no letter';
  let pageCount: number;
  try {
    pageCount = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
  } catch (err) {
    return `document cannot be read: ${(err as Error).message}`;
  }
  const seen = new Set<string>();
  const used = new Set<number>();
  for (const [i, r] of rows.entries()) {
    const line = `manifest line ${i + 2}`;
    if (!r.message_id) return `${line}: message_id is empty`;
    if (seen.has(r.message_id)) return `${line}: message_id ${r.message_id} twice`;
    seen.add(r.message_id);
    if (!r.address_line_1?.trim()) return `${line}: address_line_1 is empty`;
    const first = Number(r.first_page);
    const last = Number(r.last_page);
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first || last > pageCount) {
      return `${line}: pages ${r.first_page}-${r.last_page} are not within the document's ${pageCount}`;
    }
    // `pages` may hold a blank back after the letter (duplex): the letter owns its range and that page.
    const pages = r.pages === undefined || r.pages === '' ? last - first + 1 : Number(r.pages);
    if (!Number.isInteger(pages) || pages < last - first + 1 || first + pages - 1 > pageCount) return `${line}: pages ${r.pages} does not fit pages ${first}-${last}`;
    for (let p = first; p < first + pages; p++) {
      if (used.has(p)) return `${line}: page ${p} belongs to another letter`;
      used.add(p);
    }
  }
  return undefined;
}
