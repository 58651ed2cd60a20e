// Storage faults of a live version do not take its direction down while an earlier version loads: an object of the
// live version corrupted, truncated or deleted in the real Miniflare R2 bucket, then translations come from the
// previous version (X-Model names it, X-Model-Degraded the live one), /health is 200 "degraded" with the reason and
// the detail, the log says so, the other direction is untouched; once the objects are put again the live version
// answers without a restart. Each test starts a fresh app (a cold isolate); POINTER_TTL_SECONDS is 0 here.
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createApp } from '../../src/app.js';
import { damage, knownSentence, post, seedVersion, testArtifact, url, type Damage } from './seed.js';

let app: ReturnType<typeof createApp>;
let warn: MockInstance<typeof console.warn>;
let log: MockInstance<typeof console.log>;
const call = (request: Request | string) => app.request(request, undefined, env);
const lines = (spy: MockInstance<(...args: unknown[]) => void>) => spy.mock.calls.map((args) => args.join(' '));

const english = knownSentence(testArtifact('en-ja').sourceWords);
const japanese = testArtifact('ja-en').sourceText;
const JA = 'ja-en@fallback-j1';

beforeAll(async () => {
  await seedVersion('fallback-j1', { direction: 'ja-en', previous: null });
});
beforeEach(() => {
  app = createApp();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

let gets = 0; // each GET asks for a text of its own, so that it is translated rather than read from the cache

/** POST and GET /translate of `text`: each answered by `model`, with X-Model-Degraded naming `degraded` (or none). */
async function expectAnswered(text: string, model: string, degraded: string | null): Promise<void> {
  const get = url(`/translate?text=${encodeURIComponent(`${text} ${++gets}`)}&beam=1`);
  for (const request of [post('/translate', { text, beam: 1 }), get]) {
    const res = await call(request);
    expect(res.status).toBe(200);
    expect((await res.json<{ model: string }>()).model).toBe(model);
    expect(res.headers.get('X-Model')).toBe(model);
    expect(res.headers.get('X-Model-Degraded')).toBe(degraded);
  }
}

const health = async () => {
  const res = await call(url('/health'));
  return { status: res.status, body: await res.json<Record<string, unknown>>() };
};

describe('an object of the live version damaged in R2', () => {
  // [how, which object, the reason in words, the detail]
  const cases: Array<[Damage, string, string, RegExp]> = [
    [
      'flip',
      'decoder/weights.bin',
      'its weights failed verification',
      /"decoder\/weights\.bin" has sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}/,
    ],
    [
      'truncate',
      'encoder/weights.bin',
      'its weights failed verification',
      /"encoder\/weights\.bin" has \d+ bytes, manifest says \d+/,
    ],
    [
      'delete',
      'vocab.ja.txt',
      'its vocabulary could not be found in storage',
      /"models\/en-ja\/fallback-delete-vocab-ja-txt-2\/vocab\.ja\.txt" not found in R2/,
    ],
    ['flip', 'vocab.en.txt', 'its vocabulary failed verification', /"vocab\.en\.txt" has sha256/],
    ['truncate', 'manifest.json', 'its manifest is invalid', /manifest\.json is invalid/],
    ['delete', 'manifest.json', 'its manifest could not be found in storage', /manifest\.json" not found in R2/],
    [
      'delete',
      'encoder/model.json',
      'its model definition could not be found in storage',
      /encoder\/model\.json" not found in R2/,
    ],
  ];

  for (const [how, path, reason, detail] of cases) {
    it(`(${how} ${path}): the previous version answers, degraded; once repaired the live one answers again`, async () => {
      const name = `fallback-${how}-${path.replaceAll(/\W+/g, '-')}`;
      await seedVersion(`${name}-1`, { previous: null });
      await seedVersion(`${name}-2`); // the pointer: {"version": "...-2", "previous": "...-1"}
      await damage(`${name}-2`, path, how);
      const [live, previous] = [`en-ja@${name}-2`, `en-ja@${name}-1`];

      await expectAnswered(english, previous, live);
      await expectAnswered(japanese, JA, null);
      expect(await health()).toMatchObject({
        status: 200,
        body: {
          status: 'degraded',
          models: { 'en-ja': previous, 'ja-en': JA },
          degraded: { 'en-ja': { live, reason, detail: expect.stringMatching(detail) } },
        },
      });
      expect((await health()).body.degraded).not.toHaveProperty('ja-en');
      expect(lines(warn)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^en-ja degraded: ${previous} answers instead of ${live}; model ${live}.*${detail.source}`),
        ),
      );

      await seedVersion(`${name}-2`, { live: false }); // every object put again, the pointer untouched
      await expectAnswered(english, live, null);
      expect(await health()).toMatchObject({
        status: 200,
        body: { status: 'ok', models: { 'en-ja': live, 'ja-en': JA } },
      });
      expect((await health()).body).not.toHaveProperty('degraded');
      expect(lines(log)).toContain(`en-ja recovered: the live ${live} answers again`);
      const { loaded } = await (await call(url('/models'))).json<{ loaded: Array<{ version: string }> }>();
      expect(loaded.map((m) => m.version).sort()).toEqual([`${name}-2`, 'fallback-j1'].sort()); // the fallback is freed
    });
  }
});

describe('the version that answers while the live one cannot be loaded', () => {
  it("is the one this isolate loaded last, before the pointer's previous", async () => {
    await seedVersion('fallback-last-1', { previous: null });
    await expectAnswered(english, 'en-ja@fallback-last-1', null);
    await seedVersion('fallback-last-2', { previous: 'never-uploaded' });
    await damage('fallback-last-2', 'decoder/weights.bin', 'flip');
    await expectAnswered(english, 'en-ja@fallback-last-1', 'en-ja@fallback-last-2');
  });

  it('is described by GET /models, with why the live one is not', async () => {
    await seedVersion('fallback-models-1', { previous: null });
    await seedVersion('fallback-models-2');
    await damage('fallback-models-2', 'decoder/weights.bin', 'truncate');
    const { models } = await (await call(url('/models'))).json<{ models: Array<Record<string, unknown>> }>();
    expect(models[0]).toMatchObject({
      model: 'en-ja@fallback-models-1',
      degraded: { live: 'en-ja@fallback-models-2', reason: 'its weights failed verification' },
    });
    expect(models[1]).toMatchObject({ model: JA });
    expect(models[1]).not.toHaveProperty('degraded');
  });

  it('keeps answering from memory when the pointer itself becomes unreadable', async () => {
    await seedVersion('fallback-pointer-1', { previous: null });
    await expectAnswered(english, 'en-ja@fallback-pointer-1', null);
    await env.MODELS.put('current/en-ja.json', '{"version":');
    await expectAnswered(english, 'en-ja@fallback-pointer-1', 'en-ja');
    expect((await health()).body).toMatchObject({
      status: 'degraded',
      degraded: { 'en-ja': { live: 'en-ja', reason: 'its live pointer is invalid' } },
    });
  });
});

describe('with no version that loads', () => {
  it('is a 503 saying which direction and why in words, while the other direction answers', async () => {
    await seedVersion('fallback-none-1', { previous: null });
    await damage('fallback-none-1', 'decoder/weights.bin', 'delete');
    await seedVersion('fallback-none-2');
    await damage('fallback-none-2', 'decoder/weights.bin', 'flip');
    const res = await call(post('/translate', { text: english, beam: 1 }));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: 'model_unavailable',
        message: 'en-ja is unavailable: its weights failed verification; no earlier version can be loaded either',
      },
    });
    await expectAnswered(japanese, JA, null);
    expect(await health()).toMatchObject({
      status: 503,
      body: {
        status: 'unavailable',
        models: { 'ja-en': JA },
        error: {
          detail: expect.stringMatching(
            /fallback-none-2.*has sha256.*; fallback model en-ja@fallback-none-1: .*not found in R2/,
          ),
        },
      },
    });
  });
});
