// Structured logs: one JSON line per request and one per error, and never personal data. Fields are flat scalars
// so nobody passes a body, a row or an error object whole; error messages lose their quoted values, addresses and
// numbers (a database error quotes the value it choked on, and its query parameters hold emails and names).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from './app-env.js';

export type LogLevel = 'info' | 'error';
export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue | readonly string[]>;
/** Where lines go: the console on Node and on Workers (whose logs read the console); tests collect them. */
export type LogSink = (level: LogLevel, line: string) => void;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const consoleSink: LogSink = (level, line) => (level === 'error' ? console.error(line) : console.log(line));

/** A logger writing lines at `threshold` and above (LOG_LEVEL): `info` everything, `error` errors, `silent` nothing. */
export function createLogger(sink: LogSink, threshold: LogLevel | 'silent' = 'info'): Logger {
  const write = (level: LogLevel, event: string, fields: LogFields = {}) =>
    sink(level, JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  const none = () => undefined;
  return {
    info: threshold === 'info' ? (event, fields) => write('info', event, fields) : none,
    error: threshold === 'silent' ? none : (event, fields) => write('error', event, fields),
  };
}

const REDACTIONS: Array<[RegExp, string]> = [
  [/"(?:[^"\\]|\\.)*"/g, '"…"'],
  [/'(?:[^'\\]|\\.)*'/g, "'…'"],
  [/\([^()]*\)=\([^()]*\)/g, '(…)=(…)'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g, '<email>'],
  [/\+?\d[\d .-]{4,}\d/g, '<number>'],
];

/** An error's message with what may be data taken out; the shape (which constraint, which type) stays readable. */
export function redactMessage(message: string): string {
  let s = message.split('\n')[0];
  for (const [pattern, by] of REDACTIONS) s = s.replace(pattern, by);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

const SCHEMA_FIELDS = ['constraint', 'table', 'column'] as const;

/**
 * What an error may say in a log: its class, its code (a SQLSTATE, a domain code, ECONNREFUSED), the schema names
 * a database error carries, the redacted message and the stack frames (not the stack's first line: the message).
 * Never its query, parameters, detail or cause.
 */
export function describeError(err: unknown): LogFields {
  if (!(err instanceof Error)) return { error: typeof err, message: null };
  const e = err as Error & Record<string, unknown>;
  const fields: LogFields = { error: err.name, code: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined };
  for (const key of SCHEMA_FIELDS) if (typeof e[key] === 'string') fields[key] = e[key] as string;
  fields.message = redactMessage(err.message ?? '');
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).map((l) => l.trim());
  if (frames.length) fields.stack = frames;
  return fields;
}

/** The route's pattern (`/v1/contacts/:id`), never the raw path: paths carry tokens and ids. Null when none matched. */
function routeOf(c: Context): string | null {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i].method !== 'ALL') return routes[i].path;
  return null;
}

function requestIdOf(c: Context): string | undefined {
  return (c.var as Partial<AppEnv['Variables']>).requestId;
}

/** One line per request, after it: method, route, status, duration, request id (also sent as X-Request-Id). */
export const logRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const requestId = crypto.randomUUID();
  c.set('requestId', requestId);
  c.header('X-Request-Id', requestId);
  try {
    await next();
  } finally {
    c.get('deps').log.info('request', {
      request_id: requestId,
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
  }
};

/** One line per error a request could not recover from. */
export function logRequestError(c: Context, err: unknown) {
  const log = (c.var as Partial<AppEnv['Variables']>).deps?.log ?? createLogger(consoleSink);
  log.error('request failed', { request_id: requestIdOf(c), method: c.req.method, route: routeOf(c), ...describeError(err) });
}
