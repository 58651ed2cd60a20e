// The inference math of the seq2seq model (train/model.ts) in tfjs core ops on the trained weights: one encoder
// pass per batch, then one decoder step per call. LayersModel.predict costs ~3 ms of overhead a call in workerd;
// a step in core ops inside tf.tidy costs ~0.4 ms.
//
// Shapes: B batch, S source length, E embedding dim, H hidden dim, V target vocab, n rows of a decoder step.
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqWeights } from './weights.js';

/** The weights laid out for inference. Holds its own references to the data, so the LayersModels can be disposed. */
export type InferenceModel = {
  hiddenDim: number; // H
  targetVocabSize: number; // V
  sourceEmbedding: tf.Tensor2D; // [Vs, E]
  encoderKernel: tf.Tensor2D; // [E, 4H], applied to every source position in one matmul
  encoderRecurrent: tf.Tensor2D; // [H, 4H]
  encoderBias: tf.Tensor1D; // [4H]
  targetEmbedding: tf.Tensor2D; // [V, E]
  decoderKernel: tf.Tensor2D; // [E + H, 4H]: input and recurrent kernels stacked, one matmul on [x; h] a step
  decoderBias: tf.Tensor1D; // [4H]
  attention?: {
    key: tf.Tensor2D; // W_a [H, H]
    outputKernel: tf.Tensor2D; // [2H, H] on [context; decoder output]
    outputBias: tf.Tensor1D; // [H]
  };
  outputKernel: tf.Tensor2D; // [H, V]
  outputBias: tf.Tensor1D; // [V]
};

/** What the encoder leaves for the decoder. `attention` is absent for models without attention. */
export type Memory = {
  h: tf.Tensor2D; // [B, H] final states: those of each sentence's last real token
  c: tf.Tensor2D; // [B, H]
  attention?: {
    outputs: tf.Tensor3D; // [B, S, H] encoder outputs (the values)
    keysT: tf.Tensor3D; // [B, H, S] keys W_a h_s, stored transposed: wasm BatchMatMul is 10x slower with a transpose flag
    bias: tf.Tensor3D; // [B, 1, S] 0 for real tokens, -1e9 for padding
  };
};

export type StepOutput = {
  logProbs: tf.Tensor2D; // [n, V]
  h: tf.Tensor2D; // [n, H]
  c: tf.Tensor2D; // [n, H]
  attention?: tf.Tensor2D; // [n, S] attention weights over the source
};

/** Source id masked by the encoder (Embedding maskZero): a padded position carries the previous state. */
const MASKED_ID = 0;
const PAD_BIAS = -1e9;

export function createInferenceModel(w: Seq2SeqWeights): InferenceModel {
  return tf.tidy(() => ({
    hiddenDim: w.encoder.recurrentKernel.shape[0],
    targetVocabSize: w.outputBias.shape[0],
    sourceEmbedding: share(w.sourceEmbedding),
    encoderKernel: share(w.encoder.kernel),
    encoderRecurrent: share(w.encoder.recurrentKernel),
    encoderBias: share(w.encoder.bias),
    targetEmbedding: share(w.targetEmbedding),
    decoderKernel: tf.concat([w.decoder.kernel, w.decoder.recurrentKernel], 0),
    decoderBias: share(w.decoder.bias),
    attention: w.attention && {
      key: share(w.attention.key),
      outputKernel: share(w.attention.outputKernel),
      outputBias: share(w.attention.outputBias),
    },
    outputKernel: share(w.outputKernel),
    outputBias: share(w.outputBias),
  }));
}

/**
 * A new tensor over the same data: reshape only adds a reference, where tf.clone copies. Copying the model's
 * 17 MB was a tenth of the cold start, since memory touched for the first time is slow (README, Benchmarks).
 */
const share = <T extends tf.Tensor>(t: T): T => tf.reshape(t, t.shape) as T;

export function disposeInferenceModel(model: InferenceModel): void {
  tf.dispose(model);
}

/** Keras LSTM cell, recurrent activation sigmoid. z [n, 4H] pre-activations, gates [i, f, g, o]; c [n, H]. */
function lstmCell(z: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [i, f, g, o] = tf.split(z, 4, 1);
  const cNew = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
  return [tf.mul(tf.sigmoid(o), tf.tanh(cNew)) as tf.Tensor2D, cNew];
}

/**
 * Encodes a batch of sentences of any lengths (padded on the right to the longest). Like Keras masking, a
 * padded step keeps the previous state and repeats the previous output.
 */
export function encode(model: InferenceModel, sourceIds: number[][]): Memory {
  const B = sourceIds.length;
  const S = Math.max(0, ...sourceIds.map((s) => s.length));
  if (B === 0 || S === 0) throw new Error('encode: needs at least one non-empty sentence');
  const H = model.hiddenDim;
  const timeMajor = new Int32Array(S * B).fill(MASKED_ID); // [S, B]: step t is a contiguous block
  sourceIds.forEach((ids, b) => ids.forEach((id, t) => (timeMajor[t * B + b] = id)));
  return tf.tidy(() => {
    const embedded = tf.gather(model.sourceEmbedding, tf.tensor1d(timeMajor, 'int32')); // [S*B, E]
    const x = tf.fused.matMul({ a: embedded, b: model.encoderKernel, bias: model.encoderBias }); // [S*B, 4H]
    const xs = tf.unstack(tf.reshape(x, [S, B, 4 * H])) as tf.Tensor2D[]; // S x [B, 4H]
    let h: tf.Tensor2D = tf.zeros([B, H]);
    let c: tf.Tensor2D = tf.zeros([B, H]);
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < S; t++) {
      const [hNew, cNew] = lstmCell(tf.add(xs[t], tf.matMul(h, model.encoderRecurrent)), c);
      const real = sourceIds.map((ids) => t < ids.length);
      if (real.every(Boolean)) {
        [h, c] = [hNew, cNew];
      } else {
        const mask = tf.tensor2d(real, [B, 1], 'bool');
        [h, c] = [tf.where(mask, hNew, h), tf.where(mask, cNew, c)];
      }
      outputs.push(h);
    }
    if (!model.attention) return { h, c };
    const values = tf.stack(outputs, 1) as tf.Tensor3D; // [B, S, H]
    const keys = tf.reshape(tf.matMul(tf.reshape(values, [B * S, H]), model.attention.key), [B, S, H]);
    const bias = sourceIds.flatMap((ids) => Array.from({ length: S }, (_, t) => (t < ids.length ? 0 : PAD_BIAS)));
    return {
      h,
      c,
      attention: { outputs: values, keysT: tf.transpose(keys, [0, 2, 1]) as tf.Tensor3D, bias: tf.tensor3d(bias, [B, 1, S]) },
    };
  });
}

/** The memory of sentences `rows` only (indices into the batch), in that order. */
export function selectSentences(memory: Memory, rows: number[]): Memory {
  return tf.tidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    const pick = <T extends tf.Tensor>(t: T) => tf.gather(t, index) as T;
    const { h, c, attention } = memory;
    return { h: pick(h), c: pick(c), attention: attention && { outputs: pick(attention.outputs), keysT: pick(attention.keysT), bias: pick(attention.bias) } };
  });
}

/**
 * One decoder step for n rows: tokens int32 [n] (the previous output), states h, c [n, H]. Row r attends to
 * sentence r of the memory, or, when the memory holds one sentence, every row attends to it (the hypotheses
 * of a beam). Returns log-probabilities over the whole target vocabulary.
 */
export function decodeStep(model: InferenceModel, memory: Memory, tokens: tf.Tensor1D, h: tf.Tensor2D, c: tf.Tensor2D): StepOutput {
  return tf.tidy(() => {
    const x = tf.gather(model.targetEmbedding, tokens); // [n, E]
    const z = tf.fused.matMul({ a: tf.concat([x, h], 1), b: model.decoderKernel, bias: model.decoderBias }) as tf.Tensor2D; // [n, 4H]
    const [s, cNew] = lstmCell(z, c);
    const attended = model.attention && memory.attention ? attend(model.attention, memory.attention, s) : undefined;
    const logits = tf.fused.matMul({ a: attended?.hidden ?? s, b: model.outputKernel, bias: model.outputBias }); // [n, V]
    // log(softmax) is 2 wasm kernels, logSoftmax 6; per-kernel overhead dominates a 1-row step.
    return { logProbs: tf.log(tf.softmax(logits)) as tf.Tensor2D, h: s, c: cNew, attention: attended?.weights };
  });
}

/** Luong "general" attention, no input feeding: score = s . (W_a h_s), then tanh(W_c [context; s] + b). */
function attend(weights: NonNullable<InferenceModel['attention']>, memory: NonNullable<Memory['attention']>, s: tf.Tensor2D) {
  const [B, H, S] = memory.keysT.shape;
  const n = s.shape[0];
  const rows = B === 1 ? [1, n] : [n, 1]; // shared memory: one [n, H] x [H, S] matmul; else n of [1, H] x [H, S]
  const scores = tf.reshape(tf.matMul(tf.reshape(s, [...rows, H]), memory.keysT), [n, S]);
  const alignment = tf.softmax(tf.add(scores, tf.reshape(memory.bias, [B, S]))) as tf.Tensor2D; // [n, S]
  const context = tf.reshape(tf.matMul(tf.reshape(alignment, [...rows, S]), memory.outputs), [n, H]);
  const joined = tf.concat([context, s], 1); // [n, 2H]
  const hidden = tf.tanh(tf.fused.matMul({ a: joined, b: weights.outputKernel, bias: weights.outputBias }));
  return { hidden, weights: alignment };
}
