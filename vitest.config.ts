// Three projects: `unit` (test/unit/, pure logic in Node), `workers` (test/worker/, the Worker inside workerd via
// vitest-pool-workers, with a real Miniflare R2 and D1), `e2e` (test/e2e/, wrangler dev over HTTP). `npm test` runs all three.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// migrations/, applied to the workers project's D1 before each test file (test/worker/apply-migrations.ts).
const migrations = await readD1Migrations('migrations');

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        plugins: [
          cloudflareTest({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Re-read the pointer on every request, so tests see R2 changes at once.
            miniflare: { bindings: { POINTER_TTL_SECONDS: '0', TEST_MIGRATIONS: migrations } },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/worker/global-setup.ts'],
          setupFiles: ['test/worker/apply-migrations.ts'],
          fileParallelism: false, // the files share one R2 bucket and its pointers
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One wrangler dev at a time: on 2 cores, parallel servers made timing-sensitive cases (local R2 shared by
          // two workerd processes, the load run) flaky.
          fileParallelism: false,
        },
      },
    ],
  },
});
