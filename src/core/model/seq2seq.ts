// The inference math of the seq2seq model (train/model.ts) on its trained weights: the encoder over a batch of
// sentences (./encoder.ts), then one decoder step per call for rows of hypotheses. LayersModel.predict costs ~3 ms of
// overhead a call in workerd; this runs two tfjs kernels a batch (the encoder's) and none a decoder step.
//
// A step's math runs in ./gemm.ts (our own WebAssembly): the encoder's recurrence (float32 products and LSTM cells)
// and a decoder step's three products (LSTM, attention output, output projection; int8 weights by default), its LSTM
// cells, its attention over each row's own sentence (the memory stays in the module for the whole search) and the
// output softmax. The encoder's two products over every source position at once (input projection, attention keys)
// are XNNPACK's fused matmul, one tfjs kernel each (./xnnpack.ts dense). The host keeps embedding look-ups and row
// copies. A tfjs kernel cost ~30 us of dispatch even on one row, and a greedy step was 8-10 of them; tfjs-wasm's
// Gather and Slice move 20-50 ns an element (dropping 3 of 64 sentences' memory took 25 ms). So states live in
// Float32Arrays between steps, and a row reads its own sentence's memory in place.
//
// Shapes: B sentences, S source length, E embedding dim, H hidden dim, V target vocab, n rows of a decoder step:
// R rows for each of b sentences, sentence after sentence; V' columns of a sentence's output layer (V, or its
// shortlist's).
import * as tf from '@tensorflow/tfjs-core';
import { Gemm, type Matrix, type Precision, type Values } from './gemm.js';
import type { StoredWeight } from './load.js';
import { feedsInput, type LstmWeights, type Seq2SeqWeights } from './weights.js';
import type { Columns } from '../shortlist.js';

/** The weights laid out for inference, its own copies (whatever they were built from can be disposed). */
export type InferenceModel = {
  embeddingDim: number; // E
  hiddenDim: number; // H
  targetVocabSize: number; // V
  sourceEmbedding: Embedding; // [Vs, E]
  encoder: EncoderLstm[]; // left to right; a bidirectional encoder's second reads right to left (H' = H / 2 each)
  targetEmbedding: Embedding; // [V, E]
  inputFeeding: boolean; // the decoder LSTM also reads the previous step's attentional vector a (Rows.attentional)
  gemm: Gemm; // holds the matrices
  decoder: Matrix; // [E + H] -> [4H] on [x; h]: input and recurrent kernels stacked ([E + 2H] on [x; a; h] with input feeding)
  attention?: {
    key: tf.Tensor3D; // W_a [1, H, H], applied by the encoder to every position (XNNPACK)
    output: Matrix; // [2H] -> [H] on [context; decoder output]
  };
  projection: Matrix; // [H] -> [V], the output layer's weights
  output: OutputLayer; // over the whole target vocabulary
};

/** An encoder LSTM of H' units. */
export type EncoderLstm = {
  kernel: tf.Tensor3D; // [1, E, 4H'], applied to every source position of a batch at once (XNNPACK)
  bias: tf.Tensor1D; // [4H']
  recurrent: Matrix; // [H'] -> [4H']
};

/** The output projection's columns: every target id (column = id), or each sentence of a batch its own (a shortlist's). */
export type OutputLayer = {
  columns?: Columns[]; // per sentence of the batch: its softmax is over these target ids alone
};

/** What the encoder leaves for the decoder, on the host. `attention` is absent for models without attention. */
export type Memory = {
  lengths: number[]; // [B] source lengths; S is the longest
  h: Float32Array; // [B, H] final states: those of each sentence's last real token
  c: Float32Array; // [B, H]
  attention?: {
    values: Float32Array; // [B, S, H] encoder outputs (past a sentence's end: forward ones repeat its last, as Keras
    // masks, backward ones are 0, as Keras's Bidirectional)
    keys: Float32Array; // [B, S, H] keys W_a h_s (0 past a sentence's end, where no step attends)
  };
};

/** Rows of a decoder step: the previous output token and the states of each. */
export type Rows = {
  tokens: ArrayLike<number>; // [n] target ids
  h: Float32Array; // [n, H]
  c: Float32Array; // [n, H]
  attentional?: Float32Array; // [n, H] with input feeding: the previous step's attentional vector (0 at the start)
};

/** What steps read besides their rows: the memory, which of its sentences the rows belong to, the output layer. */
export type Context = {
  memory: Memory;
  sentences: number[]; // b indices into the memory's batch, in row order (repeats allowed)
  output: OutputLayer;
};

/** A weight as the inference model is built from: a tensor (a LayersModel's), or as an artifact stores it (./load.ts). */
export type Weight = tf.Tensor | StoredWeight;

/** A weight's values: float32, or its uint8 codes when it has them (dequantized where they are needed). */
const valuesOf = (w: Weight): Values =>
  w instanceof tf.Tensor ? (w.dataSync() as Float32Array) : (w.uint8 ?? w.values());
const floats = (w: Weight): Float32Array => (w instanceof tf.Tensor ? (w.dataSync() as Float32Array) : w.values());

/**
 * `precision`: of the decoder's matrices (./gemm.ts), int8 to serve, float32 to compute what the LayersModels do.
 * The encoder's stay float32: they run once a source token, not once a step and hypothesis, and int8 there cost
 * en-ja 0.27 dev BLEU at beam 4 (0.09 with the decoder's alone; README "How a request is decoded"). Nothing is kept
 * of `w`: the model holds its own copies (tensors only for the encoder's two XNNPACK products).
 */
export function createInferenceModel(w: Seq2SeqWeights<Weight, Weight>, precision: Precision = 'int8'): InferenceModel {
  const gemm = new Gemm();
  const matrix = (kernels: Weight[], bias: Weight | undefined, matrixPrecision: Precision) =>
    gemm.matrix(
      kernels.map(valuesOf),
      bias && floats(bias),
      kernels.reduce((sum, k) => sum + k.shape[0]!, 0),
      matrixPrecision,
    );
  const as3d = (t: Weight) => tf.tensor3d(floats(t), [1, t.shape[0]!, t.shape[1]!]);
  const encoderLstm = (lstm: LstmWeights<Weight, Weight>): EncoderLstm => ({
    kernel: as3d(lstm.kernel),
    bias: tf.tensor1d(floats(lstm.bias)),
    recurrent: matrix([lstm.recurrentKernel], undefined, 'float32'),
  });
  return {
    embeddingDim: w.sourceEmbedding.shape[1]!,
    hiddenDim: w.decoder.recurrentKernel.shape[0]!,
    targetVocabSize: w.outputBias.shape[0]!,
    sourceEmbedding: new Embedding(w.sourceEmbedding),
    encoder: [w.encoder, ...(w.encoderBackward ? [w.encoderBackward] : [])].map(encoderLstm),
    targetEmbedding: new Embedding(w.targetEmbedding),
    inputFeeding: feedsInput(w),
    gemm,
    decoder: matrix([w.decoder.kernel, w.decoder.recurrentKernel], w.decoder.bias, precision),
    attention: w.attention && {
      key: as3d(w.attention.key),
      output: matrix([w.attention.outputKernel], w.attention.outputBias, precision),
    },
    projection: matrix([w.outputKernel], w.outputBias, precision),
    output: {},
  };
}

/** Frees the model's tensors (its Gemm memory goes with the model). */
export function disposeInferenceModel(model: InferenceModel): void {
  tf.dispose([...model.encoder.flatMap((l) => [l.kernel, l.bias]), ...(model.attention ? [model.attention.key] : [])]);
}

/** An embedding table [count, E] on the host, read a row per token: float32, or uint8 codes dequantized a row at a time. */
export class Embedding {
  readonly count: number;
  readonly dim: number; // E
  private readonly table: Values;

  constructor(w: Weight) {
    [this.count, this.dim] = [w.shape[0]!, w.shape[1]!];
    this.table = valuesOf(w);
  }

  /** Rows `ids` side by side in `into`, every `stride` floats from `offset`. */
  rows(ids: ArrayLike<number>, into: Float32Array, stride: number, offset = 0): void {
    const [E, table] = [this.dim, this.table];
    for (let r = 0; r < ids.length; r++) {
      const [from, to] = [ids[r] * E, r * stride + offset];
      if (table instanceof Float32Array) into.set(table.subarray(from, from + E), to);
      else for (let j = 0; j < E; j++) into[to + j] = table.codes[from + j] * table.scale + table.min; // as tfjs decodes uint8
    }
  }
}

/** The decoder LSTM for `rows`: their new states. */
function recur(model: InferenceModel, rows: Rows): { h: Float32Array; c: Float32Array } {
  const n = rows.tokens.length;
  const [E, H] = [model.embeddingDim, model.hiddenDim];
  const parts = model.inputFeeding ? [rows.attentional!, rows.h] : [rows.h]; // after the token's embedding
  const width = E + parts.length * H;
  const xh = new Float32Array(n * width); // [n, E + H]: the embedding, then the state ([n, E + 2H]: embedding, a, h)
  model.targetEmbedding.rows(rows.tokens, xh, width);
  for (let r = 0; r < n; r++)
    parts.forEach((part, k) => xh.set(part.subarray(r * H, (r + 1) * H), r * width + E + k * H));
  return model.gemm.lstm(model.decoder, xh, rows.c);
}

/** tanh(W_c [context; s] + b_c) [n, H], the attention layer's output (the attentional vector), and the weights. */
function attentional(
  model: InferenceModel,
  context: Context,
  R: number,
  s: Float32Array,
): { hidden: Float32Array; weights: Float32Array } {
  const H = model.hiddenDim;
  const n = s.length / H;
  const attended = model.gemm.attend(context.memory, context.sentences, R, s);
  const joined = new Float32Array(n * 2 * H); // [n, 2H]
  for (let r = 0; r < n; r++) {
    joined.set(attended.contexts.subarray(r * H, (r + 1) * H), r * 2 * H);
    joined.set(s.subarray(r * H, (r + 1) * H), r * 2 * H + H);
  }
  const hidden = model.gemm.multiply(model.attention!.output, joined, undefined, 'tanh');
  return { hidden, weights: attended.weights };
}

/**
 * One decoder step for rows grouped by sentence, R each (the hypotheses of a beam): row r reads sentence
 * context.sentences[floor(r / R)] of the memory. Returns the new states, the probabilities (each row's softmax over
 * its sentence's columns of the output layer, the rows of a sentence [R, V'] after the previous sentence's) and,
 * with attention, its weights [n, S] (0 past a row's sentence's end).
 */
export function decodeStep(
  model: InferenceModel,
  context: Context,
  R: number,
  rows: Rows,
): Rows & { probs: Float32Array; weights?: Float32Array } {
  const { h, c } = recur(model, rows);
  const attended = model.attention && attentional(model, context, R, h);
  const hidden = attended ? attended.hidden : h;
  const { output } = context;
  const ids = output.columns && context.sentences.map((sentence) => output.columns![sentence].ids);
  const probs = model.gemm.probabilities(model.projection, hidden, ids); // R rows a sentence, each [R, its columns]
  return {
    tokens: rows.tokens,
    h,
    c,
    ...(model.inputFeeding && { attentional: hidden }),
    probs,
    ...(attended && { weights: attended.weights }),
  };
}
