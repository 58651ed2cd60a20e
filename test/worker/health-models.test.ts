// GET /health and GET /models, new uploads going live without a restart, and no tensor leaks over many requests.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { knownSentence, post, seedVersion, url } from './seed.js';

let words: string[];

beforeAll(async () => {
  ({ sourceWords: words } = await seedVersion('health-v1'));
  await seedVersion('health-j1', { direction: 'ja-en' });
});

const json = async <T>(path: string) => {
  const res = await SELF.fetch(url(path));
  return { res, body: await res.json<T>() };
};

describe('GET /health', () => {
  it('is 200 with the model being served, the backend heap and the tensor count', async () => {
    const { res, body } = await json<Record<string, unknown>>('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(body).toMatchObject({ status: 'ok', models: { 'en-ja': 'en-ja@health-v1', 'ja-en': 'ja-en@health-j1' } });
    expect(body).not.toHaveProperty('degraded'); // test/worker/fallback.test.ts: "degraded", also a 200
    expect(body).not.toHaveProperty('error');
    expect(body.tensors).toBeGreaterThan(0);
    expect(body.wasmHeapBytes).toBeGreaterThan(0);
    expect(body.modelMemoryBytes).toBeGreaterThan(0); // both directions' matrices
  });

  it('answers other methods with 405 and Allow', async () => {
    const res = await SELF.fetch(url('/health'), { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('GET /models', () => {
  it('describes the live model of each direction: version, hyper-parameters, metrics, and what this isolate holds', async () => {
    const { res, body } = await json<{ models: Array<Record<string, unknown>>; loaded: unknown[]; tensors: number }>(
      '/models',
    );
    expect(res.status).toBe(200);
    expect(body.models).toHaveLength(2);
    expect(body.models[0]).toMatchObject({
      direction: 'en-ja',
      version: 'health-v1',
      model: 'en-ja@health-v1',
      source: { lang: 'en', tokenizer: 'english', maxLength: 24 },
      target: { lang: 'ja', tokenizer: 'japanese-spaced', maxLength: 12 },
      hyperParameters: {
        sourceVocabSize: 40,
        targetVocabSize: 44,
        embeddingDim: 8,
        hiddenDim: 16,
        attention: true,
        quantization: 'float32',
      },
      metrics: {},
    });
    expect(body.models[1]).toMatchObject({
      model: 'ja-en@health-j1',
      source: { lang: 'ja', tokenizer: 'japanese' },
      target: { lang: 'en', tokenizer: 'english' },
    });
    expect(body.loaded).toContainEqual({
      direction: 'en-ja',
      version: 'health-v1',
      ready: true,
      holders: 0,
      retired: false,
    });
    expect(body.loaded).toContainEqual({
      direction: 'ja-en',
      version: 'health-j1',
      ready: true,
      holders: 0,
      retired: false,
    });
    expect(body.tensors).toBeGreaterThan(0);
  });
});

describe('a new upload', () => {
  it('is served on the next request, reports its load in Server-Timing, and frees the old version', async () => {
    const before = (await json<{ tensors: number }>('/health')).body.tensors;
    await seedVersion('health-v2');
    const res = await SELF.fetch(post('/translate', { text: knownSentence(words), beam: 1 }));
    expect((await res.json<{ model: string }>()).model).toBe('en-ja@health-v2');
    expect(res.headers.get('X-Model')).toBe('en-ja@health-v2'); // the model that answered, as in the body
    expect(res.headers.get('X-Model-Degraded')).toBeNull();
    expect(res.headers.get('Server-Timing')).toMatch(/(^|,)load;dur=[\d.]+;desc="model load"/);
    for (const stage of ['load-read', 'load-verify', 'load-build'])
      expect(res.headers.get('Server-Timing')).toMatch(new RegExp(`(^|,)${stage};dur=[\\d.]+;`));
    const { body } = await json<{ loaded: Array<{ version: string }>; tensors: number }>('/models');
    expect(body.loaded.map((m) => m.version).sort()).toEqual(['health-j1', 'health-v2']);
    expect(body.tensors).toBe(before); // same architecture, old tensors disposed
  });

  it('does not report a load once the model is in memory', async () => {
    const res = await SELF.fetch(post('/translate', { text: knownSentence(words), beam: 1 }));
    expect(res.headers.get('Server-Timing')).not.toMatch(/(^|,)load;/);
  });
});

describe('many requests', () => {
  it('leave the tensor count where it was', async () => {
    await SELF.fetch(post('/translate', { text: knownSentence(words) })); // warm
    const before = (await json<{ tensors: number }>('/health')).body.tensors;
    for (let i = 0; i < 10; i++) {
      const text = knownSentence(words.slice(i), 3 + (i % 4));
      await (await SELF.fetch(post('/translate', { text, beam: 1 + (i % 5) }))).arrayBuffer();
      await (
        await SELF.fetch(post('/translate', { texts: [text, knownSentence(words, 2)], beam: i % 2 ? 1 : 3 }))
      ).arrayBuffer();
      await (await SELF.fetch(url(`/translate?text=${encodeURIComponent(text)}&beam=${1 + (i % 3)}`))).arrayBuffer();
      await (await SELF.fetch(post('/translate', { text: 'a '.repeat(40) }))).arrayBuffer(); // rejected by the translator
    }
    expect((await json<{ tensors: number }>('/health')).body.tensors).toBe(before);
  });
});
