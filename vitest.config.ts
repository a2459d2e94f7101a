import { defineConfig } from 'vitest/config';

// One runner for every suite. The e2e project drives a real Chromium against a real server,
// so it runs files one at a time; the server project runs database tests on SQLite and,
// when TEST_DATABASE_URL is set, on PostgreSQL too (see tests/support/databases.ts).
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          // Per project, not at the root: a root globalSetup also runs for the root itself, which
          // built the template databases twice per run.
          globalSetup: ['tests/support/require-components.ts'],
          include: ['common/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts', 'web/**/*.test.ts'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          globalSetup: ['tests/support/require-components.ts'],
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          // A page waits on a real server that may be sharing two cores with PostgreSQL and
          // LibreOffice; Vitest's default of 1 s per poll failed CI once on a busy machine.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
