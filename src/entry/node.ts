// Node entry: migrate, seed a new embedded database with demo data, serve, resume unfinished sending.
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrations.js';
import { ensureAdminKey } from '../access/index.js';
import { describeError } from '../http/log.js';
import { daily, everyMinute } from '../jobs.js';
import { loadDemoData, shouldLoadDemoData } from './demo-data.js';
import { createNodeDeps } from './node-deps.js';
import { migrationsFolder, openDatabase, templatesFolder } from './node-runtime.js';

const config = loadConfig(process.env);
const db = await openDatabase(config);
const applied = await migrateToLatest(db, migrationsFolder());
const freshDatabase = applied.includes('0001_foundation');
const deps = createNodeDeps(config, db);

const admin = await ensureAdminKey(db, config.adminApiKey, deps.clock());
if (await shouldLoadDemoData(db, config, freshDatabase)) {
  const summary = await loadDemoData(deps, templatesFolder());
  console.log(`Demo data loaded: ${summary}`);
}
// Resume unfinished sending now, then every minute: deferred messages wait for quiet hours or a cap window. With
// SEND_IN_PROCESS=false, `npm run sender` processes send, and this one only serves the API.
const running = new Set<number>();
if (config.sendInProcess) await everyMinute(deps, running);
// Retention: prospects with no contact for RETENTION_YEARS are erased, once a day.
const purge = () => deps.background.run('retention purge', () => daily(deps));
purge();
const dailyTimer = setInterval(purge, 24 * 3600_000);
const ticker = setInterval(() => {
  if (config.sendInProcess) void everyMinute(deps, running).catch((err) => deps.log.error('scheduled run failed', describeError(err)));
}, 60_000);

const app = buildApp(deps);
const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, () => {
  console.log(`
  Campaign platform running on ${config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${resolve(config.dataDir, 'db')}`}
  API        ${config.publicUrl}/v1
  Docs       ${config.publicUrl}/docs   (OpenAPI: ${config.publicUrl}/openapi.json)
  Health     ${config.publicUrl}/health
  Admin key  ${admin?.generated ? `${admin.key}   (shown once: keep it)` : admin ? 'from ADMIN_API_KEY' : 'created on first start (see the first start’s output)'}
  Sending    email: ${deps.transports.email.name}, SMS: ${deps.transports.sms.name}${deps.transports.email.name === 'outbox' || deps.transports.sms.name === 'outbox' ? `, outbox in ${resolve(config.outboxDir)}` : ''}${config.sendInProcess ? '' : ' · by npm run sender processes'}
`);
});

const shutdown = async () => {
  clearInterval(ticker);
  clearInterval(dailyTimer);
  // Stop taking requests and let those in flight finish (5 s at most), so every hit they accepted is queued.
  await new Promise<void>((resolve) => {
    const http = server as { close(cb: () => void): void; closeIdleConnections?: () => void };
    http.close(() => resolve());
    http.closeIdleConnections?.();
    setTimeout(resolve, 5000).unref();
  });
  await deps.background.idle();
  // Opens and clicks still in the buffer are written before the database closes.
  await deps.hits.close();
  await db.destroy();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
