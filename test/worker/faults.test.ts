// Faults the other store tests do not cover, each against the real Miniflare R2: R2 erroring or not answering on a
// read (a wrapper around the real binding injects that), before and after a model is in memory, a new version going
// live while requests are in flight, and concurrent requests in one isolate not disturbing each other's decoding.
import { SELF, env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { ModelStore, ModelUnavailableError } from '../../src/store/model-store.js';
import { tensorCount } from '../../src/store/wasm-backend.js';
import { knownSentence, post, seedVersion, url } from './seed.js';

const DIRECTION = 'en-ja';

beforeAll(async () => {
  await seedVersion('faults-j1', { direction: 'ja-en' }); // /models answers only when every direction serves
});
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // the store logs every failed load
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

type Fault = 'none' | 'error' | 'hang' | 'body-error';

/** The real bucket, except that reads of keys matching `keys` fail the way `fault` says while it is set. */
function faultyBucket(keys: RegExp) {
  const control = { fault: 'none' as Fault };
  const get = async (key: string): Promise<R2ObjectBody | null> => {
    const fault = keys.test(key) ? control.fault : 'none';
    if (fault === 'error') throw new Error('get: We encountered an internal error. Please try again. (10001)');
    if (fault === 'hang') return new Promise<never>(() => {});
    const object = await env.MODELS.get(key);
    if (!object || fault === 'none') return object;
    // The object exists but its body breaks off mid-read.
    return Object.assign(Object.create(object) as R2ObjectBody, {
      arrayBuffer: () => Promise.reject(new Error('stream reset')),
    });
  };
  return { control, bucket: { get } as unknown as R2Bucket };
}

describe('R2 failing on a read', () => {
  const TTL = 5000;
  let now: number;
  beforeEach(() => {
    now = 0;
  });
  const storeOver = (bucket: R2Bucket) =>
    new ModelStore({ bucket, pointerTtlMs: TTL, readTimeoutMs: 50, now: () => now });

  const cases: Array<[Fault, RegExp, RegExp]> = [
    ['error', /current\//, /R2 read of "current\/en-ja\.json" failed: get: We encountered an internal error/],
    ['hang', /current\//, /R2 read of "current\/en-ja\.json" failed: no answer within 50 ms/],
    ['error', /manifest\.json$/, /manifest\.json" failed: get: We encountered an internal error/],
    ['hang', /weights\.bin$/, /weights\.bin" failed: no answer within 50 ms/],
    ['body-error', /vocab\.ja\.txt$/, /vocab\.ja\.txt" failed: stream reset/],
  ];
  for (const [fault, keys, detail] of cases) {
    it(`(${fault} on ${keys.source}) fails the lease with a ModelUnavailableError, then heals once R2 answers again`, async () => {
      const version = `r2-${fault}-${keys.source.replaceAll(/\W+/g, '')}`;
      await seedVersion(version);
      const { control, bucket } = faultyBucket(keys);
      const store = storeOver(bucket);
      control.fault = fault;
      const failed = await Promise.allSettled([store.lease(DIRECTION), store.lease(DIRECTION)]); // concurrent waiters too
      for (const result of failed) {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason;
        expect(reason).toBeInstanceOf(ModelUnavailableError);
        expect(reason.message).toMatch(/^en-ja is unavailable: (the model storage is not answering|its live pointer)/);
        expect(reason.detail).toMatch(detail); // the key and R2's own words, for /health and the log
      }
      expect(store.loaded()).toEqual([]);

      control.fault = 'none';
      now += TTL; // a failed load, or pointer read, is retried after the TTL
      const lease = await store.lease(DIRECTION);
      expect(lease.translator.id).toBe(`en-ja@${version}`);
      lease.release();
      lease.translator.dispose();
    });
  }
});

describe('the Worker while R2 errors', () => {
  it('answers 503 model_unavailable with Retry-After (not a 500), and serves again once R2 recovers', async () => {
    await seedVersion('r2-app-1');
    const { control, bucket } = faultyBucket(/./);
    const app = createApp();
    const faultyEnv = { ...env, MODELS: bucket };
    control.fault = 'error';
    for (const request of [
      post('/translate', { text: 'wa wb', beam: 1 }),
      new Request(url('/health')),
      new Request(url('/models')),
    ]) {
      const res = await app.request(request, undefined, faultyEnv);
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('5');
      const body = await res.json<{ error: { code: string; message: string; detail?: string } }>();
      expect(body.error).toMatchObject({
        code: 'model_unavailable',
        message: 'en-ja is unavailable: the model storage is not answering',
      });
      if (request.url.endsWith('/health'))
        expect(body.error.detail).toMatch(
          /^R2 read of "current\/en-ja\.json" failed: get: We encountered an internal error/,
        );
      else expect(body.error).not.toHaveProperty('detail'); // keys and R2's words only in /health and the log
    }
    control.fault = 'none'; // POINTER_TTL_SECONDS is 0 in the workers project: healed on the next request
    const res = await app.request(post('/translate', { text: 'wa wb', beam: 1 }), undefined, faultyEnv);
    expect(res.status).toBe(200);
    expect((await res.json<{ model: string }>()).model).toBe('en-ja@r2-app-1');
  });
});

describe('the Worker while R2 errors, once a model is in memory', () => {
  it('keeps answering with it, degraded, and is "ok" again once R2 recovers; the other direction is untouched', async () => {
    await seedVersion('r2-app-2');
    const { control, bucket } = faultyBucket(/en-ja/);
    const app = createApp();
    const faultyEnv = { ...env, MODELS: bucket };
    const translate = async () => app.request(post('/translate', { text: 'wa wb', beam: 1 }), undefined, faultyEnv);
    expect((await (await translate()).json<{ model: string }>()).model).toBe('en-ja@r2-app-2');
    control.fault = 'error';
    const res = await translate();
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Model')).toBe('en-ja@r2-app-2');
    expect(res.headers.get('X-Model-Degraded')).toBe('en-ja'); // the pointer cannot be read: no version to name
    const health = await app.request(url('/health'), undefined, faultyEnv);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      models: { 'en-ja': 'en-ja@r2-app-2', 'ja-en': 'ja-en@faults-j1' },
      degraded: {
        'en-ja': {
          live: 'en-ja',
          reason: 'the model storage is not answering',
          detail: expect.stringMatching(/R2 read of "current\/en-ja\.json" failed/),
        },
      },
    });
    control.fault = 'none';
    const healed = await translate();
    expect(healed.headers.get('X-Model-Degraded')).toBeNull();
    expect(await (await app.request(url('/health'), undefined, faultyEnv)).json()).toMatchObject({ status: 'ok' });
  });
});

type Result = { translation: string; tokens: string[]; score: number; model: string };

describe('a new version uploaded while requests are in flight', () => {
  it('fails no request; each response names the version that produced it; requests after the switch get the new one', async () => {
    const { sourceWords: words } = await seedVersion('switch-v1');
    const text = knownSentence(words, 5);
    const translateOnce = async () => {
      const res = await SELF.fetch(post('/translate', { text, beam: 2 }));
      return { status: res.status, body: await res.json<Result>() };
    };
    const expected = (await translateOnce()).body; // same weights in both versions: same output, other model id

    const responses: Array<Awaited<ReturnType<typeof translateOnce>>> = [];
    let switched = false;
    let afterSwitch = 0;
    const client = async () => {
      while (afterSwitch < 40) {
        const startedAfterSwitch = switched;
        const response = await translateOnce();
        responses.push(response);
        if (startedAfterSwitch) {
          afterSwitch++;
          expect(response.body.model).toBe('en-ja@switch-v2');
        }
      }
    };
    const upload = (async () => {
      while (responses.length < 20) await new Promise((r) => setTimeout(r, 5));
      await seedVersion('switch-v2'); // every file, then the pointer: the switch happens while clients keep sending
      switched = true;
    })();
    await Promise.all([upload, ...Array.from({ length: 8 }, client)]);

    expect(responses.filter((r) => r.status !== 200)).toEqual([]);
    const models = new Set(responses.map((r) => r.body.model));
    expect([...models].sort()).toEqual(['en-ja@switch-v1', 'en-ja@switch-v2']);
    const withoutModels = (body: Result) =>
      JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'model' ? undefined : value)));
    for (const { body } of responses) expect(withoutModels(body)).toEqual(withoutModels(expected)); // every `model`, sentences' too
    const loaded = await (
      await SELF.fetch(url('/models'))
    ).json<{ loaded: Array<{ direction: string; version: string }> }>();
    expect(loaded.loaded.filter((m) => m.direction === DIRECTION).map((m) => m.version)).toEqual(['switch-v2']); // v1 freed
  });
});

describe('concurrent requests in one isolate', () => {
  it('give exactly the results they give one at a time, and leave the tensor count where it was', async () => {
    const { sourceWords: words } = await seedVersion('concurrent-v1');
    const bodies = Array.from({ length: 24 }, (_, i) => {
      const text = knownSentence(words.slice(i % 7), 2 + (i % 5));
      if (i % 3 === 0) return { texts: [text, knownSentence(words.slice(i % 4), 3)], beam: 1 + (i % 4) };
      return { text, beam: 1 + (i % 6) };
    });
    const send = async (body: object) => (await SELF.fetch(post('/translate', body))).json<unknown>();
    const sequential = [];
    for (const body of bodies) sequential.push(await send(body));
    const before = tensorCount();
    const concurrent = await Promise.all(bodies.map(send));
    expect(concurrent).toEqual(sequential);
    expect(tensorCount()).toBe(before);
  });
});
