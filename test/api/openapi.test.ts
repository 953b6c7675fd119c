// The OpenAPI document is complete, computed from the document itself: every operation says what it does, every JSON
// body and 2xx JSON response shows an example, and every example validates against its schema, both as the JSON
// Schema the document publishes (ajv) and as the route's own zod schema (refinements included).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from '@hono/zod-openapi';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

type Json = Record<string, any>;
type Operation = { method: string; path: string; op: Json };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const PUBLIC_PATHS = ['/health', '/u/{token}', '/p/{token}', '/c/{token}', '/webhooks/ses', '/webhooks/sms'];
const isJson = (mediaType: string) => /^application\/([\w.-]+\+)?json$/.test(mediaType);
// Where a JSON Schema keeps its subschemas: one, a list of them, or a map of them by name.
const SUBSCHEMA = ['items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];

let t: TestApp;
let doc: Json;
beforeAll(async () => {
  t = await createTestApp();
  const res = await t.json('GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => t.close());

function operations(d: Json): Operation[] {
  return Object.entries(d.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Json)[m]).map((method) => ({ method, path, op: (item as Json)[method] })));
}

const resolve = (d: Json, schema: Json | undefined): Json | undefined => {
  const ref = schema?.$ref as string | undefined;
  return ref?.startsWith('#/') ? resolve(d, ref.slice(2).split('/').reduce((node: Json, key) => node?.[key], d)) : schema;
};

/** The example a reader sees for a media type: its own, else its schema's (through a $ref). */
function exampleOf(d: Json, media: Json): { found: boolean; value?: unknown } {
  if (media.example !== undefined) return { found: true, value: media.example };
  const named = Object.values(media.examples ?? {}) as Json[];
  if (named.length) return { found: true, value: resolve(d, named[0])?.value };
  const schema = resolve(d, media.schema);
  if (schema?.example !== undefined) return { found: true, value: schema.example };
  if (Array.isArray(schema?.examples) && schema.examples.length) return { found: true, value: schema.examples[0] };
  return { found: false };
}

/** The JSON request body and 2xx JSON responses of an operation, each with where it is. */
function jsonMedia(d: Json, op: Operation): Array<{ where: string; media: Json }> {
  const name = `${op.method.toUpperCase()} ${op.path}`;
  const body = Object.entries(op.op.requestBody?.content ?? {}).filter(([type]) => isJson(type))
    .map(([type, media]) => ({ where: `${name} request ${type}`, media: media as Json }));
  const responses = Object.entries(op.op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status))
    .flatMap(([status, response]) => Object.entries(resolve(d, response as Json)?.content ?? {}).filter(([type]) => isJson(type))
      .map(([type, media]) => ({ where: `${name} ${status} ${type}`, media: media as Json })));
  return [...body, ...responses];
}

/** The JSON bodies and 2xx JSON responses that show no example. */
function missingExamples(d: Json): string[] {
  return operations(d).flatMap((op) => jsonMedia(d, op).filter(({ media }) => !exampleOf(d, media).found).map(({ where }) => where));
}

/** Every example in the document (media types, parameters, schemas at any depth) with the schema it must satisfy. */
function examples(d: Json): Array<{ where: string; schema: Json; value: unknown }> {
  const found: Array<{ where: string; schema: Json; value: unknown }> = [];
  const inSchema = (schema: Json | undefined, where: string) => {
    if (!schema || typeof schema !== 'object') return;
    if (schema.example !== undefined) found.push({ where, schema, value: schema.example });
    const listed: unknown[] = Array.isArray(schema.examples) ? schema.examples : [];
    listed.forEach((value, i) => found.push({ where: `${where} examples[${i}]`, schema, value }));
    for (const key of SUBSCHEMA) inSchema(schema[key], `${where}.${key}`);
    for (const key of SUBSCHEMA_LISTS) (schema[key] ?? []).forEach((s: Json, i: number) => inSchema(s, `${where}.${key}[${i}]`));
    for (const key of SUBSCHEMA_MAPS) for (const [name, s] of Object.entries(schema[key] ?? {})) inSchema(s as Json, `${where}.${name}`);
  };
  const withSchema = (holder: Json, where: string) => {
    const schema = holder.schema ?? {};
    if (holder.example !== undefined) found.push({ where, schema, value: holder.example });
    for (const [name, e] of Object.entries(holder.examples ?? {})) {
      found.push({ where: `${where} examples.${name}`, schema, value: resolve(d, e as Json)?.value });
    }
    inSchema(holder.schema, `${where} schema`);
  };
  for (const [name, schema] of Object.entries(d.components?.schemas ?? {})) inSchema(schema as Json, `#/components/schemas/${name}`);
  for (const op of operations(d)) {
    const name = `${op.method.toUpperCase()} ${op.path}`;
    for (const p of op.op.parameters ?? []) withSchema(resolve(d, p)!, `${name} parameter ${p.in} ${p.name}`);
    for (const [type, media] of Object.entries(op.op.requestBody?.content ?? {})) withSchema(media as Json, `${name} request ${type}`);
    for (const [status, response] of Object.entries(op.op.responses ?? {})) {
      const content = resolve(d, response as Json)?.content ?? {};
      for (const [type, media] of Object.entries(content)) withSchema(media as Json, `${name} ${status} ${type}`);
    }
  }
  return found;
}

/** Checks each example with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses); returns one line per failure. */
function invalidExamples(d: Json): string[] {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword('example');
  // Component references become references into one schema holding every component.
  const toDefs = (node: unknown) => JSON.parse(JSON.stringify(node).replaceAll('"#/components/schemas/', '"components.json#/$defs/'));
  ajv.addSchema({ $id: 'components.json', $defs: toDefs(d.components?.schemas ?? {}) });
  return examples(d).flatMap(({ where, schema, value }) => {
    const validate = ajv.compile(toDefs(schema));
    return validate(value) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`];
  });
}

/** Every route contract in src (`*.routes.ts`, and the health route), by method and path. */
async function routeContracts(): Promise<Map<string, Json>> {
  const src = join(import.meta.dirname, '../../src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.routes.ts') || f === join('http', 'health.ts'));
  const routes = new Map<string, Json>();
  for (const file of files) {
    for (const value of Object.values(await import(join(src, file)))) {
      for (const route of Array.isArray(value) ? value : [value]) {
        if (route && typeof route === 'object' && typeof route.method === 'string' && typeof route.path === 'string' && route.responses) {
          routes.set(`${route.method} ${route.path}`, route);
        }
      }
    }
  }
  return routes;
}

describe('the OpenAPI document', () => {
  it('lists the public pages, the webhooks and /health', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(PUBLIC_PATHS));
  });

  it('gives every operation a short summary and a description', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(50);
    const missing = ops.flatMap(({ method, path, op }) => {
      const name = `${method.toUpperCase()} ${path}`;
      const summary = typeof op.summary === 'string' ? op.summary.trim() : '';
      const description = typeof op.description === 'string' ? op.description.trim() : '';
      return [
        ...(summary ? [] : [`${name}: no summary`]),
        ...(summary.length > 80 ? [`${name}: summary over 80 characters (put the detail in the description)`] : []),
        ...(summary.endsWith('.') ? [`${name}: summary ends with a full stop`] : []),
        ...(description ? [] : [`${name}: no description`]),
        ...(description && description === summary ? [`${name}: description repeats the summary`] : []),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('has unique operation ids, where they are set', () => {
    const ids = operations(doc).flatMap(({ op }) => (op.operationId ? [op.operationId] : []));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('shows an example for every JSON request body and every 2xx JSON response', () => {
    expect(missingExamples(doc)).toEqual([]);
  });

  it('has only examples that validate against their JSON Schema', () => {
    expect(examples(doc).length).toBeGreaterThan(100);
    expect(invalidExamples(doc)).toEqual([]);
  });

  it('has JSON examples that the routes’ own zod schemas accept', async () => {
    const routes = await routeContracts();
    const problems: string[] = [];
    let checked = 0;
    for (const op of operations(doc)) {
      const route = routes.get(`${op.method} ${op.path}`) ?? routes.get(`${op.method} ${op.path.replace(/^\/v1\//, '/')}`);
      if (!route) {
        problems.push(`${op.method.toUpperCase()} ${op.path}: no route contract found in src/**/*.routes.ts`);
        continue;
      }
      const contents: Array<[string, Json | undefined, Json | undefined]> = [
        ['request', op.op.requestBody?.content, route.request?.body?.content],
        ...Object.entries(op.op.responses ?? {}).map(([status, r]): [string, Json | undefined, Json | undefined] => [
          status, (r as Json).content, route.responses[status]?.content,
        ]),
      ];
      for (const [where, published, declared] of contents) {
        for (const [type, media] of Object.entries(published ?? {})) {
          const { found, value } = exampleOf(doc, media as Json);
          const schema = declared?.[type]?.schema as z.ZodType | undefined;
          if (!found || !schema?.safeParse) continue;
          checked++;
          const result = schema.safeParse(value);
          if (!result.success) problems.push(`${op.method.toUpperCase()} ${op.path} ${where} ${type}: ${JSON.stringify(result.error.issues)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('would catch a missing example and an example that breaks its schema', () => {
    const broken = {
      paths: {
        '/x': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } },
            responses: { 200: { content: { 'application/json': { schema: { type: 'object' } } } } },
          },
        },
      },
      components: { schemas: { X: { type: 'object', properties: { n: { type: 'integer', example: 'one' } }, example: { n: 1.5 } } } },
    };
    expect(missingExamples(broken)).toEqual(['POST /x 200 application/json']);
    expect(invalidExamples(broken)).toHaveLength(2);
  });
});
