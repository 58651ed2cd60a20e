// Types of `cloudflare:test` for the tests inside workerd, with the Worker's own bindings as `env`.
/// <reference types="@cloudflare/vitest-pool-workers/types" />
import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../../src/http/env.js';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[]; // vitest.config.ts: migrations/, for apply-migrations.ts
    }
  }
}
