// The model's math at inference, in a WebAssembly module of our own (./gemm.c) rather than tfjs kernels: matrix
// products, LSTM cells, attention and softmax (all but the encoder's two products over every position, ./xnnpack.ts).
//
// Why (Node, tfjs-wasm SIMD, one row, ../../../README.md "Benchmarks"): a tfjs kernel costs ~30-40 us of dispatch
// even for a small matmul, and its WASM backend only multiplies float32, so the decoder LSTM's [512, 1024] matmul
// streams 2 MB of weights a step. With int8 weights (a scale per output unit) times int16 inputs (a scale per row),
// summed exactly in int32 by i32x4.dot_i16x8_s, the same products read a quarter of the bytes and take a third of
// the time. float32 serves the encoder's recurrence (int8 there cost dev BLEU), and the decoder too when a tool asks
// (tests of the math, measuring what int8 costs).
//
// Weights are stored unit by unit (transposed from Keras's [K, N]), so a product can take any subset of output
// units by id: a shortlist's columns need no copy. Each model has its own instance, so its own linear memory ("memory"
// below means only that): weights at the bottom, then what the decoder steps attend to (Attended: the encoder's
// outputs, copied in once a search, not once a step), then one call's inputs and outputs. The LSTM cells and the attention ran in JS before, one unit and one token at a time:
// with the products in WASM they were most of a batch's step.
//
// Workers cannot compile WebAssembly at run time, so every host hands over the compiled module (useGemm): the
// Worker imports gemm.wasm, Node reads it, the page fetches it.

import type { Uint8Codes } from './load.js';

export type Precision = 'int8' | 'float32';

// Weights are quantized to |q| <= 127 (gemm.c, units_quantize) and inputs to |q| <= 8191 (quantize_rows):
// 127 x 8191 x 2048 < 2^31, so the int32 sums cannot overflow for K up to 2048.
const ALIGN = 16; // K is padded to a multiple of 16 (one v128 of int8 weights)
const PAGE = 65536;

let compiled: WebAssembly.Module | undefined;

/** Hands the compiled ./gemm.wasm to the inference core; once, before a model is built. */
export function useGemm(module: WebAssembly.Module): void {
  compiled = module;
}

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm_f32(x: number, rows: number, K: number, w: number, ids: number, count: number, bias: number, out: number): void;
  gemm_i8(
    x: number,
    xscale: number,
    rows: number,
    K: number,
    w: number,
    ids: number,
    count: number,
    wscale: number,
    bias: number,
    out: number,
  ): void;
  quantize_rows(x: number, rows: number, K: number, q: number, scales: number): void;
  softmax_rows(x: number, rows: number, count: number): void;
  lstm_cells(z: number, add: number, c: number, rows: number, H: number, h: number): void;
  tanh_in_place(x: number, n: number): void;
  units_largest(p: number, u8: number, scale: number, min: number, K: number, N: number, largest: number): void;
  units_scales(scales: number, inverses: number, N: number): void;
  units_quantize(
    p: number,
    u8: number,
    scale: number,
    min: number,
    K: number,
    N: number,
    k0: number,
    padded: number,
    weights: number,
    inverses: number,
  ): void;
  dequantize_u8(codes: number, n: number, scale: number, min: number, out: number): void;
  attend(
    s: number,
    rows: number,
    R: number,
    H: number,
    sentences: number,
    lengths: number,
    S: number,
    keys: number,
    values: number,
    weights: number,
    contexts: number,
  ): void;
}

/** What a batch's decoder steps attend to, of the encoder's output (./seq2seq.ts Memory): lengths [B], keys and values [B, S, H]. */
export interface Attended {
  lengths: number[];
  attention?: { keys: Float32Array; values: Float32Array };
}

/** A weight's values as given to a Gemm: float32, or uint8 codes (w = code * scale + min), dequantized in the module. */
export type Values = Float32Array | Uint8Codes;

/** How many weights `k` holds. */
const sizeOf = (k: Values): number => (k instanceof Float32Array ? k.length : k.codes.length);

/** A weight matrix with its bias in a Gemm's memory: `units` outputs of `inputs` inputs. Offsets are bytes. */
export interface Matrix {
  precision: Precision;
  inputs: number; // K
  padded: number; // K rounded up to ALIGN
  units: number; // N
  weights: number; // [N, padded] int8 or float32
  scales: number; // [N] float32 (int8 only)
  bias: number; // [N] float32
  all: number; // [N] int32 0..N-1: the ids of a product over every unit
}

/** Where a product's output is in a Gemm's memory (byte offsets), with any extra regions and each group's output. */
type Product = { out: number; length: number; extra: number[]; groups: { out: number; rows: number; count: number }[] };

/** An Attended copied into a Gemm's memory: where its parts are. */
type Resident = { attended: Attended; keys: number; values: number; lengths: number };

export class Gemm {
  private readonly kernels: GemmExports;
  private top = 0; // end of the weights
  private base = 0; // start of a call's scratch: after the weights and the resident Attended
  private resident?: Resident;

  constructor() {
    if (!compiled) throw new Error('gemm.wasm was not provided: call useGemm(module) before building a model');
    this.kernels = new WebAssembly.Instance(compiled, {}).exports as unknown as GemmExports;
  }

  /** Bytes this instance's memory holds. */
  get bytes(): number {
    return this.kernels.memory.buffer.byteLength;
  }

  /**
   * Stores weights given as Keras lays them out: kernels [k_i, N] row-major, stacked on the first axis (their k_i
   * sum to `inputs`), and a bias [N] (zeros when absent).
   */
  matrix(kernels: Values[], bias: Float32Array | undefined, inputs: number, precision: Precision): Matrix {
    const total = kernels.reduce((sum, k) => sum + sizeOf(k), 0);
    const units = total / inputs;
    const padded = Math.ceil(inputs / ALIGN) * ALIGN;
    const int8 = precision === 'int8';
    const m: Matrix = { precision, inputs, padded, units, weights: 0, scales: 0, bias: 0, all: 0 };
    m.weights = this.reserve(units * padded * (int8 ? 1 : 4));
    m.scales = this.reserve(int8 ? units * 4 : 0);
    m.bias = this.reserve(units * 4);
    m.all = this.reserve(units * 4);
    const buffer = this.kernels.memory.buffer;
    new Float32Array(buffer, m.bias, units).set(bias ?? new Float32Array(units)); // (the memory may hold an earlier call's data)
    new Int32Array(buffer, m.all, units).forEach((_, j, ids) => (ids[j] = j));
    new Uint8Array(buffer, m.weights, units * padded * (int8 ? 1 : 4)).fill(0); // K's padding
    if (int8) this.quantize(kernels, units, m);
    else this.transpose(kernels, inputs, units, m);
    return m;
  }

  /** int8 weights and their scales from the kernels as given (uint8 codes stay codes: no float32 copy). */
  private quantize(kernels: Values[], N: number, m: Matrix): void {
    const [inverses, ...parts] = this.place([
      N * 4,
      ...kernels.map((k) => (k instanceof Float32Array ? k.length * 4 : k.codes.length)),
    ]); // scratch: 1 / each unit's scale, each kernel as given
    kernels.forEach((k, i) =>
      k instanceof Float32Array
        ? this.write(parts[i], k)
        : new Uint8Array(this.kernels.memory.buffer, parts[i], k.codes.length).set(k.codes),
    );
    // A part as the kernels read it: where, whether uint8 codes (and their scale and min), its rows.
    const args = (k: Values, i: number): [p: number, u8: number, scale: number, min: number, K: number] =>
      k instanceof Float32Array ? [parts[i], 0, 0, 0, k.length / N] : [parts[i], 1, k.scale, k.min, k.codes.length / N];
    new Float32Array(this.kernels.memory.buffer, m.scales, N).fill(0);
    kernels.forEach((k, i) => this.kernels.units_largest(...args(k, i), N, m.scales));
    this.kernels.units_scales(m.scales, inverses, N);
    let k0 = 0; // the part's first row of the stacked kernel
    kernels.forEach((k, i) => {
      const [p, u8, scale, min, K] = args(k, i);
      this.kernels.units_quantize(p, u8, scale, min, K, N, k0, m.padded, m.weights, inverses);
      k0 += K;
    });
  }

  /** float32 weights, transposed from the kernels stacked in float32 (uint8 codes dequantized in the module). */
  private transpose(kernels: Values[], K: number, N: number, m: Matrix): void {
    const codes = Math.max(0, ...kernels.map((k) => (k instanceof Float32Array ? 0 : k.codes.length)));
    const [kernelAt, codesAt] = this.place([K * N * 4, codes]); // scratch: the stacked kernel in float32, a kernel's codes
    let at = kernelAt;
    for (const k of kernels) {
      if (k instanceof Float32Array) this.write(at, k);
      else {
        new Uint8Array(this.kernels.memory.buffer, codesAt, k.codes.length).set(k.codes);
        this.kernels.dequantize_u8(codesAt, k.codes.length, k.scale, k.min, at);
      }
      at += sizeOf(k) * 4;
    }
    const buffer = this.kernels.memory.buffer;
    transpose(
      new Float32Array(buffer, kernelAt, K * N),
      K,
      N,
      new Float32Array(buffer, m.weights, N * m.padded),
      m.padded,
    );
  }

  /** x [rows, K] times the matrix's units `ids` (all when absent), then the activation: [rows, ids.length]. */
  multiply(m: Matrix, x: Float32Array, ids?: Int32Array, activation: 'linear' | 'tanh' = 'linear'): Float32Array {
    const { out, length } = this.product(m, x, ids && [ids]);
    if (activation === 'tanh') this.kernels.tanh_in_place(out, length);
    return this.read(out, length);
  }

  /**
   * An LSTM step for rows x [rows, K] with cell states c [rows, H]: the pre-activations x . m (+ add [rows, 4H], the
   * encoder's input projection), then Keras's cell (gates i, f, g, o). The new states.
   */
  lstm(m: Matrix, x: Float32Array, c: Float32Array, add?: Float32Array): { h: Float32Array; c: Float32Array } {
    const [rows, H] = [x.length / m.inputs, m.units / 4];
    const { out, extra } = this.product(m, x, undefined, [c.length * 4, add ? add.length * 4 : 0, c.length * 4]);
    const [cAt, addAt, hAt] = extra;
    this.write(cAt, c);
    if (add) this.write(addAt, add);
    this.kernels.lstm_cells(out, add ? addAt : 0, cAt, rows, H, hAt);
    return { h: this.read(hAt, rows * H), c: this.read(cAt, rows * H) };
  }

  /**
   * Luong attention of rows s [rows, H] in groups of R, group g over sentence sentences[g] of `attended`: the weights
   * [rows, S] (a softmax over the sentence's tokens, 0 past its end) and the context vectors [rows, H]. `attended`
   * stays in the module until another is attended to.
   */
  attend(
    attended: Attended,
    sentences: number[],
    R: number,
    s: Float32Array,
  ): { contexts: Float32Array; weights: Float32Array } {
    const resident = this.hold(attended);
    const B = attended.lengths.length;
    const S = Math.max(...attended.lengths);
    const H = attended.attention!.values.length / (B * S);
    const rows = s.length / H;
    const [sAt, sentencesAt, weightsAt, contextsAt] = this.place([
      s.length * 4,
      sentences.length * 4,
      rows * S * 4,
      rows * H * 4,
    ]);
    this.write(sAt, s);
    new Int32Array(this.kernels.memory.buffer, sentencesAt, sentences.length).set(sentences);
    this.kernels.attend(
      sAt,
      rows,
      R,
      H,
      sentencesAt,
      resident.lengths,
      S,
      resident.keys,
      resident.values,
      weightsAt,
      contextsAt,
    );
    return { contexts: this.read(contextsAt, rows * H), weights: this.read(weightsAt, rows * S) };
  }

  /**
   * The softmax of each row of the product over its units: the rows in ids.length equal groups of R, group g over
   * the units ids[g] (all rows over every unit when absent). Group g's rows [R, ids[g].length] follow group g - 1's.
   */
  probabilities(m: Matrix, x: Float32Array, ids?: Int32Array[]): Float32Array {
    const { out, length, groups } = this.product(m, x, ids);
    for (const group of groups) this.kernels.softmax_rows(group.out, group.rows, group.count);
    return this.read(out, length);
  }

  /**
   * Runs a product into scratch memory, with regions of `extra` bytes beside it: where its output is, its length,
   * the extra regions, and where each group's output is. The rows go in as many equal groups as `ids` has, group g
   * over units ids[g] (one group over every unit when absent); the inputs are quantized once for all of them.
   */
  private product(m: Matrix, x: Float32Array, ids?: Int32Array[], extra: number[] = []): Product {
    const rows = x.length / m.inputs;
    const counts = ids ? ids.map((group) => group.length) : [m.units];
    const R = rows / counts.length;
    const total = counts.reduce((sum, count) => sum + count, 0);
    const [idsAt, xAt, qAt, xscaleAt, out, ...others] = this.place([
      total * 4,
      rows * m.padded * 4,
      rows * m.padded * 2,
      rows * 4,
      R * total * 4,
      ...extra,
    ]);
    const buffer = this.kernels.memory.buffer;
    const padded = new Float32Array(buffer, xAt, rows * m.padded);
    for (let r = 0; r < rows; r++) {
      padded.set(x.subarray(r * m.inputs, (r + 1) * m.inputs), r * m.padded);
      padded.fill(0, r * m.padded + m.inputs, (r + 1) * m.padded); // the memory holds an earlier call's data
    }
    const int8 = m.precision === 'int8';
    if (int8) this.kernels.quantize_rows(xAt, rows, m.padded, qAt, xscaleAt);
    const groups: Product['groups'] = [];
    let done = 0; // units of the groups before
    counts.forEach((count, g) => {
      const [units, at, first] = [ids ? idsAt + done * 4 : m.all, out + R * done * 4, g * R];
      if (ids) new Int32Array(buffer, units, count).set(ids[g]);
      if (int8)
        this.kernels.gemm_i8(
          qAt + first * m.padded * 2,
          xscaleAt + first * 4,
          R,
          m.padded,
          m.weights,
          units,
          count,
          m.scales,
          m.bias,
          at,
        );
      else this.kernels.gemm_f32(xAt + first * m.padded * 4, R, m.padded, m.weights, units, count, m.bias, at);
      groups.push({ out: at, rows: R, count });
      done += count;
    });
    return { out, length: R * total, extra: others, groups };
  }

  /** `attended` in the module's memory, above the weights: copied in unless it is there already. */
  private hold(attended: Attended): Resident {
    if (this.resident?.attended === attended) return this.resident;
    this.base = this.top;
    const attention = attended.attention!;
    const [keys, values, lengths, end] = this.place([
      attention.keys.length * 4,
      attention.values.length * 4,
      attended.lengths.length * 4,
      0,
    ]);
    this.write(keys, attention.keys);
    this.write(values, attention.values);
    new Int32Array(this.kernels.memory.buffer, lengths, attended.lengths.length).set(attended.lengths);
    this.base = end;
    this.resident = { attended, keys, values, lengths };
    return this.resident;
  }

  /**
   * Lays out regions of the given bytes one after another from the scratch base, each with 16 bytes to spare (the
   * kernels' last vector of a row may read past it), and grows the memory to hold them: their offsets.
   */
  private place(bytes: number[]): number[] {
    const offsets: number[] = [];
    let at = this.base;
    for (const size of bytes) {
      offsets.push(at);
      at = align(at + size + 16);
    }
    this.ensure(at);
    return offsets;
  }

  private write(at: number, values: Float32Array): void {
    new Float32Array(this.kernels.memory.buffer, at, values.length).set(values);
  }

  private read(at: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, at, length).slice();
  }

  private reserve(bytes: number): number {
    const at = this.top;
    this.top = align(this.top + bytes);
    this.ensure(this.top);
    [this.base, this.resident] = [this.top, undefined];
    return at;
  }

  /** Grows the memory to hold `bytes` (growing detaches earlier views: callers take theirs afterwards). */
  private ensure(bytes: number): void {
    const { memory } = this.kernels;
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  }
}

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** kernel [K, N] -> into [N, padded] (zeros after K already). */
function transpose(kernel: Float32Array, K: number, N: number, into: Float32Array, padded: number): void {
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) into[j * padded + k] = kernel[k * N + j];
}
