// The operator's side of storage faults, end to end: the real uploader CLI (train/upload.ts) against wrangler's local
// R2 state while `npm start` (wrangler dev) serves it. An object of the live version is corrupted, truncated or
// deleted in that state; then --verify finds it, the Worker (started cold) answers from the previous version and says
// so, an upload repairs the bucket and the live version answers again without a restart, --rollback moves the pointer
// only to a version it has verified, and ja-en answers from its own live version throughout.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey, parsePointer, pointerKey, type Pointer } from '../../src/core/layout.js';
import { JAPANESE_SAMPLE } from '../helpers/random-model.js';
import { writeRandomArtifact } from './artifact-dir.js';
import { OFFLINE_ENV, startDevServer, type DevServer } from './dev-server.js';

const run = promisify(execFile);

let scratch: string;
let state: string; // wrangler's local state: what the uploader writes and wrangler dev reads
let server: DevServer;
const dirs = { v1: '', v2: '', ja: '' };

/** `npm run upload -- ARGS --local --persist-to state`: its exit code and output (it never throws). */
async function upload(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      'node_modules/.bin/tsx',
      ['train/upload.ts', ...args, '--local', '--persist-to', state],
      { env: { ...process.env, ...OFFLINE_ENV } },
    );
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, out: stdout + stderr };
  }
}

/**
 * Runs `use` against the same local R2 state, through wrangler's getPlatformProxy (as the uploader does). Two workerd
 * processes (this one and wrangler dev's) share the state's SQLite files: an operation that meets the other's write
 * may fail ("internal error", "Network connection lost": each seen once in runs of the whole e2e project), so it is
 * tried again, up to three times. Every operation here is a read, or a write of bytes that do not depend on it.
 */
async function withBucket<T>(use: (bucket: R2Bucket) => Promise<T>, attempts = 3): Promise<T> {
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ MODELS: R2Bucket }>({
    configPath: 'wrangler.toml',
    persist: { path: join(state, 'v3') },
  });
  try {
    return await use(proxy.env.MODELS);
  } catch (err) {
    if (attempts <= 1) throw err;
  } finally {
    await proxy.dispose();
  }
  await new Promise((r) => setTimeout(r, 500));
  return withBucket(use, attempts - 1);
}

const pointer = () =>
  withBucket(async (bucket): Promise<Pointer | undefined> => {
    const object = await bucket.get(pointerKey('en-ja'));
    return object ? parsePointer(await object.text()) : undefined;
  });

/** Flips one bit of, truncates, or deletes a stored object of en-ja `version` (from the folder's bytes: repeatable). */
const damage = async (version: 'v1' | 'v2', path: string, how: 'flip' | 'truncate' | 'delete') => {
  const bytes = new Uint8Array(await readFile(join(dirs[version], path)));
  await withBucket(async (bucket) => {
    const key = objectKey('en-ja', version, path);
    if (how === 'delete') return bucket.delete(key);
    await bucket.put(
      key,
      how === 'flip' ? bytes.map((b, i) => (i === 100 ? b ^ 1 : b)) : bytes.slice(0, bytes.length >> 1),
    );
  });
};

const signal = () => AbortSignal.timeout(20_000); // a hung request fails the test instead of its hook
const translate = async (text: string) => {
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, beam: 1 }),
    signal: signal(),
  };
  const res = await fetch(`${server.url}/translate`, init);
  return {
    status: res.status,
    model: ((await res.json()) as { model?: string }).model,
    header: res.headers.get('X-Model'),
    degraded: res.headers.get('X-Model-Degraded'),
  };
};
const health = async (timeoutMs = 20_000) => {
  const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
  return {
    status: res.status,
    body: (await res.json()) as {
      status: string;
      models: Record<string, string>;
      degraded?: Record<string, { live: string; reason: string; detail: string }>;
    },
  };
};

/** Polls /health until en-ja is answered by `model` with `status` (POINTER_TTL_SECONDS is 1 here). */
async function expectHealth(model: string, status: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let failure: unknown; // why the last poll had no answer, for the assertion's message
  // Each poll gets 3 s, so one that wrangler dev leaves hanging is retried before the deadline instead of using it up.
  const poll = () => health(3_000).catch((err: unknown) => void (failure = err));
  let last = await poll();
  while (Date.now() < deadline && (last?.body.models['en-ja'] !== model || last.body.status !== status)) {
    await new Promise((r) => setTimeout(r, 300));
    last = await poll(); // an idle keep-alive connection may have been closed meanwhile
  }
  expect(last?.body, `last /health poll: ${last ? JSON.stringify(last.body) : String(failure)}`).toMatchObject({
    status,
    models: { 'en-ja': model, 'ja-en': 'ja-en@j1' },
  });
}

async function expectJapaneseUntouched(): Promise<void> {
  expect(await translate(JAPANESE_SAMPLE)).toMatchObject({
    status: 200,
    model: 'ja-en@j1',
    header: 'ja-en@j1',
    degraded: null,
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'repair-'));
  state = join(scratch, 'state');
  dirs.v1 = join(scratch, 'v1', 'en-ja');
  dirs.v2 = join(scratch, 'v2', 'en-ja');
  dirs.ja = join(scratch, 'ja', 'ja-en');
  await writeRandomArtifact(dirs.v1, 'v1', 'en-ja');
  await writeRandomArtifact(dirs.v2, 'v2', 'en-ja');
  await writeRandomArtifact(dirs.ja, 'j1', 'ja-en');
  expect((await upload('--model', dirs.v1)).code).toBe(0);
  expect((await upload('--model', dirs.v2, '--model', dirs.ja)).code).toBe(0);
});

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run upload', () => {
  it('--help prints the usage and exits 0; an unknown flag or a wrong combination exits 2 with the usage', async () => {
    for (const flag of ['--help', '-h'])
      expect(await upload(flag)).toMatchObject({
        code: 0,
        out: expect.stringMatching(/^usage: npm run upload -- .*\n[^]*--rollback/),
      });
    expect(await upload('--verfy')).toMatchObject({
      code: 2,
      out: expect.stringMatching(/^error: Unknown option '--verfy'\nusage: npm run upload --/),
    });
    expect(await upload('--rollback', '--model', dirs.v1)).toMatchObject({
      code: 2,
      out: expect.stringContaining('--rollback takes exactly one --direction'),
    });
  });

  it('keeps the version it replaced as "previous" in the pointer', async () => {
    expect(await pointer()).toEqual({ version: 'v2', previous: 'v1' });
  });

  it('--verify finds a corrupted object of the live version, names it and exits 1, writing nothing', async () => {
    await damage('v2', 'decoder/weights.bin', 'flip');
    const { code, out } = await upload('--verify', '--direction', 'en-ja');
    expect(code).toBe(1);
    expect(out).toMatch(/decoder\/weights\.bin: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
    expect(out).toContain('en-ja@v2 is live in local R2 bucket');
    expect(out).toContain('1 of its 7 objects differ (previous: v1)');
    expect(await pointer()).toEqual({ version: 'v2', previous: 'v1' });
  });
});

describe('the Worker, started with the live version damaged', () => {
  beforeAll(async () => {
    // npm start uploads MODEL_DIR first (here ja-en only, so it cannot repair en-ja before the test does); --verbose
    // prints what the uploader and the Worker log from the start, which the tests read.
    server = await startDevServer({
      command: ['npm', 'start', '--', '--verbose', '--log-level', 'warn', '--var', 'POINTER_TTL_SECONDS:1'],
      env: { MODEL_DIR: join(scratch, 'ja'), PERSIST_TO: state },
      readyPath: '/openapi.json', // answered without a model: the first /health is a test of its own
    });
    expect(server.output()).toContain('ja-en@j1 is already live in local R2 bucket');
  });

  it('answers from the previous version and says so: X-Model, X-Model-Degraded, /health "degraded" (200), a log line', async () => {
    const first = await translate('wa wb wc').catch((err: unknown) => ({ err, output: server.output() }));
    expect(first, server.output()).toEqual({
      status: 200,
      model: 'en-ja@v1',
      header: 'en-ja@v1',
      degraded: 'en-ja@v2',
    });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'degraded',
      models: { 'en-ja': 'en-ja@v1', 'ja-en': 'ja-en@j1' },
      degraded: {
        'en-ja': {
          live: 'en-ja@v2',
          reason: 'its weights failed verification',
          detail: expect.stringMatching(/"decoder\/weights\.bin" has sha256/),
        },
      },
    });
    await expectJapaneseUntouched();
    await expect
      .poll(() => server.output(), { timeout: 5000 })
      .toContain(
        'en-ja degraded: en-ja@v1 answers instead of en-ja@v2; model en-ja@v2 cannot be loaded: "decoder/weights.bin" has sha256',
      );
  });

  it('serves the live version again without a restart once an upload has repaired the object, saying which', async () => {
    const { code, out } = await upload('--model', dirs.v2);
    expect(code).toBe(0);
    expect(out).toContain('en-ja@v2 is already in local R2 bucket');
    expect(out).toMatch(/decoder\/weights\.bin \(\d+ bytes\): sha256 [0-9a-f]{64}, expected [0-9a-f]{64}: put again/);
    expect(out).toContain('en-ja@v2 is live again, repaired (1 of 7 objects)');
    expect(await pointer()).toEqual({ version: 'v2', previous: 'v1' });
    await expectHealth('en-ja@v2', 'ok');
    expect(await translate('wa wb wc')).toEqual({ status: 200, model: 'en-ja@v2', header: 'en-ja@v2', degraded: null });
    expect(await upload('--verify')).toMatchObject({
      code: 0,
      out: expect.stringContaining('en-ja@v2 is live in local R2 bucket "edge-translator-models"'),
    });
    await expectJapaneseUntouched();
  });

  it("--verify --model exits 1 when the live version is not the folder's", async () => {
    const { code, out } = await upload('--verify', '--model', dirs.v1);
    expect(code).toBe(1);
    expect(out).toContain('en-ja: the live version is v2, not v1');
  });

  it('--rollback verifies the previous version and points the pointer at it; a second one undoes it', async () => {
    const back = await upload('--rollback', '--direction', 'en-ja');
    expect(back).toMatchObject({ code: 0, out: expect.stringContaining('en-ja@v1 is live (rolled back from v2)') });
    expect(await pointer()).toEqual({ version: 'v1', previous: 'v2' });
    await expectHealth('en-ja@v1', 'ok');
    const forth = await upload('--rollback', '--direction', 'en-ja');
    expect(forth).toMatchObject({ code: 0, out: expect.stringContaining('en-ja@v2 is live (rolled back from v1)') });
    await expectHealth('en-ja@v2', 'ok');
    await expectJapaneseUntouched();
  });

  it('--rollback refuses a version whose objects differ, and leaves the pointer as it was', async () => {
    await upload('--rollback', '--direction', 'en-ja', '--to', 'v1');
    await damage('v2', 'encoder/weights.bin', 'truncate');
    const { code, out } = await upload('--rollback', '--direction', 'en-ja', '--to', 'v2');
    expect(code).toBe(1);
    expect(out).toMatch(
      /en-ja@v2 cannot be made live: encoder\/weights\.bin has \d+ bytes, expected \d+; the pointer was not changed/,
    );
    expect(await pointer()).toEqual({ version: 'v1', previous: 'v2' });
    expect((await upload('--rollback', '--direction', 'en-ja', '--to', 'v0')).out).toContain(
      'models/en-ja/v0/manifest.json is not in',
    );
  });

  it('an upload puts back what is missing or differs and makes the version live again', async () => {
    await damage('v2', 'vocab.ja.txt', 'delete');
    const { code, out } = await upload('--model', dirs.v2);
    expect(code).toBe(0);
    expect(out).toMatch(/encoder\/weights\.bin \(\d+ bytes\): has \d+ bytes, expected \d+: put again/);
    expect(out).toMatch(/vocab\.ja\.txt \(\d+ bytes\): missing: put again/);
    expect(out).toContain('en-ja@v2 is live: current/en-ja.json -> v2 (previous: v1); all 7 objects verified');
    await expectHealth('en-ja@v2', 'ok');
    await expectJapaneseUntouched();
  });
});
