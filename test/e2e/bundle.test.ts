// The deploy bundle: `wrangler deploy --dry-run` builds it (no network, no account) and it fits the 1.5 MiB gzipped
// budget (the Workers free plan's limit is 3 MiB; the WASM binary counts too).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { OFFLINE_ENV } from './dev-server.js';

const BUDGET = 1.5 * 1024 * 1024;
let outdir: string;

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

it('wrangler deploy --dry-run bundles the Worker within 1.5 MiB gzipped', async () => {
  outdir = await mkdtemp(join(tmpdir(), 'bundle-'));
  const build = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    env: { ...process.env, ...OFFLINE_ENV },
    encoding: 'utf8',
  });
  expect(build.status, build.stderr).toBe(0);

  const files = (await readdir(outdir)).filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
  expect(files.some((f) => f.endsWith('tfjs-backend-wasm-simd.wasm'))).toBe(true);
  const sizes = await Promise.all(
    files.map(async (f) => ({ f, gzip: gzipSync(await readFile(join(outdir, f)), { level: 9 }).byteLength })),
  );
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  console.log(
    `deploy bundle: ${(total / 1024).toFixed(1)} KiB gzipped (${sizes.map((s) => `${s.f} ${(s.gzip / 1024).toFixed(1)} KiB`).join(', ')}); wrangler: ${build.stdout.match(/Total Upload: .*/)?.[0] ?? '?'}`,
  );
  expect(total).toBeLessThanOrEqual(BUDGET);
});
