// Requests generated from the app's own OpenAPI document: values shaped like each schema, where any node may be
// swapped for a hostile value (hostile.ts), plus arbitrary JSON and bodies that are not JSON at all. A route added to
// the document is fuzzed without editing anything here.
import fc from 'fast-check';
import { badDates, hostileKey, hostileLeaf, hostileNumber, hostilePathSegment, hostileRawBody, hostileString, poison, withKey } from './hostile.js';

export type Schema = { [key: string]: any };
export interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema; style?: string }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Route {
  method: string;
  /** As documented: /v1/contacts/{id}. */
  path: string;
  operation: Operation;
}

export interface FuzzRequest {
  method: string;
  /** Filled in and encoded, with its query string. */
  url: string;
  body?: { type: string; text: string };
}

export interface Context {
  doc: OpenApiDoc;
  /** Bodies known to be accepted, by route (POST /v1/contacts): the fuzz spends most runs on one fault in one of them. */
  seeds?(route: string): unknown[];
  /** Ids of rows that exist, for integer fields that hold an id. */
  ids: number[];
  /** Ids for a path's {id}, by the collection before it (contacts, api-keys). */
  pathIds(collection: string): number[];
}

/** Every operation of the document: creations and changes first, then reads, and deletions last (they remove the seeded rows). */
export function routesOf(doc: OpenApiDoc): Route[] {
  const order = ['post', 'put', 'patch', 'get', 'delete'];
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.entries(ops).filter(([m]) => order.includes(m)).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })))
    .sort((a, b) => order.indexOf(a.method.toLowerCase()) - order.indexOf(b.method.toLowerCase()));
}

/** A value of the schema's shape, where each node may (1 in 10) be a hostile value instead. */
export function shaped(schema: Schema | undefined, ctx: Context, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: valid(schema ?? {}, ctx, depth, true) }, { weight: 1, arbitrary: hostileLeaf });
}

/** A value of the schema's shape with nothing hostile in it (so that it reaches past validation). */
export function clean(schema: Schema | undefined, ctx: Context): fc.Arbitrary<unknown> {
  return valid(schema ?? {}, ctx, 0, false);
}

/**
 * A clean value with exactly one thing wrong: a node replaced by a hostile value, a string with a character the
 * database refuses spliced in, a date out of range, or a key added (prototype names included). One fault at a time
 * gets past every check but the one that should catch it.
 */
export function oneFault(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return base.chain((value) => {
    const nodes = nodesOf(value);
    // Leaves more often than whole objects; dates and text (where faults hide) more often than other leaves.
    const groups: Array<[number, typeof nodes]> = [
      [4, nodes.filter(({ node }) => typeof node === 'string' && DATE_LIKE.test(node))],
      [4, nodes.filter(({ node }) => typeof node === 'string' && !DATE_LIKE.test(node))],
      [2, nodes.filter(({ node }) => node === null || (typeof node !== 'object' && typeof node !== 'string'))],
      [1, nodes],
    ];
    const pick = fc.oneof(...groups.filter(([, g]) => g.length).map(([weight, g]) => ({ weight, arbitrary: fc.constantFrom(...g) })));
    return pick.chain(({ path, node }) => faultFor(node).map((replacement) => replaceAt(value, path, replacement)));
  });
}

const DATE_LIKE = /^\d{4}-\d\d-\d\dT/;

/** What to put in place of `node`: mostly a fault of its own kind (text stays text, with a bad character in it). */
export function faultFor(node: unknown): fc.Arbitrary<unknown> {
  const faults: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 1, arbitrary: hostileLeaf }];
  if (typeof node === 'string') {
    const splice = (bad: fc.Arbitrary<string>) => fc.tuple(fc.nat(node.length), bad).map(([at, b]) => node.slice(0, at) + b + node.slice(at));
    faults.push({ weight: 2, arbitrary: splice(fc.constant('\u0000')) });
    faults.push({ weight: 2, arbitrary: splice(fc.constantFrom(...poison.filter((p) => p !== '\u0000'))) });
    faults.push({ weight: 1, arbitrary: hostileString });
    // A value that names a member of Object.prototype, for code that looks a value up as a key.
    faults.push({ weight: 2, arbitrary: fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf') });
    if (DATE_LIKE.test(node)) faults.push({ weight: 6, arbitrary: fc.constantFrom(...badDates) });
  } else if (typeof node === 'number') {
    faults.push({ weight: 2, arbitrary: hostileNumber });
  } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    faults.push({ weight: 2, arbitrary: fc.tuple(hostileKey, hostileLeaf).map(([k, v]) => withKey(node as Record<string, unknown>, k, v)) });
  }
  return fc.oneof(...faults);
}

/** Every node of a JSON value with its path, the root first. */
function nodesOf(value: unknown, path: string[] = []): Array<{ path: string[]; node: unknown }> {
  const here = [{ path, node: value }];
  if (value === null || typeof value !== 'object') return here;
  return [...here, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...path, k]))];
}

function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (String(i) === head ? replaceAt(v, rest, replacement) : v));
  return withKey(value as Record<string, unknown>, head, replaceAt((value as Record<string, unknown>)[head], rest, replacement));
}

/** Values that fit a field better than random text would, by its name: they get past format checks. */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  email: fc.constantFrom('zoe@example.fr', 'ZOE.Martin@Example.FR', 'lea+news@example.ca'),
  phone: fc.constantFrom('+33612345678', '06 12 34 56 78', '+1 514 555 0100'),
  locale: fc.constantFrom('fr', 'en', 'fr-CA', 'en-CA'),
  timezone: fc.constantFrom('Europe/Paris', 'America/Montreal', 'UTC'),
  country: fc.constantFrom('FR', 'CA', 'France', 'Belgique'),
  address: fc.constantFrom('zoe@example.fr', '+33612345678'),
  topic: fc.constantFrom('fuzz', 'links-news'),
};

function valid(schema: Schema, ctx: Context, depth: number, hostile: boolean, name?: string): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (schema.$ref) return valid(resolve(schema.$ref, ctx.doc), ctx, depth + 1, hostile, name);
  const generated = byType(schema, ctx, depth, hostile);
  const hinted = name && HINTS[name] && schema.type !== 'object' ? fc.oneof(HINTS[name], generated) : generated;
  return schema.example === undefined ? hinted : fc.oneof({ weight: 2, arbitrary: hinted }, { weight: 1, arbitrary: fc.constant(schema.example) });
}

function byType(schema: Schema, ctx: Context, depth: number, hostile: boolean): fc.Arbitrary<unknown> {
  const child = (s: Schema | undefined, name?: string) =>
    hostile ? fc.oneof({ weight: 9, arbitrary: valid(s ?? {}, ctx, depth + 1, true, name) }, { weight: 1, arbitrary: hostileLeaf }) : valid(s ?? {}, ctx, depth + 1, false, name);
  const branches = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (branches) return fc.oneof(...branches.map((b: Schema) => child(b)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => byType({ ...schema, type }, ctx, depth, hostile)));
  switch (schema.type) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'integer': return integer(schema, ctx, hostile);
    case 'number': return number(schema);
    case 'string': return string(schema, hostile);
    case 'array': {
      const min = schema.minItems ?? 0;
      return fc.array(child(schema.items), { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object': return object(schema, child);
    default: return schema.properties ? object(schema, child) : fc.jsonValue({ maxDepth: 3 });
  }
}

function integer(schema: Schema, ctx: Context, hostile: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000_000);
  const edges = hostile ? fc.constantFrom(min, max, min - 1, max + 1) : fc.constantFrom(min, max);
  // A positive integer with no upper bound is an id: mostly one that exists.
  if (min === 1 && schema.maximum === undefined) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ctx.ids) }, fc.integer({ min, max }), edges);
  return fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max }) }, edges);
}

function number(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  return fc.double({ noNaN: true, noDefaultInfinity: true, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
}

const OFFSETS = ['Z', '+00:00', '+01:00', '-05:00', '+05:30', '+14:00', '-14:00'];

/** An instant within 1900–9999 UTC, written in one of several offsets. */
const dateTime = fc
  .tuple(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom(...OFFSETS))
  .map(([at, offset]) => {
    if (offset === 'Z') return at.toISOString();
    const minutes = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
    const local = new Date(at.getTime() + minutes * 60_000).toISOString();
    return local.startsWith('+') || local.startsWith('-') ? at.toISOString() : local.slice(0, -1) + offset;
  });

function string(schema: Schema, hostile: boolean): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return hostile ? fc.oneof({ weight: 3, arbitrary: dateTime }, fc.constantFrom(...badDates)) : dateTime;
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const edges = max === undefined ? [] : hostile ? [fc.constant('x'.repeat(max)), fc.constant('é'.repeat(max + 1))] : [fc.constant('x'.repeat(max))];
  if (schema.pattern) {
    const matching = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && (max === undefined || s.length <= max));
    return fc.oneof({ weight: 4, arbitrary: matching }, ...edges);
  }
  return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max ?? 24, 24)) }) }, ...edges);
}

function object(schema: Schema, child: (s: Schema | undefined, name?: string) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = (schema.required ?? []).filter((k: string) => k in properties);
  // Each optional field half the time: fields that exclude each other (contact_id, email) then often come alone.
  const fields = Object.entries(properties).map(([k, s]) => {
    const value = child(s, k);
    return required.includes(k) ? value.map((v) => [[k, v]]) : fc.option(value.map((v) => [[k, v]]), { nil: [], freq: 2 });
  });
  const known = fc.tuple(...fields).map((pairs) => Object.fromEntries(pairs.flat() as Array<[string, unknown]>));
  const extra = schema.additionalProperties && typeof schema.additionalProperties === 'object'
    ? fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), child(schema.additionalProperties), { maxKeys: 4 })
    : fc.constant({});
  return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
}

function resolve(ref: string, doc: OpenApiDoc): Schema {
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  const found = name ? doc.components?.schemas?.[name] : undefined;
  if (!found) throw new Error(`cannot resolve ${ref}`);
  return found;
}

/** Cells for a CSV file: ordinary values, values the JSON API would refuse, and quoting that goes wrong. */
const csvCell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a@example.fr', '+33612345678', 'Zoé', 'FR', 'France', 'fr-CA', '17/05/1990', '1 254,50', 'oui', 'newsletter', '') },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom('"', '"a""b"', '"unterminated', 'a\nb', 'a\r\nb', ';', ',', '\t', '=cmd()') },
);
const csvHeader = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('email', 'phone', 'external_id', 'first_name', 'city', 'country', 'email_topics', 'Date de naissance', 'id', 'contact_id', 'vip') },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf') },
  { weight: 1, arbitrary: hostileString },
);

export const csvBody: fc.Arbitrary<string> = fc
  .tuple(fc.array(csvHeader, { minLength: 1, maxLength: 5 }), fc.array(fc.array(csvCell, { minLength: 0, maxLength: 6 }), { maxLength: 6 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'))
  .map(([header, rows, sep, eol]) => [header, ...rows].map((r) => r.join(sep)).join(eol));

/** A body for the operation: of its schema (JSON or CSV), any JSON, or not JSON at all. */
function bodyOf(route: Route, ctx: Context): fc.Arbitrary<FuzzRequest['body']> {
  const content = route.operation.requestBody?.content ?? {};
  const json = (v: unknown) => ({ type: 'application/json', text: JSON.stringify(v) ?? 'null' });
  const anyJson = fc.jsonValue({ maxDepth: 4 }).map(json);
  const raw = hostileRawBody.map((text) => ({ type: 'application/json', text }));
  if (content['application/json']) {
    const schema = content['application/json'].schema;
    const seeds = [...(ctx.seeds?.(`${route.method} ${route.path}`) ?? []), ...('example' in content['application/json'] ? [(content['application/json'] as Schema).example] : [])];
    const base = seeds.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...seeds) }, { weight: 1, arbitrary: clean(schema, ctx) }) : clean(schema, ctx);
    return fc.oneof(
      { weight: 6, arbitrary: oneFault(base).map(json) },
      { weight: 2, arbitrary: base.map(json) },
      { weight: 2, arbitrary: shaped(schema, ctx).map(json) },
      { weight: 1, arbitrary: anyJson },
      { weight: 1, arbitrary: raw },
    );
  }
  if (route.method === 'GET' || route.method === 'HEAD') return fc.constant(undefined);
  const [type] = Object.keys(content);
  if (type) return fc.oneof({ weight: 8, arbitrary: csvBody.map((text) => ({ type, text })) }, { weight: 1, arbitrary: hostileRawBody.map((text) => ({ type, text })) }, { weight: 1, arbitrary: anyJson });
  // No body documented: mostly none, sometimes one anyway.
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, anyJson, raw);
}

/** Text for a query or path value, whatever the schema says it holds. */
export const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

function queryOf(route: Route, ctx: Context): fc.Arbitrary<Array<[string, string]>> {
  const params = (route.operation.parameters ?? []).filter((p) => p.in === 'query');
  const each = params.map((p) => {
    if (p.style === 'deepObject') {
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), hostileString), shaped(p.schema?.additionalProperties, ctx).map(asText), { maxKeys: 3 })
        .map((d) => Object.entries(d).map(([k, v]): [string, string] => [`${p.name}[${k}]`, v]));
    }
    return fc.option(shaped(p.schema, ctx).map((v): Array<[string, string]> => [[p.name, asText(v)]]), { nil: [] as Array<[string, string]>, freq: 2 });
  });
  // And, now and then, a parameter the route does not have.
  const stray = fc.oneof(
    { weight: 7, arbitrary: fc.constant<Array<[string, string]>>([]) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), hostileKey), hostileString).map((kv): Array<[string, string]> => [kv]) },
  );
  return fc.tuple(stray, ...each).map((lists) => lists.flat());
}

function pathOf(route: Route, ctx: Context): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const segments = names.map((name) => {
    const before = route.path.split(`{${name}}`)[0].split('/').filter(Boolean).at(-1) ?? '';
    const param = route.operation.parameters?.find((p) => p.in === 'path' && p.name === name);
    const ids = ctx.pathIds(before);
    const own = name === 'id' && ids.length ? fc.constantFrom(...ids.map(String)) : valid(param?.schema ?? { type: 'string' }, ctx, 0, false).map(asText).map((s) => encodeURIComponent(s.replace(/\p{Surrogate}/gu, '\ufffd')));
    return fc.oneof({ weight: 6, arbitrary: own }, { weight: 1, arbitrary: hostilePathSegment });
  });
  return fc.tuple(...segments).map((values) => names.reduce((path, name, i) => path.replace(`{${name}}`, values[i]), route.path));
}

export function requestOf(route: Route, ctx: Context): fc.Arbitrary<FuzzRequest> {
  return fc.record({ path: pathOf(route, ctx), query: queryOf(route, ctx), body: bodyOf(route, ctx) }).map(({ path, query, body }) => {
    const qs = new URLSearchParams(query).toString();
    return { method: route.method, url: qs ? `${path}?${qs}` : path, ...(body ? { body } : {}) };
  });
}
