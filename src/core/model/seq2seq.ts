// The inference math of the seq2seq model (train/model.ts) on its trained weights: the encoder over a batch of
// sentences (./encoder.ts), then one decoder step per call for rows of hypotheses. LayersModel.predict costs ~3 ms of overhead a
// call in workerd; this costs a few tfjs kernels a step.
//
// The work is split by what each side does fast (Node, tfjs-wasm SIMD, shipped en-ja, ../../../README.md "Benchmarks"):
// - tfjs runs the matmuls (XNNPACK, ~31 GFLOP/s from 16 rows up) and the softmaxes, through ./kernels.ts;
// - the host runs what costs tfjs a kernel each for little arithmetic: the LSTM cells' elementwise math (10 kernels
//   a cell), embedding look-ups and every row copy (concatenation, beam reordering, dropping finished sentences).
//   A kernel costs ~9 us of dispatch even on one row, and tfjs-wasm's Gather and Slice move 20-50 ns an element:
//   dropping 3 of 64 sentences' memory took 25 ms, reordering the states of 256 beam rows 5 ms; reading them out
//   and back ~1 ms. A greedy sentence of 10 decoder steps took 506 kernels (tf.profile), 106 now.
// So states live in Float32Arrays between steps, the encoder costs 1 kernel a source position, and a decoder step
// 8 (10 with a shortlist's two blocks of output columns).
//
// Shapes: B sentences, S source length, E embedding dim, H hidden dim, V target vocab, n rows of a decoder step:
// R rows for each of b sentences, sentence after sentence; V' columns of the output layer (V, or a shortlist's).
import * as tf from '@tensorflow/tfjs-core';
import { feedsInput, type Seq2SeqWeights } from './weights.js';
import { add, batchMatMul, concat, dense, download, hostView, onDevice, reshape, softmax, tanh, upload } from './kernels.js';

/** The weights laid out for inference. Holds its own references to the data, so the LayersModels can be disposed. */
export type InferenceModel = {
  embeddingDim: number; // E
  hiddenDim: number; // H
  targetVocabSize: number; // V
  sourceEmbedding: tf.Tensor2D; // [Vs, E], rows read on the host
  encoder: EncoderLstm[]; // left to right; a bidirectional encoder's second reads right to left (H' = H / 2 each)
  targetEmbedding: tf.Tensor2D; // [V, E], rows read on the host
  inputFeeding: boolean; // the decoder LSTM also reads the previous step's attentional vector a (Rows.attentional)
  decoderKernel: tf.Tensor3D; // [1, E + H, 4H]: input and recurrent kernels stacked, one matmul on [x; h] a step
  // ([1, E + 2H, 4H] on [x; a; h] with input feeding), the g gate's columns doubled (see squashedCell)
  decoderBias: tf.Tensor1D; // [4H], g doubled too
  attention?: {
    key: tf.Tensor3D; // W_a [1, H, H]
    outputKernel: tf.Tensor3D; // [1, 2H, H] on [context; decoder output]
    outputBias: tf.Tensor1D; // [H]
  };
  output: OutputLayer; // over the whole target vocabulary
};

/** An encoder LSTM of H' units. */
export type EncoderLstm = {
  kernel: tf.Tensor3D; // [1, E, 4H'], applied to every source position of a batch in one matmul
  recurrent: tf.Tensor3D; // [1, H', 4H']
  bias: tf.Tensor1D; // [4H']
};

/** The output projection's weights for some target ids. */
export type OutputColumns = {
  kernel: tf.Tensor3D; // [1, H, m]
  bias: tf.Tensor1D; // [m]
};

/**
 * The output projection over V' target ids: all of them, or a shortlist's (../shortlist.ts), in blocks of columns
 * side by side, each the weights of some ids (outputColumns). A block is a tensor XNNPACK packs on its first
 * matmul, 1.1 ms for 256 x 548 floats: a block the requests share is packed once.
 */
export type OutputLayer = {
  blocks: OutputColumns[];
  ids?: Int32Array; // [V'] the target id of each column; absent: column = id
  masks?: Float32Array[]; // per sentence of the batch [V']: 0 for the columns in its softmax, -1e9 for the others'
  // (absent: all columns in every sentence's)
  emitted?: Uint8Array[]; // per sentence of the batch [V']: 1 for the columns it may emit (absent: all)
};

/** What the encoder leaves for the decoder, on the host. `attention` is absent for models without attention. */
export type Memory = {
  lengths: number[]; // [B] source lengths; S is the longest
  h: Float32Array; // [B, H] final states: those of each sentence's last real token
  c: Float32Array; // [B, H]
  attention?: {
    values: Float32Array; // [B, S, H] encoder outputs (past a sentence's end: forward ones repeat its last, as Keras
    // masks, backward ones are 0, as Keras's Bidirectional)
    keysT: Float32Array; // [B, H, S] keys W_a h_s, transposed: a sentence's block is what the step's matmul takes
  };
};

/** Rows of a decoder step: the previous output token and the states of each. */
export type Rows = {
  tokens: ArrayLike<number>; // [n] target ids
  h: Float32Array; // [n, H]
  c: Float32Array; // [n, H]
  attentional?: Float32Array; // [n, H] with input feeding: the previous step's attentional vector (0 at the start)
};


/** The device side of the steps over some sentences of a memory (`sentences`, in row order): their attention memory. */
export type Context = {
  sentences: number; // b
  keysT?: tf.Tensor3D; // [b, H, S']: S' their longest source
  values?: tf.Tensor3D; // [b, S', H]
  bias?: tf.Tensor3D; // [b, 1, S'] 0 for real tokens, -1e9 for padding; absent when none is padded
  mask?: tf.Tensor3D; // [b, 1, V'] 0 for the columns each sentence's own candidates hold, -1e9 elsewhere
  output: OutputLayer;
};

/** Added to scores a row must not see: exp(-1e9 - max) is exactly 0. */
const EXCLUDED = -1e9;

export function createInferenceModel(w: Seq2SeqWeights): InferenceModel {
  const as3d = (t: tf.Tensor2D) => tf.reshape(t, [1, ...t.shape]) as tf.Tensor3D; // shares the data
  return tf.tidy(() => ({
    embeddingDim: w.sourceEmbedding.shape[1],
    hiddenDim: w.decoder.recurrentKernel.shape[0],
    targetVocabSize: w.outputBias.shape[0],
    sourceEmbedding: share(w.sourceEmbedding),
    encoder: [w.encoder, ...(w.encoderBackward ? [w.encoderBackward] : [])].map((lstm) => ({ kernel: as3d(lstm.kernel), recurrent: as3d(lstm.recurrentKernel), bias: share(lstm.bias) })),
    targetEmbedding: share(w.targetEmbedding),
    inputFeeding: feedsInput(w),
    decoderKernel: as3d(tf.mul(tf.concat([w.decoder.kernel, w.decoder.recurrentKernel], 0), doubleG(w.decoder.bias.shape[0]))),
    decoderBias: tf.mul(w.decoder.bias, doubleG(w.decoder.bias.shape[0])) as tf.Tensor1D,
    attention: w.attention && {
      key: as3d(w.attention.key),
      outputKernel: as3d(w.attention.outputKernel),
      outputBias: share(w.attention.outputBias),
    },
    output: { blocks: [{ kernel: as3d(w.outputKernel), bias: share(w.outputBias) }] },
  }));
}

/** [4H]: 2 for the g gate's columns, 1 for the others (gates [i, f, g, o]). */
const doubleG = (width: number) => tf.tensor1d(Array.from({ length: width }, (_, j) => (Math.floor((4 * j) / width) === 2 ? 2 : 1)));

/**
 * A new tensor over the same data: reshape only adds a reference, where tf.clone copies. Copying the model's
 * 17 MB was a tenth of the cold start, since memory touched for the first time is slow (README, Benchmarks).
 */
const share = <T extends tf.Tensor>(t: T): T => tf.reshape(t, t.shape) as T;

export function disposeInferenceModel(model: InferenceModel): void {
  tf.dispose(model);
}

/**
 * The output projection's weights for target ids `ids`, copied out of the whole vocabulary's on the host: a step
 * then reads H x m weights instead of H x V (4 MB for en-ja). 548 columns took ~1 ms (each read touches a cache line
 * of a 16 KB row), which is why the columns every request shares are copied once (../translator.ts).
 */
export function outputColumns(model: InferenceModel, ids: Int32Array): OutputColumns {
  const [{ kernel: whole, bias: wholeBias }] = model.output.blocks;
  const [, H, V] = whole.shape;
  const m = ids.length;
  const kernel = new Float32Array(H * m);
  const all = hostView(whole);
  for (let j = 0; j < H; j++) for (let col = 0; col < m; col++) kernel[j * m + col] = all[j * V + ids[col]];
  const bias = hostView(wholeBias);
  const columnBias = Float32Array.from(ids, (id) => bias[id]);
  return { kernel: upload(kernel, [1, H, m]), bias: upload(columnBias, [m]) };
}

/** Masks for OutputLayer.masks: per sentence, 0 for the columns its softmax includes (`scored`), -1e9 for the rest. */
export function softmaxMasks(scored: Uint8Array[]): Float32Array[] {
  return scored.map((columns) => {
    const mask = new Float32Array(columns.length);
    for (let col = 0; col < columns.length; col++) if (!columns[col]) mask[col] = EXCLUDED;
    return mask;
  });
}

/** Columns of an output layer. */
export const width = (output: OutputLayer): number => output.ids?.length ?? output.blocks[0].bias.shape[0];

/**
 * The decoder's LSTM cell on gates the matmul already put through its sigmoid, the g gate's pre-activation doubled:
 * tanh(x) = 2 sigmoid(2x) - 1, so a unit costs the host one tanh instead of three exp and two tanh (a fifth of a
 * beam-4 step of 64 sentences went to the cell before). gates [n, 4H] as [i, f, g, o]; c [n, H].
 */
function squashedCell(gates: Float32Array, c: Float32Array, H: number): { h: Float32Array; c: Float32Array } {
  const n = c.length / H;
  const [h, cNew] = [new Float32Array(n * H), new Float32Array(n * H)];
  for (let r = 0; r < n; r++) {
    for (let j = 0, at = r * 4 * H; j < H; j++, at++) {
      const cell = gates[at + H] * c[r * H + j] + gates[at] * (2 * gates[at + 2 * H] - 1);
      cNew[r * H + j] = cell;
      h[r * H + j] = gates[at + 3 * H] * Math.tanh(cell);
    }
  }
  return { h, c: cNew };
}

/** Rows `ids` of a [V, E] embedding, side by side in `into` every `stride` floats from `offset`. */
export function embed(embedding: tf.Tensor2D, ids: ArrayLike<number>, into: Float32Array, stride: number, offset = 0): void {
  const E = embedding.shape[1];
  const table = hostView(embedding);
  for (let r = 0; r < ids.length; r++) into.set(table.subarray(ids[r] * E, (ids[r] + 1) * E), r * stride + offset);
}

/**
 * The device side of steps over sentences `sentences` of `memory` (indices into its batch, in row order; repeats
 * allowed): their attention memory, copied out on the host. One sentence's is cut to its length (no padding to
 * mask); several keep the batch's padded length, so that each copies as one block.
 */
export function createContext(memory: Memory, output: OutputLayer, sentences: number[]): Context {
  const b = sentences.length;
  const { masks } = output;
  const V = width(output);
  const rows = masks && new Float32Array(b * V);
  sentences.forEach((s, i) => rows?.set(masks![s], i * V));
  const mask = rows && upload<tf.Tensor3D>(rows, [b, 1, V]);
  if (!memory.attention) return { sentences: b, mask, output };
  const { values, keysT } = memory.attention;
  const S = Math.max(...memory.lengths);
  const H = values.length / (memory.lengths.length * S);
  const lengths = sentences.map((s) => memory.lengths[s]);
  const Sb = b === 1 ? lengths[0] : S;
  const [v, k] = [new Float32Array(b * Sb * H), new Float32Array(b * H * Sb)];
  sentences.forEach((s, i) => {
    v.set(values.subarray(s * S * H, (s * S + Sb) * H), i * Sb * H);
    if (Sb === S) k.set(keysT.subarray(s * H * S, (s + 1) * H * S), i * H * S);
    else for (let j = 0; j < H; j++) k.set(keysT.subarray((s * H + j) * S, (s * H + j) * S + Sb), j * Sb);
  });
  const padded = lengths.some((length) => length < Sb);
  const bias = padded ? lengths.flatMap((length) => Array.from({ length: Sb }, (_, t) => (t < length ? 0 : EXCLUDED))) : undefined;
  return {
    sentences: b,
    values: upload<tf.Tensor3D>(v, [b, Sb, H]),
    keysT: upload<tf.Tensor3D>(k, [b, H, Sb]),
    bias: bias && upload<tf.Tensor3D>(Float32Array.from(bias), [b, 1, Sb]),
    mask,
    output,
  };
}

export function disposeContext(context: Context): void {
  tf.dispose([context.values, context.keysT, context.bias, context.mask].filter((t): t is tf.Tensor3D => t !== undefined));
}

/** The decoder LSTM for `rows`: their new states. 1 kernel. */
function recur(model: InferenceModel, rows: Rows): { h: Float32Array; c: Float32Array } {
  const n = rows.tokens.length;
  const [E, H] = [model.embeddingDim, model.hiddenDim];
  const parts = model.inputFeeding ? [rows.attentional!, rows.h] : [rows.h]; // after the token's embedding
  const width = E + parts.length * H;
  const xh = new Float32Array(n * width); // [n, E + H]: the embedding, then the state ([n, E + 2H]: embedding, a, h)
  embed(model.targetEmbedding, rows.tokens, xh, width);
  for (let r = 0; r < n; r++) parts.forEach((part, k) => xh.set(part.subarray(r * H, (r + 1) * H), r * width + E + k * H));
  const gates = onDevice(() => download(dense(upload(xh, [1, n, width]), model.decoderKernel, model.decoderBias, 'sigmoid'))); // [n, 4H]
  return squashedCell(gates, rows.c, H);
}

/**
 * Luong "general" attention: score = s . (W_a h_s). R rows of each sentence share its memory:
 * one [R, H] x [H, S'] matmul a sentence. 3 kernels (4 when the sentences' lengths differ).
 * Returns the context vectors [n, H] and the weights [n, S'].
 */
function attend(context: Context, R: number, s: Float32Array): { contexts: Float32Array; weights: tf.Tensor3D } {
  const [b, H] = [context.sentences, context.keysT!.shape[1]];
  const scores = batchMatMul(upload(s, [b, R, H]), context.keysT!); // [b, R, S']
  const weights = softmax(context.bias ? add(scores, context.bias) : scores);
  return { contexts: download(batchMatMul(weights, context.values!)), weights };
}

/**
 * One decoder step for rows grouped by sentence, R each (the hypotheses of a beam): row r attends to sentence
 * floor(r / R) of the context. Returns the new states and the probabilities over the output layer's columns.
 * 8 kernels with attention; 1 more when the sentences' lengths differ, 2 more for shortlist masks, 2 more for a
 * second block of output columns.
 */
export function decodeStep(model: InferenceModel, context: Context, R: number, rows: Rows): Rows & { probs: Float32Array } {
  const { h, c } = recur(model, rows);
  const n = rows.tokens.length;
  const { output } = context;
  return onDevice(() => {
    const hidden = model.attention ? attentional(model.attention, context, R, h).hidden : upload<tf.Tensor3D>(h, [1, n, model.hiddenDim]);
    const blocks = output.blocks.map((block) => dense(hidden, block.kernel, block.bias));
    let logits = blocks.length === 1 ? blocks[0] : concat(blocks, 2); // [1, n, V']
    if (context.mask) logits = add(reshape(logits, [context.sentences, R, -1]), context.mask);
    return { tokens: rows.tokens, h, c, ...(model.inputFeeding && { attentional: download(hidden) }), probs: download(softmax(logits)) };
  });
}

/** tanh(W_c [context; s] + b_c) [1, n, H], the attention layer's output (the attentional vector), and the weights. */
function attentional(weights: NonNullable<InferenceModel['attention']>, context: Context, R: number, s: Float32Array): { hidden: tf.Tensor3D; weights: tf.Tensor3D } {
  const H = weights.outputBias.shape[0];
  const n = s.length / H;
  const attended = attend(context, R, s);
  const joined = new Float32Array(n * 2 * H); // [n, 2H]
  for (let r = 0; r < n; r++) {
    joined.set(attended.contexts.subarray(r * H, (r + 1) * H), r * 2 * H);
    joined.set(s.subarray(r * H, (r + 1) * H), r * 2 * H + H);
  }
  return { hidden: tanh(dense(upload(joined, [1, n, 2 * H]), weights.outputKernel, weights.outputBias)), weights: attended.weights };
}

/**
 * The decoder LSTM and the attention weights [n, S'] of one step, without the output layer (for alignments); with
 * input feeding also the attentional vector the next step reads.
 */
export function attentionStep(model: InferenceModel, context: Context, R: number, rows: Rows): Rows & { weights: Float32Array } {
  const { h, c } = recur(model, rows);
  return onDevice(() => {
    if (!model.inputFeeding) return { tokens: rows.tokens, h, c, weights: download(attend(context, R, h).weights) };
    const step = attentional(model.attention!, context, R, h);
    return { tokens: rows.tokens, h, c, attentional: download(step.hidden), weights: download(step.weights) };
  });
}
