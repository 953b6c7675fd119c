import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter, fieldProblems, MAX_NESTING, unstorable } from './app-env.js';

const issues = (schema: z.ZodTypeAny, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return fieldProblems(result.error.issues).map((p) => p.path.join('.'));
};

describe('fieldProblems', () => {
  const Event = z.object({ contact_id: z.number().int().positive().optional(), type: z.string(), value: z.number().optional() }).strict();
  const Body = z.union([Event, z.object({ events: z.array(Event).min(1) }).strict()]);

  it('names the field of the union branch that came closest', () => {
    expect(issues(Body, { contact_id: 1, type: 'x', value: 'lots' })).toEqual(['value']);
    expect(issues(Body, { events: [{ type: 'x' }, { type: 7 }] })).toEqual(['events.1.type']);
    expect(issues(Body, { contact_id: -1, type: 'x' })).toEqual(['contact_id']);
    expect(issues(Body, [])).toEqual(['']);
  });

  it('names each unknown key', () => {
    expect(issues(Event, { type: 'x', foo: 1, bar: 2 })).toEqual(['foo', 'bar']);
    expect(issues(z.object({ a: Event }), { a: { type: 'x', zzz: 1 } })).toEqual(['a.zzz']);
  });
});

describe('unstorable', () => {
  it('finds NUL characters in values and keys, wherever they are', () => {
    expect(unstorable({ a: 'ok', b: ['x', 'y\u0000'] })).toEqual({ path: ['b', '1'], message: 'must not contain the NUL character (\\u0000)' });
    expect(unstorable({ p: { 'k\u0000': 1 } })?.path).toEqual(['p', 'k\u0000']);
    expect(unstorable('\u0000')?.path).toEqual([]);
    expect(unstorable({ a: 'fine', n: 1, b: true, z: null, l: ['é', '🚲'] })).toBeUndefined();
  });

  it('refuses nesting beyond the limit and accepts it up to the limit', () => {
    const nest = (depth: number) => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = { a: v };
      return v;
    };
    expect(unstorable(nest(MAX_NESTING))).toBeUndefined();
    expect(unstorable(nest(MAX_NESTING + 1))).toEqual({ path: Array(MAX_NESTING).fill('a'), message: `is nested more than ${MAX_NESTING} levels deep` });
    expect(unstorable(nest(100_000))?.message).toBe(`is nested more than ${MAX_NESTING} levels deep`);
  });
});

describe('createRouter', () => {
  it('answers validation failures with 422 and one detail per field', async () => {
    const app = createRouter();
    const route = createRoute({
      method: 'post', path: '/x',
      request: { body: { content: { 'application/json': { schema: z.object({ n: z.number(), s: z.string().optional() }).strict() } }, required: true } },
      responses: { 200: { content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } }, description: 'ok' } },
    });
    app.openapi(route, (c) => c.json({ ok: true }, 200));
    const post = (body: unknown) => app.request('/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ n: 'one', extra: 1 });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'Invalid json: n, extra',
        details: [
          { field: 'n', message: 'Invalid input: expected number, received string' },
          { field: 'extra', message: 'unknown field "extra"' },
        ],
      },
    });
    const nul = await post({ n: 1, s: 'a\u0000' });
    expect(nul.status).toBe(422);
    expect((await nul.json()).error.details).toEqual([{ field: 's', message: 'must not contain the NUL character (\\u0000)' }]);
    expect((await post({ n: 1, s: 'fine' })).status).toBe(200);
  });
});
