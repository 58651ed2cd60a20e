// The teacher-forced training loss of the seq2seq model (train/model.ts), written with the fused ops so that
// autodiff records a few dozen ops per batch instead of thousands. Same math as the layers definition; the
// equivalence is checked in test/unit/fast-ops.test.ts.
//
// Shapes: B batch, S source length, T target length, E embedding dim, H hidden dim, V target vocab, N real
// (non-padding) target tokens in the batch.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights, Seq2SeqWeights } from '../../src/core/model/weights.js';
import type { Batch } from '../batches.js';
import { lstmSequence, softmaxCrossEntropy } from './ops.js';

/** The two fused ops; tests swap in plain autodiff versions to check the gradients of the whole loss. */
export const FUSED_OPS = { lstmSequence, softmaxCrossEntropy };

/** Training-time regularization; evaluation passes NO_REGULARIZATION (the plain cross-entropy). */
export interface Regularization {
  dropout: number; // on embeddings and before the output projection
  labelSmoothing: number; // share of each target's probability mass spread uniformly over the vocabulary
}
export const NO_REGULARIZATION: Regularization = { dropout: 0, labelSmoothing: 0 };

export function seq2seqLoss(w: Seq2SeqWeights, batch: Batch, { dropout, labelSmoothing }: Regularization, ops = FUSED_OPS): tf.Scalar {
  const { B, S, T } = batch;
  const H = w.encoder.recurrentKernel.shape[0];
  const drop = (x: tf.Tensor2D) => (dropout > 0 ? (tf.dropout(x, dropout) as tf.Tensor2D) : x);
  // x_t W + b for all steps in one matmul, then one [B, 4H] tensor per step.
  const inputs = (table: tf.Tensor2D, ids: Int32Array, steps: number, lstm: LstmWeights) => {
    const x = drop(tf.gather(table, tf.tensor1d(ids, 'int32'))); // [steps * B, E]
    return tf.unstack(tf.reshape(tf.add(tf.matMul(x, lstm.kernel), lstm.bias), [steps, B, 4 * H])) as tf.Tensor2D[];
  };

  const zeros = tf.zeros([B, H]) as tf.Tensor2D;
  const masks = sourceMasks(batch);
  const enc = ops.lstmSequence(inputs(w.sourceEmbedding, batch.sourceIds, S, w.encoder), zeros, zeros, w.encoder.recurrentKernel, masks);
  // Target padding needs no mask: it comes after every real token and is left out of the loss.
  const dec = ops.lstmSequence(inputs(w.targetEmbedding, batch.targetIn, T, w.decoder), enc.h, enc.c, w.decoder.recurrentKernel, new Array(T).fill(null));

  let hidden = tf.stack(dec.outputs, 1) as tf.Tensor3D; // [B, T, H]
  if (w.attention) {
    const memory = tf.stack(enc.outputs, 1) as tf.Tensor3D; // [B, S, H]
    const keys = tf.reshape(tf.matMul(tf.reshape(memory, [B * S, H]), w.attention.key), [B, S, H]) as tf.Tensor3D;
    const scores = tf.add(tf.matMul(hidden, keys, false, true), sourceBias(batch)); // [B, T, S]
    const context = tf.matMul(tf.softmax(scores) as tf.Tensor3D, memory); // [B, T, H]
    const joined = tf.reshape(tf.concat([context, hidden], 2), [B * T, 2 * H]) as tf.Tensor2D;
    hidden = tf.tanh(tf.add(tf.matMul(joined, w.attention.outputKernel), w.attention.outputBias)).reshape([B, T, H]);
  }
  const rows = tf.gather(drop(tf.reshape(hidden, [B * T, H]) as tf.Tensor2D), tf.tensor1d(batch.rows, 'int32')); // [N, H]
  return ops.softmaxCrossEntropy(rows, w.outputKernel, w.outputBias, batch.labels, labelSmoothing);
}

/** [B, 1] per source step, 1 while the sentence lasts; null for steps where no sentence has ended. */
function sourceMasks({ B, S, sourceLengths }: Batch): (tf.Tensor2D | null)[] {
  const shortest = Math.min(...sourceLengths);
  return Array.from({ length: S }, (_, t) =>
    t < shortest ? null : tf.tensor2d(Array.from(sourceLengths, (n) => (t < n ? 1 : 0)), [B, 1]));
}

/** [B, 1, S]: 0 on real source tokens, -1e9 on padding, added to the attention scores. */
export function sourceBias({ B, S, sourceLengths }: Batch): tf.Tensor3D {
  const bias = new Float32Array(B * S);
  sourceLengths.forEach((n, b) => bias.fill(-1e9, b * S + n, (b + 1) * S));
  return tf.tensor3d(bias, [B, 1, S]);
}
