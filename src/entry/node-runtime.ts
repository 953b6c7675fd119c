// Node-only wiring shared by the server entry, the CLI and the tests.
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { createEmbeddedDatabase, createPostgresDatabase, type Database } from '../db/database.js';

export function migrationsFolder(): string {
  return fileURLToPath(new URL('../../migrations', import.meta.url));
}

export function templatesFolder(): string {
  return fileURLToPath(new URL('../../templates', import.meta.url));
}

export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return createPostgresDatabase(config.databaseUrl);
  const dir = join(config.dataDir, 'db');
  await mkdir(dir, { recursive: true });
  return createEmbeddedDatabase(dir);
}
