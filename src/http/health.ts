// GET /health: is the database reachable, and which runtime, transports and renderer are in use. Public.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ping } from '../db/transaction.js';
import type { AppEnv } from './app-env.js';
import { exampleResponse } from './examples.js';
import { jsonResponse } from './schemas.js';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    runtime: z.enum(['node', 'worker']),
    database: z.object({ kind: z.enum(['postgres', 'pglite']), status: z.enum(['ok', 'unreachable']) }),
    transports: z.record(z.string(), z.string()).openapi({ description: 'The transport of each sendable channel' }),
    renderer: z.string().openapi({ description: 'compiled (Node) or interpreted (Workers)' }),
  })
  .openapi('Health', {
    example: { status: 'ok', runtime: 'node', database: { kind: 'pglite', status: 'ok' }, transports: { email: 'outbox', sms: 'outbox' }, renderer: 'compiled' },
  });

export const healthRoute = createRoute({
  method: 'get', path: '/health', tags: ['Platform'],
  summary: 'Check the database and see the transports in use',
  description: 'No API key. 200 when the database answers, 503 (status degraded) when it does not, for load balancers and uptime checks.',
  responses: {
    200: jsonResponse(HealthSchema, 'The database answers'),
    503: exampleResponse(HealthSchema, 'The database is unreachable', {
      status: 'degraded', runtime: 'worker', database: { kind: 'postgres', status: 'unreachable' },
      transports: { email: 'ses', sms: 'twilio' }, renderer: 'interpreted',
    }),
  },
});

export function healthRouter() {
  const router = new OpenAPIHono<AppEnv>();
  router.openapi(healthRoute, async (c) => {
    const { db, runtime, transports, renderer } = c.get('deps');
    const up = await ping(db);
    return c.json(
      {
        status: up ? ('ok' as const) : ('degraded' as const),
        runtime: runtime.name,
        database: { kind: runtime.database, status: up ? ('ok' as const) : ('unreachable' as const) },
        transports: Object.fromEntries(Object.entries(transports).map(([channel, t]) => [channel, t.name])),
        renderer: renderer.name,
      },
      up ? 200 : 503,
    );
  });
  return router;
}
