// Before each test file inside workerd: the D1 database of wrangler.toml at the schema of migrations/ (read in Node by
// vitest.config.ts). Applying is idempotent: migrations already recorded in d1_migrations are skipped.
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
