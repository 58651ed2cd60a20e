// `npm run keys` against a real local D1 (wrangler's, in a scratch --persist-to, as npm start serves it): add prints a
// key once and stores its hash, list shows it with its limit and usage, revoke marks it, and a running Worker takes the
// key and refuses it from the request after the revoke. Mistakes in the flags exit 2 with the usage.
// Run: npx vitest run --project e2e test/e2e/keys-cli.test.ts
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../src/core/api-keys.js';
import { DIRECTIONS, writeRandomArtifact } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const run = promisify(execFile);
const keys = (args: string[]) =>
  run('node_modules/.bin/tsx', ['train/keys.ts', ...args, '--persist-to', state], { maxBuffer: 1 << 20 });

let scratch: string;
let state: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'e2e-keys-'));
  state = join(scratch, 'state');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run keys', () => {
  let key: string;
  let id: string;

  it('adds a key, printing it once, with its id and limit', async () => {
    const { stdout } = await keys(['add', '--name', 'ACME', '--limit', '5000']);
    [, id = ''] = stdout.match(/key (k_[0-9a-f]{16}) \("ACME"\)/) ?? [];
    [, key = ''] = stdout.match(/\n\s+(et_[0-9a-f]{32})\n/) ?? [];
    expect(id).not.toBe('');
    expect(key).not.toBe('');
    expect(stdout).toContain('limit 5000 characters');
  });

  it('lists it without the key itself (only its hash is stored)', async () => {
    const { stdout } = await keys(['list']);
    expect(stdout).toMatch(new RegExp(`${id}\\s+ACME\\s+\\S+\\s+active\\s+0 / 5000`));
    expect(stdout).not.toContain(key);
    expect(await hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets a running Worker take the key and refuse any other, and refuse the key from the request after its revoke', async () => {
    for (const direction of DIRECTIONS)
      await writeRandomArtifact(join(scratch, 'models', direction), 'keys-e2e', direction);
    const start = () =>
      startDevServer({
        command: ['npm', 'start', '--', '--log-level', 'warn'],
        env: { MODEL_DIR: join(scratch, 'models'), PERSIST_TO: state },
        timeoutMs: 240_000,
      });
    const usage = (server: DevServer, presented: string) =>
      fetch(`${server.url}/v2/usage`, { headers: { Authorization: `DeepL-Auth-Key ${presented}` } });
    const server = await start();
    try {
      const res = await usage(server, key);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ character_count: 0, character_limit: 5000 });
      expect((await usage(server, 'et_00000000000000000000000000000000')).status).toBe(403);
      expect((await fetch(`${server.url}/v2/usage`)).status).toBe(403);
      const { stdout } = await keys(['revoke', id]); // while it serves: the next request sees it
      expect(stdout).toContain(`key ${id} revoked`);
      expect((await keys(['list'])).stdout).toMatch(new RegExp(`${id}\\s+ACME\\s+\\S+\\s+revoked `));
      expect((await usage(server, key)).status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it('exits 2 with its usage for a mistake in the flags', async () => {
    for (const args of [['frob'], ['add'], ['revoke'], ['list', '--name', 'x'], ['list', '--local', '--remote']]) {
      const failed = await keys(args).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code, args.join(' ')).toBe(2);
      expect(failed?.stderr).toContain('usage: npm run keys');
    }
  });
});
