import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter, fieldProblems } from './app-env.js';

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
    const lone = await post({ n: 1, s: 'a\ud800' });
    expect(lone.status).toBe(422);
    expect((await lone.json()).error.details).toEqual([{ field: 's', message: 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)' }]);
    expect((await post({ n: 1, s: 'fine' })).status).toBe(200);
  });
});
