// Request bodies are counted as they stream in, whoever reads them (a JSON validator, a webhook, a CSV import that
// streams), so nothing can make the process hold more than a route's limit. The Content-Length header is used only
// to refuse early: a body without one, or longer than it says, is still cut at the limit.
import type { Context, MiddlewareHandler } from 'hono';
import { TooLargeError } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './errors.js';

/** What a route accepts unless it says otherwise: JSON documents are far smaller. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface BodyLimitState {
  maxBytes: number;
  /** The setting that raises it, named in the answer (IMPORT_MAX_BYTES). */
  setting?: string;
  exceeded: boolean;
}

type Bytes = number | ((c: Context<AppEnv>) => number);

/**
 * Limits the request body to `maxBytes`. Applied once for the whole app (the default), and again on a route to give
 * it its own limit: the first one to run wraps the body, later ones only change the limit, before anything is read.
 * Over the limit the answer is 413 `payload_too_large` naming it, however the handler took the read error.
 */
export function limitBody(maxBytes: Bytes, setting?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // GET and HEAD carry no body; asking for it would build the full Request on Node (a cost on every tracked hit).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const source = c.req.raw.body;
    if (!source) return next();
    const max = typeof maxBytes === 'function' ? maxBytes(c) : maxBytes;
    const declared = declaredLength(c);
    const existing = c.get('bodyLimit');
    if (existing) {
      Object.assign(existing, { maxBytes: max, setting });
      if (declared !== undefined && declared > max) return refuse(c, existing);
      return next();
    }
    // A route may still raise the limit: a Content-Length over this one is refused at the first read, not here.
    const limit: BodyLimitState = { maxBytes: max, setting, exceeded: false };
    c.set('bodyLimit', limit);
    c.req.raw = new Request(c.req.raw, { body: counted(source, limit, declared), duplex: 'half' } as RequestInit);
    await next();
    // A validator that read the body reports "malformed JSON", a webhook may answer its own way: the limit wins.
    if (limit.exceeded && c.res.status !== 413) {
      c.res = undefined;
      c.res = tooLarge(c, limit);
    }
  };
}

function declaredLength(c: Context): number | undefined {
  const value = c.req.header('content-length');
  return value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value) : undefined;
}

function refuse(c: Context, limit: BodyLimitState) {
  limit.exceeded = true;
  return tooLarge(c, limit);
}

function tooLarge(c: Context, limit: BodyLimitState) {
  const err = tooLargeError(limit);
  return errorResponse(c, 413, err.code, err.message, err.details);
}

export function tooLargeError(limit: Pick<BodyLimitState, 'maxBytes' | 'setting'>): TooLargeError {
  const size = formatBytes(limit.maxBytes);
  return new TooLargeError(`The body is larger than ${size}, the limit for this request${limit.setting ? ` (${limit.setting})` : ''}`, [
    { field: 'body', message: `must be at most ${exactBytes(limit.maxBytes)}` },
  ]);
}

/** The body, read through: past the limit it stops reading its source and fails with a TooLargeError. */
function counted(source: ReadableStream<Uint8Array>, limit: BodyLimitState, declared: number | undefined): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let seen = 0;
  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    limit.exceeded = true;
    controller.error(tooLargeError(limit));
    await reader.cancel().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (seen === 0 && declared !== undefined && declared > limit.maxBytes) return fail(controller);
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > limit.maxBytes) return fail(controller);
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** "1 MiB (1048576 bytes)", or "1000 bytes" when that is all there is to say. */
export function exactBytes(n: number): string {
  const size = formatBytes(n);
  return size === `${n} bytes` ? size : `${size} (${n} bytes)`;
}

/** 1 MiB, 64 KiB, or bytes when it is neither. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
