// The teacher-forced training loss of the seq2seq model (train/model.ts), written with the fused ops so that
// autodiff records a few dozen ops per batch instead of thousands. Same math as the layers definition; the
// equivalence is checked in test/unit/fast-ops.test.ts.
//
// Shapes: B batch, S source length, T target length, E embedding dim, H hidden dim, V target vocab, N real
// (non-padding) target tokens in the batch.
import * as tf from '@tensorflow/tfjs';
import { feedsInput, type LstmWeights, type Seq2SeqWeights } from '../../src/core/model/weights.js';
import type { Batch } from '../batches.js';
import { lstmSequence, softmaxCrossEntropy } from './ops.js';

/** The two fused ops; tests swap in plain autodiff versions to check the gradients of the whole loss. */
export const FUSED_OPS = { lstmSequence, softmaxCrossEntropy };

/** Training-time regularization; evaluation passes NO_REGULARIZATION (the plain cross-entropy). */
export interface Regularization {
  dropout: number; // on embeddings and before the output projection
  labelSmoothing: number; // share of each target's probability mass spread uniformly over the vocabulary
  guidedAlignment?: number; // weight of the attention's cross-entropy against the batch's word alignment (batch.guide)
}
export const NO_REGULARIZATION: Regularization = { dropout: 0, labelSmoothing: 0 };

/**
 * Cross-entropy of the next token, plus with guided alignment (Marian's --guided-alignment, as Bergamot's students
 * are trained for tag projection) `weight` x the cross-entropy of each aligned step's attention against its links:
 * -sum guide * log(attention) / aligned steps. The attention then is an alignment that unknown-word replacement,
 * placeholders and tags can follow.
 */
export function seq2seqLoss(
  w: Seq2SeqWeights,
  batch: Batch,
  regularization: Regularization,
  ops = FUSED_OPS,
): tf.Scalar {
  const { value, attention } = seq2seqForward(w, batch, regularization, ops);
  const weight = regularization.guidedAlignment ?? 0;
  if (!(weight > 0 && batch.guide && attention)) return value;
  const guide = tf.tensor3d(batch.guide, attention.shape);
  const steps = Math.max(1, tf.sum(guide).dataSync()[0]); // each aligned step's row sums to 1
  const alignment = tf.div(tf.neg(tf.sum(tf.mul(guide, tf.log(tf.add(attention, 1e-9))))), steps);
  return tf.add(value, tf.mul(weight, alignment)) as tf.Scalar;
}

function seq2seqForward(
  w: Seq2SeqWeights,
  batch: Batch,
  { dropout, labelSmoothing }: Regularization,
  ops: typeof FUSED_OPS,
): { value: tf.Scalar; attention?: tf.Tensor3D } {
  const { B, S, T } = batch;
  const H = w.decoder.recurrentKernel.shape[0];
  const drop = (x: tf.Tensor2D) => (dropout > 0 ? (tf.dropout(x, dropout) as tf.Tensor2D) : x);
  // x_t W + b for all steps in one matmul: [steps * B, 4H'], step t in rows t * B ..
  const inputs = (table: tf.Tensor2D, ids: Int32Array, kernel: tf.Tensor2D, bias: tf.Tensor1D) => {
    const x = drop(tf.gather(table, tf.tensor1d(ids, 'int32'))); // [steps * B, E]
    return tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
  };

  const enc = encodeSource(w, batch, (ids, lstm) => inputs(w.sourceEmbedding, ids, lstm.kernel, lstm.bias), ops);
  const keys =
    w.attention &&
    (tf.reshape(tf.matMul(tf.reshape(enc.memory, [B * S, H]), w.attention.key), [B, S, H]) as tf.Tensor3D);
  let hidden: tf.Tensor3D; // [B, T, H]: what the output projection reads
  let attention: tf.Tensor3D | undefined; // [B, T, S]
  if (w.attention && keys && feedsInput(w)) {
    const E = w.targetEmbedding.shape[1];
    const [embeddingKernel, feedKernel] = tf.split(w.decoder.kernel, [E, H], 0) as tf.Tensor2D[];
    const xz = bySteps(inputs(w.targetEmbedding, batch.targetIn, embeddingKernel, w.decoder.bias), T);
    ({ hidden, attention } = feedingDecoder(xz, feedKernel, w.decoder.recurrentKernel, enc, {
      keys,
      bias: sourceBias(batch),
      ...w.attention,
    }));
  } else {
    // Target padding needs no mask: it comes after every real token and is left out of the loss.
    const xz = bySteps(inputs(w.targetEmbedding, batch.targetIn, w.decoder.kernel, w.decoder.bias), T);
    hidden = tf.stack(
      ops.lstmSequence(xz, enc.h, enc.c, w.decoder.recurrentKernel, new Array(T).fill(null)).outputs,
      1,
    ) as tf.Tensor3D;
    if (w.attention && keys) {
      const scores = tf.add(tf.matMul(hidden, keys, false, true), sourceBias(batch)) as tf.Tensor3D; // [B, T, S]
      attention = tf.softmax(scores) as tf.Tensor3D;
      const context = tf.matMul(attention, enc.memory); // [B, T, H]
      hidden = attentional(context as tf.Tensor3D, hidden, w.attention.outputKernel, w.attention.outputBias);
    }
  }
  const rows = tf.gather(drop(tf.reshape(hidden, [B * T, H]) as tf.Tensor2D), tf.tensor1d(batch.rows, 'int32')); // [N, H]
  return {
    value: ops.softmaxCrossEntropy(rows, w.outputKernel, w.outputBias, batch.labels, labelSmoothing),
    attention,
  };
}

/** tanh(W_c [context; s] + b_c) over [B, T, H] contexts and decoder outputs: Luong's attentional vectors. */
function attentional(context: tf.Tensor3D, s: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
  const [B, T, H] = s.shape;
  const joined = tf.reshape(tf.concat([context, s], 2), [B * T, 2 * H]) as tf.Tensor2D;
  return tf.reshape(tf.tanh(tf.add(tf.matMul(joined, kernel), bias)), [B, T, H]);
}

/**
 * The decoder with input feeding, step by step under plain autodiff (a step's input depends on the previous
 * step's attention, so no whole-sequence op applies): z_t = x_t W_e + b + [h_{t-1}; a_{t-1}] [U; W_f], the LSTM
 * cell, attention over the memory, a_t = tanh(W_c [context_t; h_t] + b_c), a_0 = 0. Returns every a_t, [B, T, H],
 * and every step's attention, [B, T, S].
 */
function feedingDecoder(
  xz: tf.Tensor2D[],
  feedKernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  enc: { memory: tf.Tensor3D; h: tf.Tensor2D; c: tf.Tensor2D },
  attention: { keys: tf.Tensor3D; bias: tf.Tensor3D; outputKernel: tf.Tensor2D; outputBias: tf.Tensor1D },
): { hidden: tf.Tensor3D; attention: tf.Tensor3D } {
  const [B, H] = enc.h.shape;
  const U = tf.concat([recurrentKernel, feedKernel], 0); // [2H, 4H] on [h; a]
  let [h, c, a] = [enc.h, enc.c, tf.zeros([B, H]) as tf.Tensor2D];
  const outputs: tf.Tensor3D[] = [];
  const steps: tf.Tensor3D[] = []; // each step's attention
  for (const x of xz) {
    const [zi, zf, zg, zo] = tf.split(tf.add(x, tf.matMul(tf.concat([h, a], 1), U)), 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    const s = tf.reshape(h, [B, 1, H]) as tf.Tensor3D;
    const weights = tf.softmax(tf.add(tf.matMul(s, attention.keys, false, true), attention.bias)) as tf.Tensor3D; // [B, 1, S]
    const out = attentional(tf.matMul(weights, enc.memory), s, attention.outputKernel, attention.outputBias); // [B, 1, H]
    outputs.push(out);
    steps.push(weights);
    a = tf.reshape(out, [B, H]);
  }
  return { hidden: tf.concat(outputs, 1) as tf.Tensor3D, attention: tf.concat(steps, 1) as tf.Tensor3D };
}

/**
 * The encoder over the batch's sources: outputs [B, S, H] and final states [B, H]. A bidirectional one also reads
 * each sentence right to left (its own tokens reversed, padding still after them, so the same masks apply), and its
 * outputs are put back in source order: position s of a sentence of n tokens is backward step n - 1 - s. Both
 * directions run as one LSTM (sideBySide): a step's ops, not its arithmetic, are what costs on 2 cores, and two
 * runs made bidirectional training 1.6x slower than one direction.
 */
function encodeSource(
  w: Seq2SeqWeights,
  batch: Batch,
  inputs: (ids: Int32Array, lstm: LstmWeights) => tf.Tensor2D,
  ops: typeof FUSED_OPS,
): { memory: tf.Tensor3D; h: tf.Tensor2D; c: tf.Tensor2D } {
  const { B, S, sourceIds, sourceLengths } = batch;
  const run = (xz: tf.Tensor2D, U: tf.Tensor2D) => {
    const zeros = tf.zeros([B, U.shape[0]]) as tf.Tensor2D;
    const { outputs, h, c } = ops.lstmSequence(bySteps(xz, S), zeros, zeros, U, sourceMasks(batch));
    return { memory: tf.stack(outputs, 1) as tf.Tensor3D, h, c }; // [B, S, H']
  };
  const backwardLstm = w.encoderBackward;
  if (!backwardLstm) return run(inputs(sourceIds, w.encoder), w.encoder.recurrentKernel);
  const step = (b: number, s: number) => (s < sourceLengths[b] ? sourceLengths[b] - 1 - s : s); // ids are [S, B]: step t is a block
  const reversed = Int32Array.from(
    { length: S * B },
    (_, i) => sourceIds[step(i % B, Math.floor(i / B)) * B + (i % B)],
  );
  const both = sideBySide(
    inputs(sourceIds, w.encoder),
    inputs(reversed, backwardLstm),
    w.encoder.recurrentKernel,
    backwardLstm.recurrentKernel,
  );
  const { memory, h, c } = run(both.inputs, both.recurrentKernel); // states [forward; backward]
  const [forward, backward] = tf.split(memory, 2, 2);
  const H2 = backwardLstm.recurrentKernel.shape[0];
  const rows = Int32Array.from({ length: B * S }, (_, i) => Math.floor(i / S) * S + step(Math.floor(i / S), i % S)); // [B, S] -> row of [B * S]
  const backwardMemory = tf.reshape(tf.gather(tf.reshape(backward, [B * S, H2]), tf.tensor1d(rows, 'int32')), [
    B,
    S,
    H2,
  ]);
  return { memory: tf.concat([forward, backwardMemory], 2) as tf.Tensor3D, h, c };
}

/**
 * Two LSTMs of H' units as one of 2H' whose state is [first; second]: input pre-activations gate by gate
 * [i1 i2 f1 f2 g1 g2 o1 o2], and a block-diagonal recurrent kernel, so neither state feeds the other.
 */
function sideBySide(
  xz1: tf.Tensor2D,
  xz2: tf.Tensor2D,
  U1: tf.Tensor2D,
  U2: tf.Tensor2D,
): { inputs: tf.Tensor2D; recurrentKernel: tf.Tensor2D } {
  const gates = (x: tf.Tensor2D) => tf.split(x, 4, 1) as tf.Tensor2D[];
  const interleave = (a: tf.Tensor2D[], b: tf.Tensor2D[]) =>
    tf.concat(
      a.flatMap((g, k) => [g, b[k]]),
      1,
    ) as tf.Tensor2D;
  const zeros = tf.zerosLike(U1);
  return {
    inputs: interleave(gates(xz1), gates(xz2)),
    recurrentKernel: tf.concat(
      [interleave(gates(U1), gates(zeros)), interleave(gates(zeros), gates(U2))],
      0,
    ) as tf.Tensor2D,
  };
}

/** [steps * B, n] -> one [B, n] tensor per step. */
function bySteps(x: tf.Tensor2D, steps: number): tf.Tensor2D[] {
  return tf.split(x, steps, 0) as tf.Tensor2D[];
}
/** [B, 1] per source step, 1 while the sentence lasts; null for steps where no sentence has ended. */
function sourceMasks({ B, S, sourceLengths }: Batch): (tf.Tensor2D | null)[] {
  const shortest = Math.min(...sourceLengths);
  return Array.from({ length: S }, (_, t) =>
    t < shortest
      ? null
      : tf.tensor2d(
          Array.from(sourceLengths, (n) => (t < n ? 1 : 0)),
          [B, 1],
        ),
  );
}

/** [B, 1, S]: 0 on real source tokens, -1e9 on padding, added to the attention scores. */
export function sourceBias({ B, S, sourceLengths }: Batch): tf.Tensor3D {
  const bias = new Float32Array(B * S);
  sourceLengths.forEach((n, b) => bias.fill(-1e9, b * S + n, (b + 1) * S));
  return tf.tensor3d(bias, [B, 1, S]);
}
