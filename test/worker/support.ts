// Plain fetch against the running Worker, with the admin key unless told otherwise.
import { inject } from 'vitest';
import type { LocalSesMessage } from '../../src/channels/email/ses-test-server.js';

export const baseUrl = inject('baseUrl');
export const publicUrl = inject('publicUrl');

export interface CallOptions {
  key?: string | null;
  headers?: Record<string, string>;
}

export function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Response> {
  const key = options.key === undefined ? inject('apiKey') : options.key;
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(baseUrl + path, { method, headers, body: payload, redirect: 'manual' });
}

export async function json<T = any>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<{ status: number; body: T }> {
  const res = await call(method, path, body, options);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Every SendEmail the local SES server accepted so far, raw MIME included. */
export async function sesMessages(): Promise<LocalSesMessage[]> {
  const res = await fetch(inject('sesInbox'));
  if (!res.ok) throw new Error(`SES inbox answered ${res.status}`);
  return res.json() as Promise<LocalSesMessage[]>;
}

/** Polls until `check` returns a value; sending runs after the launch response (the send queue's consumer). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
