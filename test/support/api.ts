// A client typed by the routes' own contracts: `api(route, { param, query, json })` fills in the path, sends the
// admin key (or another), and types the answer per status from the route's response schemas.
import type { RouteConfig, z } from '@hono/zod-openapi';

type Zod = z.ZodType;
type Request<R extends RouteConfig> = NonNullable<R['request']>;
type Content<R extends RouteConfig> = Request<R> extends { body: { content: infer C } } ? C : never;

// A preprocessed id (IdParam) reads `unknown` as input: in a path it is a number or a string.
type PathValue<T> = unknown extends T ? string | number : T;
type ParamInput<R extends RouteConfig> = Request<R> extends { params: infer P extends Zod }
  ? { param: { [K in keyof z.input<P>]: PathValue<z.input<P>[K]> } }
  : { param?: never };
type QueryInput<R extends RouteConfig> = Request<R> extends { query: infer Q extends Zod } ? { query?: z.input<Q> } : { query?: never };
type BodyInput<R extends RouteConfig> = [Content<R>] extends [never]
  ? { json?: never; body?: never }
  : Content<R> extends { 'application/json': { schema: infer S extends Zod } }
    ? Request<R> extends { body: { required: false } } ? { json?: z.input<S> } : { json: z.input<S> }
    : { body: string };

export interface CallOptions {
  /** Another API key; null sends no Authorization header. The admin key by default. */
  key?: string | null;
  headers?: Record<string, string>;
}

export type ApiInput<R extends RouteConfig> = ParamInput<R> & QueryInput<R> & BodyInput<R> & CallOptions;

type BodyOf<X> = X extends { content: { 'application/json': { schema: infer S extends Zod } } } ? z.output<S> : string | undefined;
/** One member per documented status: narrowing on `status` gives that status's body. */
export type ApiResponse<R extends RouteConfig> = {
  [S in keyof R['responses'] & (number | `${number}`)]: { status: S extends `${infer N extends number}` ? N : S; body: BodyOf<R['responses'][S]> };
}[keyof R['responses'] & (number | `${number}`)];

/** Every input part optional when the route has none: `api(route)` works for a bare GET. */
type Args<R extends RouteConfig> = {} extends ApiInput<R> ? [input?: ApiInput<R>] : [input: ApiInput<R>];

export type Api = <R extends RouteConfig>(route: R, ...args: Args<R>) => Promise<ApiResponse<R>>;

/** The path a route is served at: `{name}` filled in, and `/v1` in front of the routes that take an API key. */
export function routePath(route: RouteConfig, param: Record<string, unknown> = {}, query?: Record<string, unknown>): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (param[name] === undefined) throw new Error(`${route.method.toUpperCase()} ${route.path}: no value for {${name}}`);
    return encodeURIComponent(String(param[name]));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  }
  const qs = search.toString();
  return `${route.security?.length ? '/v1' : ''}${path}${qs ? `?${qs}` : ''}`;
}

type Fetch = (path: string, init: RequestInit) => Response | Promise<Response>;

export function createApi(fetch: Fetch, adminKey: string): Api {
  return (async (route: RouteConfig, input: (CallOptions & { param?: Record<string, unknown>; query?: Record<string, unknown>; json?: unknown; body?: string }) = {}) => {
    const key = input.key === undefined ? adminKey : input.key;
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}) };
    let payload: string | undefined;
    if (input.json !== undefined) {
      payload = JSON.stringify(input.json);
      headers['content-type'] = 'application/json';
    } else if (input.body !== undefined) {
      payload = input.body;
      const [type] = Object.keys(route.request?.body?.content ?? {});
      if (type) headers['content-type'] = type;
    }
    Object.assign(headers, input.headers);
    const res = await fetch(routePath(route, input.param, input.query), { method: route.method.toUpperCase(), headers, body: payload });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: isJson && text ? JSON.parse(text) : text || undefined };
  }) as Api;
}

/**
 * The body of a response that must have `status`; anything else fails the test with what the server said.
 * Builders use it so that a broken fixture fails where it is built, not three assertions later.
 */
export function expectStatus<T extends { status: number; body: unknown }, S extends T['status']>(res: T, status: S): Extract<T, { status: S }>['body'] {
  // A plain Error, not vitest's expect: the benchmarks use the builders outside the test runner.
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)?.slice(0, 1000)}`);
  return res.body as Extract<T, { status: S }>['body'];
}

/** The fields a 422 names, in order (`details` is typed unknown in the shared error schema). */
export function errorFields(body: { error: { details?: unknown } }): string[] {
  return ((body.error.details ?? []) as Array<{ field: string }>).map((d) => d.field);
}
