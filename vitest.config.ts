import { defineConfig } from 'vitest/config';

// `npm test`: unit and API tests on embedded PGlite, or on PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    exclude: ['test/worker/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
