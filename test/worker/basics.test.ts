// The Worker answers like the Node server: health, auth and the OpenAPI document.
import { describe, expect, it } from 'vitest';
import { baseUrl, call, json } from './support.js';

describe('the Worker', () => {
  it('reports its runtime and a reachable PostgreSQL through Hyperdrive', async () => {
    const health = await json('GET', '/health', undefined, { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      runtime: 'worker',
      database: { kind: 'postgres', status: 'ok' },
      transports: { email: 'ses' },
      renderer: 'interpreted',
    });
  });

  it('refuses the API without a key, or with a wrong one', async () => {
    const none = await json('GET', '/v1/contacts', undefined, { key: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect((await call('GET', '/v1/contacts', undefined, { key: 'rk_not-a-real-key' })).status).toBe(401);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const doc = await json('GET', '/openapi.json', undefined, { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.servers).toEqual([{ url: 'https://mail.example.test' }]);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/contacts', '/v1/templates/{id}/preview', '/v1/campaigns/{id}/launch']));
  });

  it('runs the cron handler that resumes sending', async () => {
    // wrangler dev's test route for scheduled(); failures inside waitUntil only show in the Worker's log.
    const res = await fetch(`${baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
    expect(res.status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const missing = await json('GET', '/nowhere', undefined, { key: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
