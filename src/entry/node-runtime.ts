// Node-only wiring shared by the server entry, the CLI and the tests.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';
import { createEmbeddedDatabase, createPostgresDatabase, type Database } from '../db/database.js';
import { isSwaggerUiFile, type DocsAssets } from '../http/docs.js';

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

/** The API reference's files, read once from the installed swagger-ui-dist package and kept in memory. */
export function nodeDocsAssets(): DocsAssets {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  return {
    read(file) {
      if (!isSwaggerUiFile(file)) return Promise.resolve(undefined);
      if (!files.has(file)) files.set(file, readFile(join(dir, file)));
      return files.get(file)!;
    },
  };
}
