import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit` holds the fast suites and the integration suites that
 * use the services `tools/test.ts` starts; those suites share one Postgres
 * server, so each creates a database of its own with `createTestDatabase`
 * from `tests/_support/pg.ts` and drops it afterwards. `browser` drives
 * Chromium against the H5 build; it runs after `unit` and one file at a time,
 * because a browser takes most of this two-core machine.
 */
const UNIT_TEST_TIMEOUT_MS = 20_000;
const UNIT_HOOK_TIMEOUT_MS = 60_000;
const BROWSER_TEST_TIMEOUT_MS = 120_000;
const BROWSER_HOOK_TIMEOUT_MS = 300_000;
const WORKERS_MAX = 2;

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: WORKERS_MAX,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/**/*.test.ts', 'shared/**/*.test.ts', 'api/**/*.test.ts'],
          exclude: ['tests/browser/**', '**/node_modules/**', '**/dist/**'],
          testTimeout: UNIT_TEST_TIMEOUT_MS,
          hookTimeout: UNIT_HOOK_TIMEOUT_MS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: BROWSER_TEST_TIMEOUT_MS,
          hookTimeout: BROWSER_HOOK_TIMEOUT_MS,
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
