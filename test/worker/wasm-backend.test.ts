// The tfjs WASM backend starts inside workerd from the imported SIMD module (no fetch, no eval, no threads).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initWasmBackend, tensorCount, wasmHeapBytes } from '../../src/store/wasm-backend.js';

describe('the wasm backend in workerd', () => {
  it('starts, once, however often it is asked to', async () => {
    await Promise.all([initWasmBackend(), initWasmBackend()]);
    await initWasmBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmHeapBytes()).toBeGreaterThan(0);
  });

  it('computes with WASM kernels', async () => {
    await initWasmBackend();
    const before = tensorCount();
    const product = tf.tidy(() =>
      tf
        .matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([[5], [6]]),
        )
        .dataSync(),
    );
    expect(Array.from(product)).toEqual([17, 39]);
    expect(tensorCount()).toBe(before);
  });
});
