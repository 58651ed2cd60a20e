// The model store on its own, inside workerd, over the real Miniflare R2 bucket, with a clock the tests move.
import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ModelStore, ModelUnavailableError } from '../../src/store/model-store.js';
import { tensorCount } from '../../src/store/wasm-backend.js';
import { damage, removeLive, seedVersion, setLive } from './seed.js';

const DIRECTION = 'en-ja';

const TTL = 5000;
let now = 0;
let store: ModelStore;
let warn: MockInstance<typeof console.warn>;
let log: MockInstance<typeof console.log>;

beforeEach(() => {
  now = 0;
  store = new ModelStore({ bucket: env.MODELS, pointerTtlMs: TTL, now: () => now });
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('the live pointer', () => {
  it('is read at most once per TTL, so a new upload goes live within it', async () => {
    await seedVersion('store-a1');
    expect(await store.liveVersion(DIRECTION)).toBe('store-a1');
    await seedVersion('store-a2');
    now = TTL - 1;
    expect(await store.liveVersion(DIRECTION)).toBe('store-a1');
    now = TTL;
    expect(await store.liveVersion(DIRECTION)).toBe('store-a2');
  });

  it('that failed is read again after the TTL too', async () => {
    await removeLive();
    await expect(store.liveVersion(DIRECTION)).rejects.toThrow(/no live model for en-ja has been uploaded/);
    await setLive('store-a1');
    now = TTL - 1;
    await expect(store.liveVersion(DIRECTION)).rejects.toThrow(ModelUnavailableError);
    now = TTL;
    expect(await store.liveVersion(DIRECTION)).toBe('store-a1');
  });

  it('must name a version', async () => {
    await env.MODELS.put('current/en-ja.json', JSON.stringify({ version: '../other' }));
    await expect(store.liveVersion(DIRECTION)).rejects.toThrow(ModelUnavailableError);
  });

  it('may be of the old form {"version"}, and a "previous" that is no version id is ignored', async () => {
    await seedVersion('store-a3');
    await env.MODELS.put('current/en-ja.json', JSON.stringify({ version: 'store-a3' }));
    expect(await store.liveVersion(DIRECTION)).toBe('store-a3');
    await seedVersion('store-a4', { override: { 'vocab.ja.txt': null }, live: false });
    await env.MODELS.put('current/en-ja.json', JSON.stringify({ version: 'store-a4', previous: '../store-a3' }));
    await expect(new ModelStore({ bucket: env.MODELS, pointerTtlMs: TTL }).lease(DIRECTION)).rejects.toThrow(
      /its vocabulary could not be found/,
    );
  });
});

describe('leases', () => {
  it('load a version once and share it, also between concurrent requests', async () => {
    await seedVersion('store-b1');
    const [a, b] = await Promise.all([store.lease(DIRECTION), store.lease(DIRECTION)]);
    const c = await store.lease(DIRECTION);
    expect(a.translator).toBe(b.translator);
    expect(c.translator).toBe(a.translator);
    expect(store.loaded()).toEqual([
      { direction: DIRECTION, version: 'store-b1', ready: true, holders: 3, retired: false },
    ]);
    for (const lease of [a, b, c]) lease.release();
    a.translator.dispose();
  });

  it('say how long the request waited for a load, and only when it did', async () => {
    await seedVersion('store-b2');
    const first = await store.lease(DIRECTION);
    const second = await store.lease(DIRECTION);
    expect(first.loadMs).toBeGreaterThanOrEqual(0);
    expect(second.loadMs).toBeUndefined();
    first.release();
    second.release();
    first.translator.dispose();
  });

  it('keep an old version alive for the requests holding it, then dispose it', async () => {
    await seedVersion('store-c1');
    const before = tensorCount();
    const old = await store.lease(DIRECTION);
    const perModel = tensorCount() - before;
    expect(perModel).toBeGreaterThan(0);

    await seedVersion('store-c2');
    now += TTL;
    const current = await store.lease(DIRECTION);
    expect(current.translator.id).toBe('en-ja@store-c2');
    expect(store.loaded().find((m) => m.version === 'store-c1')).toMatchObject({ retired: true, holders: 1 });
    expect(old.translator.translate(['wa wb'], { beam: 1 }).translations).toHaveLength(1); // still usable

    old.release();
    expect(store.loaded().map((m) => m.version)).toEqual(['store-c2']);
    expect(tensorCount() - before).toBe(perModel); // the old version's tensors are gone
    current.release();
    current.translator.dispose();
  });

  it('bring a retired version back when the pointer is rolled back while it is still held', async () => {
    await seedVersion('store-d1');
    const held = await store.lease(DIRECTION);
    await seedVersion('store-d2');
    now += TTL;
    (await store.lease(DIRECTION)).release();
    await setLive('store-d1');
    now += TTL;
    const again = await store.lease(DIRECTION);
    expect(again.translator).toBe(held.translator);
    held.release();
    again.release();
    expect(store.loaded().map((m) => [m.version, m.retired])).toEqual([['store-d1', false]]);
    again.translator.dispose();
  });
});

describe('an ensemble', () => {
  it('is leased whole by a caller that will wait (a document job), even by the request that loads it', async () => {
    await seedVersion('store-ens0', { artifact: 'en-ja-ensemble' });
    const [whole, first] = await Promise.all([
      store.lease(DIRECTION, undefined, { whole: true }),
      store.lease(DIRECTION),
    ]);
    expect([whole.partial, whole.translator.partial]).toEqual([undefined, false]);
    expect(first.partial).toBe(true);
    for (const lease of [whole, first]) lease.release();
    whole.translator.dispose();
  });

  it('answers the requests that wait for its load with its first model, then loads the other members for the next', async () => {
    const { sourceText } = await seedVersion('store-ens1', { artifact: 'en-ja-ensemble' });
    const before = tensorCount();
    const [a, b] = await Promise.all([store.lease(DIRECTION), store.lease(DIRECTION)]);
    expect([a.partial, b.partial, a.translator.partial]).toEqual([true, true, true]);
    const c = await store.lease(DIRECTION);
    expect([c.partial, c.translator.partial, c.loadMs! >= 0]).toEqual([undefined, false, true]); // it waited for the member
    const d = await store.lease(DIRECTION);
    expect([d.translator, d.loadMs]).toEqual([c.translator, undefined]);
    const first = a.translator.translate([sourceText], { beam: 2 }).translations;
    expect(first).toEqual(c.translator.translate([sourceText], { beam: 2, ensemble: false }).translations);
    expect(first).not.toEqual(c.translator.translate([sourceText], { beam: 2 }).translations);
    for (const lease of [a, b, c, d]) lease.release();
    c.translator.dispose(); // the first model's tensors and the member's
    expect(tensorCount()).toBe(before);
  });

  it('answers with its first model alone while a member cannot be loaded, and loads it again after the TTL', async () => {
    const { manifest } = await seedVersion('store-ens2', { artifact: 'en-ja-ensemble' });
    const weights = Object.keys(manifest.files).find((path) => path.startsWith('members/') && path.endsWith('.bin'))!;
    await damage('store-ens2', weights, 'flip');
    (await store.lease(DIRECTION)).release();
    const partial = await store.lease(DIRECTION);
    expect(partial.partial).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^en-ja@store-ens2 answers with its first model alone: .*sha256/),
    );
    partial.release();
    await seedVersion('store-ens2', { artifact: 'en-ja-ensemble' }); // repaired
    now = TTL - 1;
    const still = await store.lease(DIRECTION);
    expect(still.partial).toBe(true);
    still.release();
    now = TTL;
    const whole = await store.lease(DIRECTION);
    expect(whole.partial).toBeUndefined();
    whole.release();
    whole.translator.dispose();
  });
});

describe('failed loads', () => {
  it('are not cached: after the TTL the next request loads again', async () => {
    await seedVersion('store-e1', { override: { 'vocab.ja.txt': null }, previous: null });
    await expect(store.lease(DIRECTION)).rejects.toThrow(
      /en-ja is unavailable: its vocabulary could not be found in storage/,
    );
    expect(store.loaded()).toEqual([]);

    await seedVersion('store-e1'); // the upload is repaired
    now += TTL - 1;
    await expect(store.lease(DIRECTION)).rejects.toThrow(ModelUnavailableError); // remembered for one TTL
    now += 1;
    const lease = await store.lease(DIRECTION);
    expect(lease.translator.id).toBe('en-ja@store-e1');
    lease.release();
    lease.translator.dispose();
  });
});

describe('a live version that cannot be loaded', () => {
  /** A store that has loaded `good`, then a pointer {version: `bad`, previous: `good`} with `bad` damaged. */
  async function degradedStore(good: string, bad: string) {
    await seedVersion(good, { previous: null });
    (await store.lease(DIRECTION)).release();
    await seedVersion(bad);
    await damage(bad, 'decoder/weights.bin', 'flip');
    now += TTL;
  }

  it('is replaced by the version last loaded, flagged degraded with the reason and the detail', async () => {
    await degradedStore('store-f1', 'store-f2');
    const lease = await store.lease(DIRECTION);
    expect(lease.translator.id).toBe('en-ja@store-f1');
    expect(lease.degraded).toEqual({
      live: 'en-ja@store-f2',
      reason: 'its weights failed verification',
      detail: expect.stringMatching(
        /^model en-ja@store-f2 cannot be loaded: "decoder\/weights\.bin" has sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}$/,
      ),
    });
    expect(await store.liveVersion(DIRECTION)).toBe('store-f1'); // what a lease gets, for cache keys
    lease.release();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^en-ja degraded: en-ja@store-f1 answers instead of en-ja@store-f2; model en-ja@store-f2 cannot be loaded: "decoder\/weights\.bin" has sha256/,
      ),
    );
  });

  it('is retried once per TTL, and answers as soon as it loads; the fallback is freed', async () => {
    await degradedStore('store-g1', 'store-g2');
    (await store.lease(DIRECTION)).release();
    await seedVersion('store-g2', { live: false }); // repaired in place, the pointer untouched
    now += TTL - 1;
    const before = await store.lease(DIRECTION);
    expect(before.translator.id).toBe('en-ja@store-g1'); // the failure is trusted for a TTL
    before.release();
    now += 1;
    const lease = await store.lease(DIRECTION);
    expect(lease.translator.id).toBe('en-ja@store-g2');
    expect(lease.degraded).toBeUndefined();
    lease.release();
    expect(store.loaded().map((m) => m.version)).toEqual(['store-g2']);
    expect(log).toHaveBeenCalledWith('en-ja recovered: the live en-ja@store-g2 answers again');
    lease.translator.dispose();
  });

  it('holds up only the request that retries it: the others are served by the fallback meanwhile', async () => {
    await degradedStore('store-h1', 'store-h2');
    (await store.lease(DIRECTION)).release();
    await seedVersion('store-h2', { live: false });
    now += TTL;
    const [retrying, other] = await Promise.all([store.lease(DIRECTION), store.lease(DIRECTION)]);
    expect(retrying.translator.id).toBe('en-ja@store-h2');
    expect(other.translator.id).toBe('en-ja@store-h1');
    expect(other.degraded?.live).toBe('en-ja@store-h2');
    retrying.release();
    other.release();
    expect(store.loaded().map((m) => m.version)).toEqual(['store-h2']); // the fallback went with its last request
    retrying.translator.dispose();
  });

  it("is replaced by the pointer's previous version in an isolate that has loaded nothing", async () => {
    await seedVersion('store-i1', { previous: null });
    await seedVersion('store-i2');
    await damage('store-i2', 'vocab.en.txt', 'truncate');
    const lease = await store.lease(DIRECTION);
    expect(lease.translator.id).toBe('en-ja@store-i1');
    expect(lease.degraded).toMatchObject({ live: 'en-ja@store-i2', reason: 'its vocabulary failed verification' });
    lease.release();
    lease.translator.dispose();
  });

  it('is a ModelUnavailableError only when no earlier version loads either, with both failures in the detail', async () => {
    await seedVersion('store-j1', { previous: null });
    await damage('store-j1', 'manifest.json', 'delete');
    await seedVersion('store-j2');
    await damage('store-j2', 'encoder/weights.bin', 'truncate');
    const error = await store.lease(DIRECTION).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).message).toBe(
      'en-ja is unavailable: its weights failed verification; no earlier version can be loaded either',
    );
    expect((error as ModelUnavailableError).detail).toMatch(
      /store-j2 cannot be loaded: .*encoder\/weights\.bin" has \d+ bytes.*; fallback model en-ja@store-j1: "models\/en-ja\/store-j1\/manifest\.json" not found/,
    );
  });

  it('that is leased by version, as liveVersion named it, is leased like the live one', async () => {
    await seedVersion('store-k1', { previous: null });
    await seedVersion('store-k2');
    await damage('store-k2', 'decoder/weights.bin', 'delete');
    expect(await store.liveVersion(DIRECTION)).toBe('store-k2'); // not known to be broken before a load
    const first = await store.lease(DIRECTION, 'store-k2');
    expect(first.translator.id).toBe('en-ja@store-k1');
    expect(await store.liveVersion(DIRECTION)).toBe('store-k1');
    const second = await store.lease(DIRECTION, 'store-k1');
    expect(second.degraded?.reason).toBe('its weights could not be found in storage');
    first.release();
    second.release();
    first.translator.dispose();
  });
});
