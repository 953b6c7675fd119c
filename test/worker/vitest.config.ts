import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:worker`: black-box HTTP tests against `wrangler dev` (workerd) on PostgreSQL.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/worker/**/*.test.ts'],
    globalSetup: ['test/worker/global-setup.ts'],
    // One Worker and one database for all files: run them one after the other.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
