// Structured logs: one JSON line per request (method, route pattern, status, duration) and one per error, with no
// bodies, parameters or personal data, even when a database error quotes the row it choked on.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, describeError, redactMessage, type LogLevel } from '../../src/http/log.js';
import { createTestApp, type TestApp } from '../support/app.js';

const lines: Array<{ level: LogLevel; entry: Record<string, unknown> }> = [];
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { log: createLogger((level, line) => lines.push({ level, entry: JSON.parse(line) })) });
  // A route that fails the way an unexpected database error does: a duplicate quoting the email it refused.
  t.app.get('/test/duplicate/:email', async (c) => {
    const email = c.req.param('email');
    await sql`insert into contacts (email, first_name) values (${email}, 'Marie')`.execute(t.deps.db);
    await sql`insert into contacts (email, first_name) values (${email}, 'Marie')`.execute(t.deps.db);
    return c.text('unreachable');
  });
});
afterAll(() => t.close());

const PERSONAL = ['marie.dupont@example.fr', 'Marie', '+33612345678', 'Dupont'];

describe('request logs', () => {
  it('writes one line per request with the route pattern, never the path, body or query', async () => {
    lines.length = 0;
    const created = await t.call('POST', '/v1/contacts?x=marie.dupont@example.fr', { email: 'marie.dupont@example.fr', first_name: 'Marie', last_name: 'Dupont', phone: '+33612345678' });
    expect(created.status).toBe(201);
    const id = (await created.json()).id;
    const read = await t.call('GET', `/v1/contacts/${id}`);
    expect(read.status).toBe(200);
    expect(lines.map((l) => [l.level, l.entry.event, l.entry.method, l.entry.route, l.entry.status])).toEqual([
      ['info', 'request', 'POST', '/v1/contacts', 201],
      ['info', 'request', 'GET', '/v1/contacts/:id', 200],
    ]);
    for (const { entry } of lines) {
      expect(Object.keys(entry).sort()).toEqual(['duration_ms', 'event', 'level', 'method', 'request_id', 'route', 'status', 'time']);
      expect(typeof entry.duration_ms).toBe('number');
    }
    expect(lines[1].entry.request_id).toBe(read.headers.get('x-request-id'));
    expect(JSON.stringify(lines)).not.toMatch(new RegExp(PERSONAL.join('|').replace('+', '\\+')));
  });

  it('logs a route no one matched with a null route, and a page link without its token', async () => {
    lines.length = 0;
    await t.call('GET', '/nowhere/secret-token-123');
    await t.app.request('/u/forged.token-456');
    expect(lines.map((l) => [l.entry.route, l.entry.status])).toEqual([[null, 404], ['/u/:token', 404]]);
    expect(JSON.stringify(lines)).not.toMatch(/secret-token-123|token-456/);
  });
});

describe('error logs', () => {
  it('a 500 from the database is logged with its code and constraint, without the values it quoted', async () => {
    lines.length = 0;
    const res = await t.app.request('/test/duplicate/marie.dupont@example.fr');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
    const errors = lines.filter((l) => l.level === 'error').map((l) => l.entry);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ event: 'request failed', method: 'GET', route: '/test/duplicate/:email', code: '23505' });
    expect(String(errors[0].message)).toMatch(/unique constraint/);
    expect(JSON.stringify(lines)).not.toMatch(/marie\.dupont|Marie/);
    // The request line follows, with the same request id.
    const request = lines.find((l) => l.entry.event === 'request')!.entry;
    expect([request.status, request.request_id]).toEqual([500, errors[0].request_id]);
  });

  it('describes an error without its detail, parameters or cause', async () => {
    const err = await sql`select ${'marie.dupont@example.fr'}::int`.execute(t.deps.db).then(() => undefined, (e: unknown) => e);
    const described = describeError(err);
    expect(described.code).toBe('22P02');
    expect(JSON.stringify(described)).not.toContain('marie.dupont');
    expect(redactMessage('Key (email)=(marie.dupont@example.fr) already exists.\nDETAIL: more')).toBe('Key (…)=(…) already exists.');
    expect(redactMessage('call +33 6 12 34 56 78 or write to a.b@c.fr about "Marie"')).toBe('call <number> or write to <email> about "…"');
  });

  it('LOG_LEVEL=error keeps errors and drops request lines; silent drops both', () => {
    const seen: string[] = [];
    const sink = (level: LogLevel, line: string) => seen.push(`${level}:${JSON.parse(line).event}`);
    for (const level of ['info', 'error', 'silent'] as const) {
      const log = createLogger(sink, level);
      log.info('a');
      log.error('b');
    }
    expect(seen).toEqual(['info:a', 'error:b', 'error:b']);
  });
});
