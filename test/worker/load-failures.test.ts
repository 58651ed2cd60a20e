// What the Worker answers while R2 cannot give it any version of a direction (a fresh isolate, a pointer with no
// previous version: nothing to fall back on), and that it heals once R2 is fixed (no restart). The public 503 says in
// words which direction and why; R2 keys, sizes and sha256s are only in /health and the log.
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createApp } from '../../src/app.js';
import { post, removeLive, seedVersion, testArtifact, url } from './seed.js';

let app: ReturnType<typeof createApp>; // one per test: an isolate that has loaded nothing yet
let warn: MockInstance<typeof console.warn>;
const call = (request: Request | string) => app.request(request, undefined, env);
const translate = () => call(post('/translate', { text: 'wa wb', beam: 1 }));
const logged = () => warn.mock.calls.map((args) => args.join(' ')).join('\n');

beforeAll(async () => {
  await seedVersion('failures-j1', { direction: 'ja-en' }); // /health is 200 only when every direction serves
});
beforeEach(() => {
  app = createApp();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

async function expectUnavailable(res: Response, words: RegExp): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('Retry-After')).toBe('5');
  const body = await res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe('model_unavailable');
  expect(body.error.message).toMatch(/^en-ja is unavailable: /);
  expect(body.error.message).toMatch(words);
  expect(body.error.message).not.toMatch(/[0-9a-f]{64}|models\/|current\/|"/); // no hashes, no object keys
}

async function expectServed(version: string): Promise<void> {
  const res = await translate();
  expect(res.status).toBe(200);
  expect((await res.json<{ model: string }>()).model).toBe(`en-ja@${version}`);
}

const weights = () => testArtifact().files['decoder/weights.bin'] ?? new Uint8Array();
const broken = (version: string, override: Record<string, Uint8Array | string | null>) =>
  seedVersion(version, { override, previous: null });

describe('while R2 cannot give any version, /translate and /health answer 503 and say why', () => {
  // [what, break it, the public words, the detail in /health and the log]
  const failures: Array<[string, () => Promise<unknown>, RegExp, RegExp]> = [
    [
      'there is no pointer',
      () => removeLive(),
      /no live model for en-ja has been uploaded/,
      /R2 object "current\/en-ja\.json" not found/,
    ],
    [
      'the pointer is not JSON',
      () => env.MODELS.put('current/en-ja.json', 'v1'),
      /its live pointer is invalid/,
      /"current\/en-ja\.json" is not valid JSON/,
    ],
    [
      'the pointer names a version that is not there',
      () => env.MODELS.put('current/en-ja.json', '{"version":"never-uploaded"}'),
      /its manifest could not be found in storage/,
      /models\/en-ja\/never-uploaded\/manifest\.json" not found/,
    ],
    [
      'manifest.json is not JSON',
      () => broken('fail-manifest-json', { 'manifest.json': '{"format": 1,' }),
      /its manifest is invalid/,
      /manifest\.json is invalid/,
    ],
    [
      'manifest.json misses a field',
      () =>
        broken('fail-manifest-field', {
          'manifest.json': JSON.stringify({
            ...testArtifact().manifest,
            version: 'fail-manifest-field',
            source: undefined,
          }),
        }),
      /its manifest is invalid/,
      /manifest\.json is invalid .*"source"/,
    ],
    [
      'a weights file fails its sha256',
      () => broken('fail-sha', { 'decoder/weights.bin': weights().map((b, i) => (i === 0 ? b ^ 1 : b)) }),
      /its weights failed verification/,
      /decoder\/weights\.bin" has sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}/,
    ],
    [
      'a weights file is truncated',
      () => broken('fail-truncated', { 'decoder/weights.bin': weights().slice(0, 100) }),
      /its weights failed verification/,
      /decoder\/weights\.bin" has 100 bytes, manifest says \d+/,
    ],
    [
      'a listed file is missing',
      () => broken('fail-missing', { 'encoder/model.json': null }),
      /its model definition could not be found in storage/,
      /models\/en-ja\/fail-missing\/encoder\/model\.json" not found/,
    ],
  ];

  for (const [what, breakIt, words, detail] of failures) {
    it(`when ${what}, then serves again once it is fixed`, async () => {
      await breakIt();
      await expectUnavailable(await translate(), words);
      await expectUnavailable(await call(url('/translate?text=wa')), words);
      const health = await call(url('/health'));
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: 'unavailable',
        models: { 'ja-en': 'ja-en@failures-j1' }, // the other direction still answers
        error: {
          code: 'model_unavailable',
          message: expect.stringMatching(words),
          detail: expect.stringMatching(detail),
        },
      });
      if (what !== 'there is no pointer') expect(logged()).toMatch(detail); // absent is "nothing published", not a fault

      const fixed = `fixed-${what.replaceAll(/\W+/g, '-')}`;
      await seedVersion(fixed);
      await expectServed(fixed);
      expect((await call(url('/health'))).status).toBe(200);
    });
  }

  it('loads a broken version again once its files are repaired in place', async () => {
    await broken('repair-me', { 'decoder/weights.bin': weights().slice(0, 10) });
    await expectUnavailable(await translate(), /its weights failed verification/);
    await seedVersion('repair-me');
    await expectServed('repair-me');
  });
});
