// The model store on its own, inside workerd, over the real Miniflare R2 bucket, with a clock the tests move.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { ModelStore, ModelUnavailableError } from '../../src/store/model-store.js';
import { tensorCount } from '../../src/store/wasm-backend.js';
import { removeLive, seedVersion, setLive } from './seed.js';

const DIRECTION = 'en-ja';

const TTL = 5000;
let now = 0;
let store: ModelStore;

beforeEach(() => {
  now = 0;
  store = new ModelStore({ bucket: env.MODELS, pointerTtlMs: TTL, now: () => now });
});

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

  it('is re-read after a failed read, without waiting for the TTL', async () => {
    await removeLive();
    await expect(store.liveVersion(DIRECTION)).rejects.toThrow(/current\/en-ja\.json" not found/);
    await setLive('store-a1');
    expect(await store.liveVersion(DIRECTION)).toBe('store-a1');
  });

  it('must name a version', async () => {
    await env.MODELS.put('current/en-ja.json', JSON.stringify({ version: '../other' }));
    await expect(store.liveVersion(DIRECTION)).rejects.toThrow(ModelUnavailableError);
  });
});

describe('leases', () => {
  it('load a version once and share it, also between concurrent requests', async () => {
    await seedVersion('store-b1');
    const [a, b] = await Promise.all([store.lease(DIRECTION), store.lease(DIRECTION)]);
    const c = await store.lease(DIRECTION);
    expect(a.translator).toBe(b.translator);
    expect(c.translator).toBe(a.translator);
    expect(store.loaded()).toEqual([{ direction: DIRECTION, version: 'store-b1', ready: true, holders: 3, retired: false }]);
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

describe('failed loads', () => {
  it('are not cached: after the TTL the next request loads again', async () => {
    await seedVersion('store-e1', { override: { 'vocab.ja.txt': null } });
    await expect(store.lease(DIRECTION)).rejects.toThrow(/vocab\.ja\.txt" not found/);
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
