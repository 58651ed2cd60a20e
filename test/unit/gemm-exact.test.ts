// Exact oracles for the matrix products of src/core/model/gemm.c, through Gemm as the model calls them: float32
// summed in the kernel's order and int8 quantized as the kernels quantize must both equal their references bit for
// bit on a sweep of edge shapes; the int8 error against float64 stays within its own budget; the int32 sums reach
// their bound exactly (K = 2048, every |q| at its largest); and no kernel reads or writes past its buffers.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Gemm, useGemm, type Precision } from '../../src/core/model/gemm.js';

const compiled = new WebAssembly.Module(readFileSync(new URL('../../src/core/model/gemm.wasm', import.meta.url)));
beforeAll(() => useGemm(compiled));

const ALIGN = 16; // K is padded with zeros to a multiple of 16
const WEIGHT_Q = 127; // int8 weights: |q| <= 127
const INPUT_Q = 8191; // int16 inputs: |q| <= 8191
const f = Math.fround;

/** Seeded uniform values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

/** f32.nearest: to the nearest integer, ties to even (Math.round sends ties up). */
function nearest(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A product as the model asks for one: x [rows, K] times a Keras kernel [K, N], plus bias [N]. */
interface Case {
  K: number;
  N: number;
  rows: number;
  kernel: Float32Array;
  bias: Float32Array;
  x: Float32Array;
}

function seeded(K: number, N: number, rows: number, seed = K * 1000 + N * 10 + rows): Case {
  return {
    K,
    N,
    rows,
    kernel: values(K * N, seed, 0.3),
    bias: values(N, seed + 1, 0.1),
    x: values(rows * K, seed + 2, 2),
  };
}

/** Gemm's product of every unit, ids in reverse order (out[r, c] is unit N - 1 - c): [rows, N]. */
function viaGemm(c: Case, precision: Precision): Float32Array {
  const gemm = new Gemm();
  const ids = Int32Array.from({ length: c.N }, (_, i) => c.N - 1 - i);
  const out = gemm.multiply(gemm.matrix([c.kernel], c.bias, c.K, precision), c.x, ids);
  return out.map((_, i) => out[Math.floor(i / c.N) * c.N + (c.N - 1 - (i % c.N))]); // back to unit order
}

/**
 * float32 in the kernel's order: over K padded with zeros, lane l of eight sums k = l mod 8, lanes l and l + 4 are
 * added, then those four as (0 + 1) + (2 + 3). Every operation rounded to float32 as f32.add and f32.mul round.
 */
function float32Reference({ K, N, rows, kernel, bias, x }: Case): Float32Array {
  const padded = Math.ceil(K / ALIGN) * ALIGN;
  const out = new Float32Array(rows * N);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < N; j++) {
      const lane = new Array<number>(8).fill(0);
      for (let k = 0; k < padded; k++) {
        const product = k < K ? f(kernel[k * N + j] * x[r * K + k]) : 0;
        lane[k % 8] = f(lane[k % 8] + product);
      }
      const acc = [0, 1, 2, 3].map((l) => f(lane[l] + lane[l + 4]));
      out[r * N + j] = f(bias[j] + f(f(acc[0] + acc[1]) + f(acc[2] + acc[3])));
    }
  return out;
}

/** Weights as units_largest, units_scales and units_quantize make them: q [N][K] and a scale per unit. */
function quantizeWeights({ K, N, kernel }: Case): { q: Int8Array[]; scales: Float32Array } {
  const scales = new Float32Array(N);
  const q = Array.from({ length: N }, () => new Int8Array(K)); // an Int8Array keeps the low 8 bits, as i32.store8
  for (let j = 0; j < N; j++) {
    let largest = 0;
    for (let k = 0; k < K; k++) largest = Math.max(largest, Math.abs(kernel[k * N + j]));
    scales[j] = f(largest / WEIGHT_Q);
    const inverse = scales[j] > 0 ? f(1 / scales[j]) : 0;
    for (let k = 0; k < K; k++) q[j][k] = nearest(f(kernel[k * N + j] * inverse));
  }
  return { q, scales };
}

/** A row as quantize_rows makes it: q (rounded, saturated to int16 as i16x8.narrow_i32x4_s does) and its scale. */
function quantizeRow(row: Float32Array): { q: Int16Array; scale: number } {
  const largest = row.reduce((top, v) => Math.max(top, Math.abs(v)), 0);
  const inverse = largest > 0 ? f(INPUT_Q / largest) : 0;
  const q = Int16Array.from(row, (v) => Math.min(32767, Math.max(-32768, nearest(f(v * inverse)))));
  return { q, scale: f(largest / INPUT_Q) };
}

/** int8 weights by int16 inputs, summed exactly in integers as gemm_i8 sums them: outputs, sums and scales. */
function int8Reference(c: Case) {
  const w = quantizeWeights(c);
  const rows = Array.from({ length: c.rows }, (_, r) => quantizeRow(c.x.subarray(r * c.K, (r + 1) * c.K)));
  const out = new Float32Array(c.rows * c.N);
  const sums = new Float64Array(c.rows * c.N);
  rows.forEach((x, r) => {
    for (let j = 0; j < c.N; j++) {
      let sum = 0;
      for (let k = 0; k < c.K; k++) sum += x.q[k] * w.q[j][k];
      sums[r * c.N + j] = sum;
      out[r * c.N + j] = f(c.bias[j] + f(f(x.scale * w.scales[j]) * f(sum)));
    }
  });
  return { out, sums, wscales: w.scales, xscales: rows.map((x) => x.scale) };
}

/** Where two float32 arrays first differ in their bits, or undefined. */
function firstDifference(got: Float32Array, want: Float32Array): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, want ${want.length}`;
  const [a, b] = [
    new Uint32Array(got.buffer, got.byteOffset, got.length),
    new Uint32Array(want.buffer, want.byteOffset, want.length),
  ];
  const i = a.findIndex((bits, j) => bits !== b[j]);
  return i < 0 ? undefined : `[${i}]: ${got[i]}, want ${want[i]}`;
}

const Ks = [1, 15, 16, 17, 2048];
const UNITS = [1, 15, 16, 17];
const ROWS = [1, 2, 3, 4, 5, 8]; // 4: one quad of rows; 5: a quad and a row alone; 8: two quads

describe.each(Ks)('products with K = %i, units 1, 15, 16 and 17, rows 1-5 and 8', (K) => {
  const shapes = UNITS.flatMap((N) => ROWS.map((rows) => seeded(K, N, rows)));

  it('float32 equals its reference bit for bit', () => {
    for (const c of shapes)
      expect(firstDifference(viaGemm(c, 'float32'), float32Reference(c)), `N ${c.N}, rows ${c.rows}`).toBeUndefined();
  });

  it('int8 equals the integer reference bit for bit', () => {
    for (const c of shapes)
      expect(firstDifference(viaGemm(c, 'int8'), int8Reference(c).out), `N ${c.N}, rows ${c.rows}`).toBeUndefined();
  });

  // Each term's error: x e_w + w e_x + e_x e_w with |e_w| <= wscale / 2 and |e_x| <= xscale / 2 (a little more: the
  // quotient before rounding is itself rounded), then float32 rounding of the scales' product, the sum and the bias.
  it('int8 is within its quantization budget of float64', () => {
    for (const c of shapes) {
      const { wscales, xscales } = int8Reference(c);
      const got = viaGemm(c, 'int8');
      for (let r = 0; r < c.rows; r++)
        for (let j = 0; j < c.N; j++) {
          const [sx, sw] = [xscales[r], wscales[j]];
          let [exact, budget, magnitude] = [c.bias[j], 0, Math.abs(c.bias[j])];
          for (let k = 0; k < c.K; k++) {
            const [x, w] = [c.x[r * c.K + k], c.kernel[k * c.N + j]];
            exact += x * w;
            budget += Math.abs(x) * (sw / 2) + Math.abs(w) * (sx / 2) + (sx * sw) / 4;
            magnitude += Math.abs(x * w);
          }
          const error = Math.abs(got[r * c.N + j] - exact);
          expect(error, `N ${c.N}, rows ${c.rows}, [${r}, ${j}]`).toBeLessThanOrEqual(
            1.01 * budget + 2 ** -20 * magnitude,
          );
        }
    }
  });
});

describe('int8 at the int32 bound: K = 2048, every |q| at its largest, every product of one sign', () => {
  const BOUND = WEIGHT_Q * INPUT_Q * 2048; // 2130706432 < 2^31

  it.each([
    { sign: 1, rows: 1 },
    { sign: -1, rows: 5 },
    { sign: 1, rows: 8 },
  ])('sums to $sign x 127 x 8191 x 2048 with $rows rows, equal to the integer reference', ({ sign, rows }) => {
    const [K, N] = [2048, 17];
    const signOf = (k: number) => (k % 3 ? 1 : -1);
    const c: Case = {
      K,
      N,
      rows,
      kernel: Float32Array.from({ length: K * N }, (_, i) => 0.5 * signOf(Math.floor(i / N))),
      bias: values(N, 7, 0.1),
      x: Float32Array.from({ length: rows * K }, (_, i) => 2 * sign * signOf(i % K)),
    };
    const want = int8Reference(c);
    expect(Array.from(new Set(want.sums))).toEqual([sign * BOUND]);
    expect(firstDifference(viaGemm(c, 'int8'), want.out)).toBeUndefined();
  });
});

describe('quantization', () => {
  it('rounds ties to even, as f32.nearest does', () => {
    // Largest |x| 8191 and largest |w| 127: both scales are 1, so q is the value rounded.
    const ties = [8191, 2.5, 3.5, -2.5, -3.5, 0.5, -0.5, 1.5, 127, 0, 0, 0, 0, 0, 0, 0];
    expect(Array.from(quantizeRow(Float32Array.from(ties)).q)).toEqual([
      8191, 2, 4, -2, -4, 0, 0, 2, 127, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const kernel = Float32Array.from(ties, (v) => (v === 8191 ? 127 : v));
    const c: Case = { K: 16, N: 1, rows: 1, kernel, bias: new Float32Array(1), x: Float32Array.from(ties) };
    expect(Array.from(quantizeWeights(c).q[0])).toEqual([127, 2, 4, -2, -4, 0, 0, 2, 127, 0, 0, 0, 0, 0, 0, 0]);
    expect(firstDifference(viaGemm(c, 'int8'), int8Reference(c).out)).toBeUndefined();
  });

  it('gives a unit of zeros and a row of zeros scale 0 and output bias', () => {
    const c = seeded(17, 3, 2);
    c.kernel.forEach((_, i) => i % 3 === 1 && (c.kernel[i] = 0)); // unit 1
    c.x.fill(0, 0, 17); // row 0
    const got = viaGemm(c, 'int8');
    expect(firstDifference(got, int8Reference(c).out)).toBeUndefined();
    expect([got[0], got[1], got[2], got[4]]).toEqual([c.bias[0], c.bias[1], c.bias[2], c.bias[1]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bounds: the raw exports, each buffer in turn placed to end exactly where the memory ends (a byte read past it
// traps), the rest of the memory a sentinel that only the outputs may change.

type Exports = Record<string, (...args: number[]) => void> & { memory: WebAssembly.Memory };

/** A buffer: its bytes, the bytes after it the kernel may read, how to fill it, and whether the kernel may write it. */
interface Region {
  bytes: number;
  slack?: number;
  fill?: (buffer: ArrayBuffer, at: number) => void;
  output?: boolean;
}

const SLACK = 12; // bytes a kernel's comment says it may read past a buffer (gemm.ts leaves 16)
let seed = 100;
const floats = (n: number, scale = 1, slack = 0): Region => ({
  bytes: n * 4,
  slack,
  fill: (buffer, at) => new Float32Array(buffer, at, n).set(values(n, seed++, scale)),
});
const int32s = (list: number[]): Region => ({
  bytes: list.length * 4,
  fill: (buffer, at) => new Int32Array(buffer, at, list.length).set(list),
});
const int8s = (n: number): Region => ({
  bytes: n,
  fill: (buffer, at) => new Int8Array(buffer, at, n).set(values(n, seed++, 127).map(Math.round)),
});
const int16s = (n: number): Region => ({
  bytes: n * 2,
  fill: (buffer, at) => new Int16Array(buffer, at, n).set(values(n, seed++, INPUT_Q).map(Math.round)),
});
const output = (bytes: number): Region => ({ bytes, output: true });
const inPlace = (region: Region): Region => ({ ...region, output: true });

/** Runs `call` on the regions in a fresh instance, region `last` at the very end of memory: the bytes it changed outside the outputs. */
function changedOutside(regions: Region[], last: number, call: (kernels: Exports, at: number[]) => void): number[] {
  const kernels = new WebAssembly.Instance(compiled, {}).exports as Exports;
  const size = (r: Region) => r.bytes + (r.slack ?? 0);
  const below = regions.reduce((sum, r, i) => (i === last ? sum : sum + Math.ceil(size(r) / 16) * 16 + 16), 16);
  const pages = Math.ceil((below + size(regions[last])) / 65536);
  kernels.memory.grow(Math.max(0, pages - kernels.memory.buffer.byteLength / 65536));
  const buffer = kernels.memory.buffer;
  let next = 16; // nothing at 0, which lstm_cells reads as "no extra"
  const at = regions.map((r, i) => {
    if (i === last) return buffer.byteLength - size(r);
    const here = next;
    next += Math.ceil(size(r) / 16) * 16 + 16; // 16 sentinel bytes after each
    return here;
  });
  const memory = new Uint8Array(buffer);
  memory.fill(0xa5);
  regions.forEach((r, i) => r.fill?.(buffer, at[i]));
  const before = memory.slice();
  call(kernels, at);
  const inOutput = (byte: number) => regions.some((r, i) => r.output && byte >= at[i] && byte < at[i] + r.bytes);
  const changed: number[] = [];
  for (let byte = 0; byte < memory.length; byte++)
    if (memory[byte] !== before[byte] && !inOutput(byte)) changed.push(byte);
  return changed;
}

describe('the kernels at the end of memory', () => {
  const [K, N, rows, count] = [32, 20, 5, 17];
  const ids = Array.from({ length: count }, (_, c) => (c * 7) % N);
  const [H, S, R] = [7, 5, 2];
  const cases: { name: string; regions: Region[]; call: (k: Exports, at: number[]) => void }[] = [
    {
      name: 'gemm_f32',
      regions: [floats(rows * K, 2), floats(N * K, 0.3), int32s(ids), floats(N), output(rows * count * 4)],
      call: (k, [x, w, units, bias, out]) => k.gemm_f32(x, rows, K, w, units, count, bias, out),
    },
    {
      name: 'quantize_rows',
      regions: [floats(rows * K, 2), output(rows * K * 2), output(rows * 4)],
      call: (k, [x, q, scales]) => k.quantize_rows(x, rows, K, q, scales),
    },
    {
      name: 'gemm_i8',
      regions: [
        int16s(rows * K),
        floats(rows, 1e-3),
        int8s(N * K),
        int32s(ids),
        floats(N, 1e-3),
        floats(N),
        output(rows * count * 4),
      ],
      call: (k, [x, xscale, w, units, wscale, bias, out]) =>
        k.gemm_i8(x, xscale, rows, K, w, units, count, wscale, bias, out),
    },
    {
      name: 'softmax_rows',
      regions: [inPlace(floats(rows * 7, 5, SLACK))],
      call: (k, [x]) => k.softmax_rows(x, rows, 7),
    },
    {
      name: 'lstm_cells',
      regions: [
        floats(rows * 4 * H, 3, SLACK),
        floats(rows * 4 * H, 3, SLACK),
        inPlace(floats(rows * H, 1, SLACK)),
        output(rows * H * 4),
      ], // z, extra, c, h
      call: (k, [z, extra, c, h]) => k.lstm_cells(z, extra, c, rows, H, h),
    },
    {
      name: 'tanh_in_place',
      regions: [inPlace(floats(H, 4, SLACK))],
      call: (k, [x]) => k.tanh_in_place(x, H),
    },
    {
      name: 'attend',
      regions: [
        ...[floats(2 * R * H, 1, SLACK), int32s([1, 0]), int32s([S, 3])], // s [rows, H], sentences [2], lengths [B]
        ...[floats(2 * S * H, 1, SLACK), floats(2 * S * H, 1, SLACK)], // keys, values [B, S, H]
        ...[output(2 * R * S * 4), output(2 * R * H * 4)], // weights [rows, S], contexts [rows, H]
      ],
      call: (k, [s, sentences, lengths, keys, values, weights, contexts]) =>
        k.attend(s, 2 * R, R, H, sentences, lengths, S, keys, values, weights, contexts),
    },
    {
      name: 'units_largest, units_scales, units_quantize, dequantize_u8',
      regions: [floats(3 * N, 0.5), int8s(3 * N), output(N * 4), output(N * 4), output(N * K), output(3 * N * 4)],
      call: (k, [part, codes, largest, inverses, weights, decoded]) => {
        k.units_largest(part, 0, 0, 0, 3, N, largest);
        k.units_largest(codes, 1, 0.01, -1, 3, N, largest);
        k.units_scales(largest, inverses, N);
        k.units_quantize(part, 0, 0, 0, 3, N, 0, K, weights, inverses);
        k.units_quantize(codes, 1, 0.01, -1, 3, N, 3, K, weights, inverses);
        k.dequantize_u8(codes, 3 * N, 0.01, -1, decoded);
      },
    },
  ];

  it.each(cases)(
    '$name reads within its buffers (and the slack its comment names) and writes only its outputs',
    ({ regions, call }) => {
      for (let last = 0; last < regions.length; last++)
        expect(changedOutside(regions, last, call), `buffer ${last} last`).toEqual([]);
    },
  );
});
