// The decoder's matrix products (src/core/model/gemm.ts, gemm.wat): what they compute, for any subset of units and
// any number of rows, and that the committed binary is the assembled source.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleGemm, GEMM_WASM } from '../../train/build-gemm.js';
import { Gemm, useGemm } from '../../src/core/model/gemm.js';

/** Seeded uniform values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

/** out[r, c] = bias[id] + sum_k x[r, k] kernel[k, id], in float64. */
function reference(x: Float32Array, kernel: Float32Array, bias: Float32Array, K: number, ids: number[]): Float64Array {
  const [rows, N] = [x.length / K, kernel.length / K];
  const out = new Float64Array(rows * ids.length);
  for (let r = 0; r < rows; r++) ids.forEach((id, c) => {
    let sum = bias[id];
    for (let k = 0; k < K; k++) sum += x[r * K + k] * kernel[k * N + id];
    out[r * ids.length + c] = sum;
  });
  return out;
}

const largestError = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const largest = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

beforeAll(() => {
  useGemm(new WebAssembly.Module(readFileSync(GEMM_WASM)));
});

describe('gemm.wasm', () => {
  it('is what gemm.wat assembles to (npm run build:gemm)', async () => {
    expect(Buffer.from(await assembleGemm()).equals(readFileSync(GEMM_WASM))).toBe(true);
  });
});

describe.each([
  { precision: 'float32' as const, tolerance: 1e-5 },
  { precision: 'int8' as const, tolerance: 1e-2 }, // of the largest output
])('Gemm, $precision weights', ({ precision, tolerance }) => {
  // K not a multiple of 16 (padded), more units than a block of 16, weights of the scale a trained LSTM has.
  const [K, N, rows] = [37, 45, 5];
  const kernel = values(K * N, 1, 0.3);
  const bias = values(N, 2, 0.1);
  const x = values(rows * K, 3, 2);

  it('multiplies every unit', () => {
    const gemm = new Gemm();
    const out = gemm.multiply(gemm.matrix(kernel, bias, K, precision), x);
    const want = reference(x, kernel, bias, K, Array.from({ length: N }, (_, j) => j));
    expect(largestError(out, want)).toBeLessThan(tolerance * largest(want));
  });

  it('multiplies a subset of units by id, in the order given', () => {
    const gemm = new Gemm();
    const ids = [44, 3, 17, 0, 30, 31, 29];
    const out = gemm.multiply(gemm.matrix(kernel, bias, K, precision), x, Int32Array.from(ids));
    const all = gemm.multiply(gemm.matrix(kernel, bias, K, precision), x);
    for (let r = 0; r < rows; r++) ids.forEach((id, c) => expect(out[r * ids.length + c]).toBe(all[r * N + id]));
  });

  it("gives a row the same result whatever rows share its batch, and a zero row its bias", () => {
    const gemm = new Gemm();
    const m = gemm.matrix(kernel, bias, K, precision);
    const batch = gemm.multiply(m, x);
    for (let r = 0; r < rows; r++) expect(gemm.multiply(m, x.subarray(r * K, (r + 1) * K))).toEqual(batch.subarray(r * N, (r + 1) * N));
    expect(largestError(gemm.multiply(m, new Float32Array(K)), bias)).toBe(0);
  });

  it('grows its memory for large batches and keeps the weights', () => {
    const gemm = new Gemm();
    const m = gemm.matrix(kernel, bias, K, precision);
    const before = gemm.bytes;
    const many = values(3000 * K, 4, 2);
    const out = gemm.multiply(m, many);
    expect(gemm.bytes).toBeGreaterThan(before);
    expect(out.subarray(0, N)).toEqual(gemm.multiply(m, many.subarray(0, K)));
  });
});

describe('Gemm.probabilities', () => {
  it('is the softmax of each row over the columns its group keeps, the others 0', () => {
    const gemm = new Gemm();
    const [K, N] = [20, 7]; // 7 columns: a SIMD part and a tail
    const m = gemm.matrix(values(K * N, 5, 0.5), values(N, 6), K, 'float32');
    const x = values(4 * K, 7, 3);
    const logits = gemm.multiply(m, x);
    const masks = [Uint8Array.from([1, 0, 1, 1, 0, 1, 1]), Uint8Array.from([0, 1, 1, 1, 1, 1, 0])];
    const probs = gemm.probabilities(m, x, undefined, 2, masks); // rows 0-1 the first mask, 2-3 the second
    const all = gemm.probabilities(m, x, undefined, 1);
    for (let r = 0; r < 4; r++) {
      const softmax = (keep: (c: number) => boolean) => {
        const row = Array.from(logits.subarray(r * N, (r + 1) * N));
        const max = Math.max(...row.filter((_, c) => keep(c)));
        const e = row.map((v, c) => (keep(c) ? Math.exp(v - max) : 0));
        const sum = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / sum);
      };
      const mask = masks[Math.floor(r / 2)];
      expect(largestError(probs.subarray(r * N, (r + 1) * N), softmax((c) => mask[c] === 1))).toBeLessThan(1e-6);
      expect(largestError(all.subarray(r * N, (r + 1) * N), softmax(() => true))).toBeLessThan(1e-6);
      mask.forEach((keep, c) => keep || expect(probs[r * N + c]).toBe(0));
    }
  });
});

