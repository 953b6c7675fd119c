// `npm run sender`: a process that only sends. It serves no HTTP: it picks up campaigns launched through any API
// process (every SENDER_POLL_MS), resumes unfinished ones, retries messages of no campaign, and takes back what a dead
// sender held past its lease. Run as many as you like against one PostgreSQL database: claims use
// FOR UPDATE SKIP LOCKED, so they share each campaign without overlap (README, "Running several senders").
import { resumeSending } from '../campaigns/index.js';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrations.js';
import { describeError } from '../http/log.js';
import { everyMinute } from '../jobs.js';
import { createNodeDeps } from './node-deps.js';
import { migrationsFolder, openDatabase } from './node-runtime.js';

const config = loadConfig(process.env);
if (!config.databaseUrl) {
  console.error('npm run sender needs DATABASE_URL: the embedded database serves one process only.');
  process.exit(2);
}
const db = await openDatabase(config);
await migrateToLatest(db, migrationsFolder());
const deps = createNodeDeps(config, db);
const running = new Set<number>();
const pollMs = Number(process.env.SENDER_POLL_MS ?? 2000);

await everyMinute(deps, running);
const minute = setInterval(() => void everyMinute(deps, running).catch((err) => deps.log.error('scheduled run failed', describeError(err))), 60_000);
// Launches made elsewhere are seen within pollMs: one indexed query for the campaigns still sending.
const poll = setInterval(() => void resumeSending(deps, running).catch((err) => deps.log.error('sender poll failed', describeError(err))), pollMs);
console.log(`Sender running (pid ${process.pid}), polling every ${pollMs} ms`);

const shutdown = async () => {
  clearInterval(minute);
  clearInterval(poll);
  // The batch in hand gets 10 s to finish; whatever this sender still holds after that is taken back by another sender
  // (or this one, restarted) once its lease is over.
  await Promise.race([deps.background.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  await deps.hits.close();
  await db.destroy();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
