// Node: a POST to an address a user typed, that cannot be turned against our own network (SSRF). The address is checked
// where it is connected to, after DNS (a name that resolves to 127.0.0.1 or 10.x is refused, and so is a second answer
// that differs from the first: no rebinding between check and connect); `https` only; no redirects followed; a timeout
// over the whole exchange; at most `maxResponseBytes` of the answer read.
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isPublicAddress, targetProblem } from './target.js';

export interface SafePostOptions {
  /** Private, loopback and link-local targets, and plain http (WEBHOOK_ALLOW_PRIVATE, development and tests only). */
  allowPrivate: boolean;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Default 64 KiB. */
  maxResponseBytes?: number;
  /** DNS, replaceable in tests (a name that resolves to a private address). */
  resolve?: typeof lookup;
}

export interface PostAnswer {
  status: number;
  /** At most maxResponseBytes of it. */
  body: string;
}

/** The target is not one we may post to: permanent, whatever the retries. */
export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
}

/** The exchange did not finish: no answer, or not in time. The receiver may or may not have it. */
export class PostFailedError extends Error {
  override name = 'PostFailedError';
}

export function createSafePost(options: SafePostOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024;
  // The connection's own lookup: what is checked is what is connected to.
  const checkedLookup = (hostname: string, opts: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    (options.resolve ?? lookup)(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused && !options.allowPrivate) return callback(new UnsafeTargetError(`${hostname} resolves to ${refused.address}: a private, loopback or link-local address`), '');
      if ((opts as { all?: boolean }).all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return function post(url: string, headers: Record<string, string>, body: string): Promise<PostAnswer> {
    const problem = targetProblem(url, options.allowPrivate);
    if (problem) return Promise.reject(new UnsafeTargetError(`Refused webhook URL: ${problem}`));
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<PostAnswer>((resolve, reject) => {
      const req = send(target, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        lookup: checkedLookup as never,
        timeout: timeoutMs,
      });
      const timer = setTimeout(() => req.destroy(new PostFailedError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= maxBytes) return;
          chunks.push(chunk.subarray(0, maxBytes - size));
          size += chunk.length;
          // Enough read: what is left is not ours to keep.
          if (size >= maxBytes) res.destroy();
        });
        const done = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      req.on('timeout', () => req.destroy(new PostFailedError(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err instanceof UnsafeTargetError || err instanceof PostFailedError ? err : new PostFailedError(err.message, { cause: err }));
      });
      req.end(body);
    });
  };
}
