// `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
import { loadConfig } from '../config.js';
import { openDatabase, migrationsFolder } from './node-runtime.js';
import { migrateToLatest } from '../db/migrations.js';

const config = loadConfig(process.env);
const db = await openDatabase(config);
const applied = await migrateToLatest(db, migrationsFolder());
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
await db.destroy();
