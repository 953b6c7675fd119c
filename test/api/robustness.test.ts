// Every write route with malformed input, checked exactly: always a 4xx with {error: {code, message}} naming the field,
// never a 500 or a 2xx. fuzz.test.ts generates requests for every route of the OpenAPI document beyond these.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const ids = { contact: 0, template: 0, list: 0, campaign: 0, key: 0 };

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.json('POST', '/v1/topics', { key: 'fuzz', name: 'Fuzz' })).status).toBe(201);
  ids.contact = (await t.json('POST', '/v1/contacts', { email: 'fuzz@example.fr' })).body.id;
  ids.template = (await t.json('POST', '/v1/templates', { name: 'T', channel: 'sms', text: 'Hi {{first_name}}' })).body.id;
  ids.list = (await t.json('POST', '/v1/lists', { name: 'L' })).body.id;
  ids.campaign = (await t.json('POST', '/v1/campaigns', {
    name: 'C', channel: 'sms', template_id: ids.template, topic: 'fuzz', audience: { all: true },
  })).body.id;
  ids.key = (await t.json('POST', '/v1/api-keys', { name: 'K', role: 'analyst' })).body.id;
  for (const id of Object.values(ids)) expect(id).toBeGreaterThan(0);
});
afterAll(() => t.close());

type Kind = 'string' | 'nullable-string' | 'id' | 'enum' | 'object' | 'array' | 'id-array' | 'number' | 'record';

interface Route {
  method: string;
  path: () => string;
  /** A body that succeeds, to mutate one field at a time. */
  valid: () => Record<string, unknown>;
  /** Each field and what it is, to choose wrong values for it. */
  fields: Record<string, Kind>;
  required: string[];
  /** Whether `{}` is a valid body (a PATCH). */
  emptyOk?: boolean;
  /** Free-form JSON fields, where deep nesting must still be refused. */
  freeform?: string[];
}

const routes: Route[] = [
  {
    method: 'POST', path: () => '/v1/contacts', valid: () => ({ email: 'valid@example.fr', first_name: 'Zoé' }), required: [],
    fields: {
      email: 'nullable-string', phone: 'nullable-string', external_id: 'nullable-string', first_name: 'nullable-string',
      last_name: 'nullable-string', locale: 'nullable-string', timezone: 'nullable-string', address: 'object', attributes: 'record',
      subscriptions: 'array',
    },
  },
  {
    method: 'PATCH', path: () => `/v1/contacts/${ids.contact}`, valid: () => ({ first_name: 'Fuzz', address: { city: 'Paris' } }), required: [], emptyOk: true,
    fields: { email: 'nullable-string', first_name: 'nullable-string', address: 'object', attributes: 'record', subscriptions: 'array' },
  },
  { method: 'PUT', path: () => '/v1/attributes/fuzz_attr', valid: () => ({ type: 'text' }), required: ['type'], fields: { type: 'enum', values: 'array' } },
  { method: 'POST', path: () => '/v1/topics', valid: () => ({ key: 'fresh', name: 'Fresh' }), required: ['key', 'name'], fields: { key: 'string', name: 'string' } },
  {
    method: 'POST', path: () => '/v1/events', valid: () => ({ contact_id: ids.contact, type: 'purchase', properties: { note: 'x', tags: ['a'] } }), required: ['type'],
    fields: { contact_id: 'id', type: 'string', value: 'number', occurred_at: 'string', properties: 'record', idempotency_key: 'string' },
    freeform: ['properties'],
  },
  {
    method: 'POST', path: () => '/v1/templates', valid: () => ({ name: 'T', channel: 'sms', text: 'Hello' }), required: ['name', 'channel'],
    fields: { name: 'string', channel: 'enum', text: 'string', subject: 'string', mjml: 'string', preheader: 'string' },
  },
  {
    method: 'PUT', path: () => `/v1/templates/${ids.template}`, valid: () => ({ name: 'T2', channel: 'sms', text: 'Hello' }), required: ['name', 'channel'],
    fields: { name: 'string', channel: 'enum', text: 'string' },
  },
  {
    method: 'POST', path: () => `/v1/templates/${ids.template}/preview`, valid: () => ({ contact_id: ids.contact }), required: [],
    fields: { contact_id: 'id' },
  },
  {
    method: 'POST', path: () => `/v1/templates/${ids.template}/preview`, valid: () => ({ data: { first_name: 'Zoé' } }), required: [],
    fields: { data: 'record' }, freeform: ['data'],
  },
  {
    method: 'POST', path: () => '/v1/campaigns',
    valid: () => ({ name: 'C', channel: 'sms', template_id: ids.template, topic: 'fuzz', audience: { all: true } }),
    required: ['name', 'channel', 'template_id', 'topic', 'audience'],
    fields: { name: 'string', channel: 'enum', template_id: 'id', topic: 'string', audience: 'object' },
  },
  { method: 'POST', path: () => '/v1/lists', valid: () => ({ name: 'L' }), required: ['name'], fields: { name: 'string' } },
  {
    method: 'POST', path: () => `/v1/lists/${ids.list}/members`, valid: () => ({ contact_ids: [ids.contact] }), required: ['contact_ids'],
    fields: { contact_ids: 'id-array' },
  },
  { method: 'POST', path: () => '/v1/api-keys', valid: () => ({ name: 'K', role: 'analyst' }), required: ['name', 'role'], fields: { name: 'string', role: 'enum' } },
];

const HUGE = 'x'.repeat(1_000_001);

function wrongValues(kind: Kind): Array<[string, unknown]> {
  const common: Array<[string, unknown]> = [['an array', []], ['a nested object', { a: { b: { c: 1 } } }]];
  switch (kind) {
    case 'string':
      return [['a number', 123], ['a boolean', true], ['null', null], ['a huge string', HUGE], ...common];
    case 'nullable-string':
      return [['a number', 123], ['a boolean', false], ['a huge string', HUGE], ...common];
    case 'enum':
      return [['an unknown value', 'no-such-value'], ['an empty string', ''], ['a number', 1], ['null', null], ['a huge string', HUGE], ...common];
    case 'id':
      return [
        ['a numeric string', '1'], ['zero', 0], ['a negative number', -1], ['a float', 1.5], ['2^53 + 2', 2 ** 53 + 2],
        ['1e300', 1e300], ['a boolean', true], ['null', null], ['a word', 'abc'], ...common,
      ];
    case 'id-array':
      return [['a number', 1], ['a string', '1'], ['an empty array', []], ['strings', ['1']], ['zeros', [0]], ['floats', [1.5]], ['negatives', [-3]], ['null', null], ['an object', {}]];
    case 'number':
      return [['a numeric string', '1'], ['a boolean', true], ...common];
    case 'object':
      return [['a string', 'x'], ['a number', 1], ['an array', []], ['a boolean', true]];
    case 'array':
      return [['a string', 'x'], ['a number', 1], ['an object', {}], ['a boolean', true], ['a huge array', Array.from({ length: 10_001 }, () => 'x')]];
    case 'record':
      return [['a string', 'x'], ['a number', 1], ['an array', [1]], ['a boolean', true]];
  }
}

/** A bracket-nested JSON value `depth` levels deep, written as text (JSON.stringify would overflow first). */
const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

async function send(method: string, path: string, body: string | undefined, contentType: string | null = 'application/json') {
  const headers: Record<string, string> = { authorization: `Bearer ${t.keys.admin}` };
  if (contentType) headers['content-type'] = contentType;
  const res = await t.app.request(path, { method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

function expectClientError(res: Awaited<ReturnType<typeof send>>, label: string) {
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.type, label).toMatch(/^application\/json/);
  expect(typeof res.json?.error?.code, label).toBe('string');
  expect(typeof res.json?.error?.message, label).toBe('string');
  expect(res.json.error.message.length, label).toBeGreaterThan(0);
  if (res.status === 422 && res.json.error.code === 'validation_failed') {
    expect(Array.isArray(res.json.error.details), label).toBe(true);
    for (const d of res.json.error.details) {
      expect(typeof d.field, label).toBe('string');
      expect(typeof d.message, label).toBe('string');
    }
  }
}

const fieldsOf = (res: Awaited<ReturnType<typeof send>>): string[] => (res.json?.error?.details ?? []).map((d: any) => d.field);
const label = (r: Route) => `${r.method} ${r.path().replace(/\/\d+/g, '/{id}')}${r.valid().data ? ' (data)' : ''}`;

describe('baseline: each valid body succeeds (so the failures below are the mutation’s doing)', () => {
  for (const r of routes) {
    it(label(r), async () => {
      const res = await send(r.method, r.path(), JSON.stringify(r.valid()));
      expect(res.status, res.text).toBeGreaterThanOrEqual(200);
      expect(res.status, res.text).toBeLessThan(300);
    });
  }
});

describe('malformed bodies', () => {
  const bodies: Array<[string, string | undefined]> = [
    ['invalid JSON', '{"name": '],
    ['single quotes', "{'name': 'x'}"],
    ['a trailing comma', '{"name": "x",}'],
    ['NaN', 'NaN'],
    ['an empty body', ''],
    ['no body', undefined],
    ['a JSON array', '[]'],
    ['an array of the valid body', 'VALID_IN_ARRAY'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['true', 'true'],
    ['an empty object', '{}'],
    ['a deeply nested object', deepJson(10_000)],
    ['the valid body plus __proto__', 'VALID+{"__proto__": {"admin": true}}'],
    ['only __proto__', '{"__proto__": {"admin": true}}'],
    ['the valid body plus constructor.prototype', 'VALID+{"constructor": {"prototype": {"polluted": true}}}'],
    ['the valid body plus an unknown field', 'VALID+{"unknown_field": 1}'],
    ['the valid body plus a deeply nested unknown field', `VALID+{"nested": ${deepJson(5_000)}}`],
    ['the valid body twice over (duplicate keys, last wins) with a bad last value', 'VALID+DUPLICATE'],
  ];
  for (const r of routes) {
    for (const [what, raw] of bodies) {
      if (what === 'an empty object' && r.emptyOk) continue;
      it(`${label(r)} with ${what}`, async () => {
        const valid = JSON.stringify(r.valid());
        let body = raw;
        if (raw === 'VALID_IN_ARRAY') body = `[${valid}]`;
        else if (raw === 'VALID+DUPLICATE') {
          const [first] = Object.keys(r.valid());
          body = `${valid.slice(0, -1)}, ${JSON.stringify(first)}: [[[]]]}`;
        } else if (raw?.startsWith('VALID+')) body = `${valid.slice(0, -1)}, ${raw.slice('VALID+{'.length)}`;
        const res = await send(r.method, r.path(), body);
        expectClientError(res, what);
        if (what.includes('unknown field')) expect(fieldsOf(res)).toContain(what.includes('nested') ? 'nested' : 'unknown_field');
        if (what.includes('__proto__') && res.status === 422) expect(fieldsOf(res)).toContain('__proto__');
        if (what.includes('constructor')) expect(fieldsOf(res)).toContain('constructor');
      });
    }
    it(`${label(r)} as text/plain is 415`, async () => {
      const res = await send(r.method, r.path(), JSON.stringify(r.valid()), 'text/plain');
      expect(res.status).toBe(415);
      expectClientError(res, 'text/plain');
    });
    it(`${label(r)} as a form is 415`, async () => {
      const res = await send(r.method, r.path(), 'name=x', 'application/x-www-form-urlencoded');
      expect(res.status).toBe(415);
      expectClientError(res, 'form');
    });
  }

  it('left no prototype polluted', () => {
    expect(({} as any).admin).toBeUndefined();
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'admin')).toBe(false);
  });
});

describe('one wrong field at a time: 422 naming that field', () => {
  for (const r of routes) {
    for (const [field, kind] of Object.entries(r.fields)) {
      for (const [what, value] of wrongValues(kind)) {
        it(`${label(r)}: ${field} as ${what}`, async () => {
          const res = await send(r.method, r.path(), JSON.stringify({ ...r.valid(), [field]: value }));
          expectClientError(res, `${field} as ${what}`);
          expect(res.status).toBe(422);
          expect(fieldsOf(res).some((f) => f === field || f.startsWith(`${field}.`)), `${field}: ${res.text.slice(0, 300)}`).toBe(true);
        });
      }
    }
    for (const field of r.required) {
      it(`${label(r)}: without ${field}`, async () => {
        const body = r.valid();
        delete body[field];
        const res = await send(r.method, r.path(), JSON.stringify(body));
        expect(res.status).toBe(422);
        expect(fieldsOf(res)).toContain(field);
      });
    }
    for (const field of r.freeform ?? []) {
      it(`${label(r)}: ${field} nested 100 levels deep`, async () => {
        const valid = JSON.stringify(r.valid());
        const res = await send(r.method, r.path(), `${valid.slice(0, -1)}, ${JSON.stringify(field)}: ${deepJson(100)}}`);
        expect(res.status, res.text.slice(0, 300)).toBe(422);
        expect(fieldsOf(res)[0]).toMatch(new RegExp(`^${field}(\\.a)+$`));
      });
    }
    // Generated from the valid body, not listed: every text in it, with a character PostgreSQL refuses spliced in.
    for (const path of textPaths(r.valid())) {
      for (const [what, bad] of [['a NUL character', '\u0000'], ['a lone surrogate', '\ud800']]) {
        it(`${label(r)}: ${what} in ${path.join('.')} is 422 naming it`, async () => {
          const res = await send(r.method, r.path(), JSON.stringify(spliced(r.valid(), path, bad)));
          expectClientError(res, what);
          expect(res.status).toBe(422);
          expect(fieldsOf(res), res.text).toContain(path.join('.'));
        });
      }
    }
  }
});

/** The path of every string in a JSON value. */
function textPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => textPaths(v, [...path, k]));
}

/** A copy of `value` with `bad` in the middle of the string at `path`. */
function spliced(value: any, path: string[], bad: string): unknown {
  if (!path.length) return `${value.slice(0, 1)}${bad}${value.slice(1)}`;
  const [head, ...rest] = path;
  return Array.isArray(value) ? value.map((v, i) => (String(i) === head ? spliced(v, rest, bad) : v)) : { ...value, [head]: spliced(value[head], rest, bad) };
}

describe('ids in paths', () => {
  const idRoutes: Array<[string, (id: string) => string, (() => unknown) | undefined]> = [
    ['GET', (id) => `/v1/contacts/${id}`, undefined],
    ['PATCH', (id) => `/v1/contacts/${id}`, () => ({ first_name: 'X' })],
    ['DELETE', (id) => `/v1/contacts/${id}`, undefined],
    ['GET', (id) => `/v1/templates/${id}`, undefined],
    ['PUT', (id) => `/v1/templates/${id}`, () => ({ name: 'T', channel: 'sms', text: 'Hi' })],
    ['DELETE', (id) => `/v1/templates/${id}`, undefined],
    ['POST', (id) => `/v1/templates/${id}/preview`, () => ({ data: {} })],
    ['GET', (id) => `/v1/campaigns/${id}`, undefined],
    ['POST', (id) => `/v1/campaigns/${id}/launch`, undefined],
    ['POST', (id) => `/v1/campaigns/${id}/cancel`, undefined],
    ['GET', (id) => `/v1/lists/${id}`, undefined],
    ['POST', (id) => `/v1/lists/${id}/members`, () => ({ contact_ids: [1] })],
    ['DELETE', (id) => `/v1/api-keys/${id}`, undefined],
  ];
  // Each is refused by validation: 422 naming id.
  const invalid = ['0', '-1', '-0', '1.5', 'abc', 'NaN', 'Infinity', '9007199254740992', '9007199254740993', '99999999999999999999', '1e400', '%20', '1%00',
    '0x10', '1e3', '%201', '+1', '1_000', '0b1'];
  // Each is a number no row has: 404.
  const absent = ['9007199254740991', '123456789'];
  for (const [method, path, body] of idRoutes) {
    for (const id of invalid) {
      it(`${method} ${path('{id}')} with id ${id} is 422`, async () => {
        const res = await send(method, path(id), body ? JSON.stringify(body()) : undefined);
        expectClientError(res, id);
        expect(res.status).toBe(422);
        expect(fieldsOf(res)).toContain('id');
      });
    }
    for (const id of absent) {
      it(`${method} ${path('{id}')} with id ${id} is 404`, async () => {
        const res = await send(method, path(id), body ? JSON.stringify(body()) : undefined);
        expectClientError(res, id);
        expect(res.status).toBe(404);
      });
    }
  }

  it('attribute names in the path are checked', async () => {
    for (const name of ['Bad-Name', '1abc', 'a'.repeat(64), '%00', 'é']) {
      const res = await send('PUT', `/v1/attributes/${name}`, JSON.stringify({ type: 'text' }));
      expectClientError(res, name);
      expect(res.status, name).toBe(422);
      expect(fieldsOf(res), name).toEqual(['name']);
    }
  });
});

describe('query strings', () => {
  for (const path of ['/v1/contacts', '/v1/templates', '/v1/campaigns', '/v1/lists']) {
    for (const [query, field] of [
      ['limit=0', 'limit'], ['limit=-1', 'limit'], ['limit=1.5', 'limit'], ['limit=abc', 'limit'], ['limit=501', 'limit'],
      ['limit=1e400', 'limit'], ['cursor=garbage', 'cursor'], ['cursor=', 'cursor'], [`cursor=${btoa('id:abc')}`, 'cursor'],
    ]) {
      it(`GET ${path}?${query} is 422 naming ${field}`, async () => {
        const res = await send('GET', `${path}?${query}`, undefined, null);
        expectClientError(res, query);
        expect(res.status).toBe(422);
        expect(fieldsOf(res)).toEqual([field]);
      });
    }
  }
  it('a NUL in a contact search is 422, not a database error', async () => {
    for (const q of ['q=a%00b', 'email=a%00b', 'external_id=%00', 'topic=%00']) {
      const res = await send('GET', `/v1/contacts?${q}`, undefined, null);
      expectClientError(res, q);
      expect(res.status, q).toBe(422);
    }
  });
});

describe('nothing invalid was saved', () => {
  it('only the baseline’s rows exist', async () => {
    const count = async (table: 'lists' | 'topics' | 'campaigns' | 'api_keys' | 'events') =>
      Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // Setup made 1 list, 1 topic, 1 campaign, 4 keys (3 + 1); the baseline 1 more of each kind and 1 event.
    expect(await count('lists')).toBe(2);
    expect(await count('topics')).toBe(2);
    expect(await count('campaigns')).toBe(2);
    expect(await count('api_keys')).toBe(5);
    expect(await count('events')).toBe(1);
  });
});
