// The model's math in src/core/model/gemm.ts and gemm.c (matrix products, softmax, LSTM cells, attention): what
// each computes against float64, for any subset of units and any number of rows. The products' exact oracles and
// edge shapes are in gemm-exact.test.ts, the binary's build in gemm-build.test.ts.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Gemm, useGemm } from '../../src/core/model/gemm.js';

const GEMM_WASM = new URL('../../src/core/model/gemm.wasm', import.meta.url);

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
  for (let r = 0; r < rows; r++)
    ids.forEach((id, c) => {
      let sum = bias[id];
      for (let k = 0; k < K; k++) sum += x[r * K + k] * kernel[k * N + id];
      out[r * ids.length + c] = sum;
    });
  return out;
}

const largestError = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const largest = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

beforeAll(() => {
  useGemm(new WebAssembly.Module(readFileSync(GEMM_WASM)));
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
    const out = gemm.multiply(gemm.matrix([kernel], bias, K, precision), x);
    const want = reference(
      x,
      kernel,
      bias,
      K,
      Array.from({ length: N }, (_, j) => j),
    );
    expect(largestError(out, want)).toBeLessThan(tolerance * largest(want));
  });

  it('multiplies a subset of units by id, in the order given', () => {
    const gemm = new Gemm();
    const ids = [44, 3, 17, 0, 30, 31, 29];
    const out = gemm.multiply(gemm.matrix([kernel], bias, K, precision), x, Int32Array.from(ids));
    const all = gemm.multiply(gemm.matrix([kernel], bias, K, precision), x);
    for (let r = 0; r < rows; r++) ids.forEach((id, c) => expect(out[r * ids.length + c]).toBe(all[r * N + id]));
  });

  it('gives a row the same result whatever rows share its batch, and a zero row its bias', () => {
    const gemm = new Gemm();
    const m = gemm.matrix([kernel], bias, K, precision);
    const batch = gemm.multiply(m, x);
    for (let r = 0; r < rows; r++)
      expect(gemm.multiply(m, x.subarray(r * K, (r + 1) * K))).toEqual(batch.subarray(r * N, (r + 1) * N));
    expect(largestError(gemm.multiply(m, new Float32Array(K)), bias)).toBe(0);
  });

  it('grows its memory for large batches and keeps the weights', () => {
    const gemm = new Gemm();
    const m = gemm.matrix([kernel], bias, K, precision);
    const before = gemm.bytes;
    const many = values(3000 * K, 4, 2);
    const out = gemm.multiply(m, many);
    expect(gemm.bytes).toBeGreaterThan(before);
    expect(out.subarray(0, N)).toEqual(gemm.multiply(m, many.subarray(0, K)));
  });
});

describe('Gemm.probabilities', () => {
  it("is the softmax of each row over its group's units, in float64 within 1e-6", () => {
    const gemm = new Gemm();
    const [K, N] = [20, 9];
    const m = gemm.matrix([values(K * N, 5, 0.5)], values(N, 6), K, 'float32');
    const x = values(4 * K, 7, 3);
    const logits = gemm.multiply(m, x);
    const softmax = (r: number, ids: number[]) => {
      const row = ids.map((id) => logits[r * N + id]);
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      return e.map((v) => v / e.reduce((a, b) => a + b, 0));
    };
    const groups = [
      [0, 2, 3, 5, 6, 8, 1],
      [4, 7],
    ]; // rows 0-1 the first (a SIMD part and a tail), 2-3 the second
    const probs = gemm.probabilities(
      m,
      x,
      groups.map((ids) => Int32Array.from(ids)),
    );
    const offsets = [0, 7, 14, 16];
    for (let r = 0; r < 4; r++) {
      const ids = groups[Math.floor(r / 2)];
      expect(largestError(probs.subarray(offsets[r], offsets[r] + ids.length), softmax(r, ids))).toBeLessThan(1e-6);
    }
    expect(probs.length).toBe(18);
    const all = gemm.probabilities(m, x);
    const every = Array.from({ length: N }, (_, id) => id);
    for (let r = 0; r < 4; r++)
      expect(largestError(all.subarray(r * N, (r + 1) * N), softmax(r, every))).toBeLessThan(1e-6);
  });
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe.each([{ H: 8 }, { H: 6 }])('Gemm.lstm, H = $H (a tail of units when not a multiple of 4)', ({ H }) => {
  it("is Keras's cell on x . W (+ the added input projection), in float64 within 1e-6", () => {
    const gemm = new Gemm();
    const [K, rows] = [5, 3];
    const [kernel, bias] = [values(K * 4 * H, 8, 0.5), values(4 * H, 9, 0.2)];
    const m = gemm.matrix([kernel], bias, K, 'float32');
    const [x, c, add] = [values(rows * K, 10, 2), values(rows * H, 11, 1), values(rows * 4 * H, 12, 3)];
    for (const extra of [undefined, add]) {
      const out = gemm.lstm(m, x, c, extra);
      const z = reference(
        x,
        kernel,
        bias,
        K,
        Array.from({ length: 4 * H }, (_, j) => j),
      );
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < H; j++) {
          const gate = (g: number) => z[r * 4 * H + g * H + j] + (extra ? extra[r * 4 * H + g * H + j] : 0);
          const cell = sigmoid(gate(1)) * c[r * H + j] + sigmoid(gate(0)) * Math.tanh(gate(2));
          expect(Math.abs(out.c[r * H + j] - cell)).toBeLessThan(1e-6);
          expect(Math.abs(out.h[r * H + j] - sigmoid(gate(3)) * Math.tanh(cell))).toBeLessThan(1e-6);
        }
    }
  });
});

describe.each([{ H: 8 }, { H: 7 }])('Gemm.attend, H = $H', ({ H }) => {
  const lengths = [3, 5, 1];
  const S = 5;
  /** A memory of seeded keys and values [B, S, H]. */
  const memory = (seed: number) => ({
    lengths,
    attention: { keys: values(3 * S * H, seed, 1), values: values(3 * S * H, seed + 1, 1) },
  });

  /** Row s's weights and context over sentence b of a memory, in float64. */
  function expected(m: ReturnType<typeof memory>, b: number, s: Float32Array) {
    const at = (x: Float32Array, t: number, j: number) => x[(b * S + t) * H + j];
    const scores = Array.from({ length: lengths[b] }, (_, t) =>
      s.reduce((sum, v, j) => sum + v * at(m.attention.keys, t, j), 0),
    );
    const e = scores.map((v) => Math.exp(v - Math.max(...scores)));
    const weights = e.map((v) => v / e.reduce((a, w) => a + w, 0));
    return {
      weights,
      context: Array.from({ length: H }, (_, j) =>
        weights.reduce((sum, w, t) => sum + w * at(m.attention.values, t, j), 0),
      ),
    };
  }

  it("gives each row the softmax over its own sentence's tokens and the weighted values, 0 past its end", () => {
    const gemm = new Gemm();
    const [m, R, sentences] = [memory(13), 2, [1, 2, 0]]; // rows 0-1 read sentence 1, 2-3 sentence 2, 4-5 sentence 0
    const s = values(6 * H, 15, 1);
    const out = gemm.attend(m, sentences, R, s);
    for (let r = 0; r < 6; r++) {
      const b = sentences[Math.floor(r / R)];
      const want = expected(m, b, s.subarray(r * H, (r + 1) * H));
      expect(largestError(out.weights.subarray(r * S, r * S + lengths[b]), want.weights)).toBeLessThan(1e-6);
      expect(Array.from(out.weights.subarray(r * S + lengths[b], (r + 1) * S))).toEqual(
        new Array(S - lengths[b]).fill(0),
      );
      expect(largestError(out.contexts.subarray(r * H, (r + 1) * H), want.context)).toBeLessThan(1e-6);
    }
  });

  it('reads the memory it is given when memories alternate, and a row alone as in a batch', () => {
    const gemm = new Gemm();
    const [a, b] = [memory(20), memory(30)];
    const s = values(3 * H, 16, 1);
    const first = gemm.attend(a, [0, 1, 2], 1, s);
    expect(gemm.attend(b, [0, 1, 2], 1, s).contexts).not.toEqual(first.contexts);
    expect(gemm.attend(a, [0, 1, 2], 1, s)).toEqual(first);
    expect(gemm.attend(a, [1], 1, s.subarray(H, 2 * H)).contexts).toEqual(first.contexts.subarray(H, 2 * H));
  });
});

describe('Gemm.matrix from uint8 codes', () => {
  it('stores stacked kernels given as codes and as float32 exactly as it stores their float32 values', () => {
    const [K1, K2, N] = [7, 5, 9];
    const codes = Uint8Array.from({ length: K1 * N }, (_, i) => (i * 37) % 256);
    const [scale, min] = [0.0123, -1.5];
    const dequantized = Float32Array.from(codes, (code) => code * scale + min); // as tfjs decodes uint8
    const rest = values(K2 * N, 17, 0.5);
    const x = values(3 * (K1 + K2), 18, 1);
    for (const precision of ['int8', 'float32'] as const) {
      const gemm = new Gemm();
      const fromCodes = gemm.matrix([{ codes, scale, min }, rest], undefined, K1 + K2, precision);
      const fromFloats = gemm.matrix([dequantized, rest], undefined, K1 + K2, precision);
      expect(gemm.multiply(fromCodes, x)).toEqual(gemm.multiply(fromFloats, x));
    }
  });
});
