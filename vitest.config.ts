import { defineConfig } from 'vitest/config';

// `npm test`: unit and API tests on embedded PGlite, or on PostgreSQL when DATABASE_URL is set.
const PROCESS_TESTS = 'test/process/**/*.test.ts';

export default defineConfig({
  test: {
    exclude: ['test/worker/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each file builds its own app and database; only the module graph (mjml, the AWS SDK, the app) is shared within
    // a worker, which halves the suite's time (415 s → 220 s on 2 cores). Nothing in src keeps per-test state at
    // module level (only caches of pure results); the runtime entries hold the only singletons, and tests import neither.
    isolate: false,
    projects: [
      {
        extends: true,
        // Vitest keeps a core free by default, which on these 2-core machines means one file at a time. Many files wait
        // on something (Chromium, timers), so two at a time: 6 min 36 s → 4 min 33 s (2026-12-02).
        test: { name: 'app', include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'], exclude: ['test/worker/**', 'node_modules/**', PROCESS_TESTS], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Real child processes (a sender killed, a server under hostile payloads answering /health within a second):
        // afterwards, one at a time, so that no other file's load is what they measure.
        test: { name: 'process', include: [PROCESS_TESTS], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
