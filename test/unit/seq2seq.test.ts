// The core-op encoder and decoder step compute what the exported LayersModels compute.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceModel, decodeStep, disposeInferenceModel, encode, type InferenceModel, type Memory } from '../../src/core/model/seq2seq.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { initNodeBackend } from '../../train/backend.js';
import type { Seq2Seq } from '../../train/model.js';
import { randomSeq2Seq } from '../helpers/random-model.js';

const TOLERANCE = 1e-5;
const SENTENCES = [[5, 9, 4, 12], [7, 3], [11, 6, 8, 10, 13, 5]]; // source ids, no padding
const TOKENS = [2, 9, 14]; // one previous target token a sentence

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function expectClose(actual: tf.Tensor, expected: tf.Tensor) {
  expect(actual.shape).toEqual(expected.shape);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]);
  expect(diff).toBeLessThan(TOLERANCE);
}

/** Right-padded [B, S] ids tensor and the matching source bias [B, 1, S], as the Layers encoder takes them. */
function padded(sentences: number[][]) {
  const S = Math.max(...sentences.map((s) => s.length));
  const ids = sentences.map((s) => [...s, ...Array(S - s.length).fill(0)]);
  const bias = sentences.map((s) => [Array.from({ length: S }, (_, t) => (t < s.length ? 0 : -1e9))]);
  return { ids: tf.tensor2d(ids, undefined, 'int32'), bias: tf.tensor3d(bias) };
}

function rowOf(memory: Memory, b: number): Memory {
  const row = (t: tf.Tensor) => tf.slice(t, b, 1);
  const a = memory.attention;
  return { h: row(memory.h), c: row(memory.c), attention: a && { outputs: row(a.outputs), keysT: row(a.keysT), bias: row(a.bias) } } as Memory;
}

describe.each([true, false])('seq2seq core ops, attention %s', (attention) => {
  let seq2seq: Seq2Seq;
  let model: InferenceModel;

  beforeAll(() => {
    seq2seq = randomSeq2Seq({ sourceVocabSize: 20, targetVocabSize: 17, embeddingDim: 8, hiddenDim: 6, attention }, 7);
    model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, attention));
  });
  afterAll(() => {
    disposeInferenceModel(model);
    seq2seq.encoder.dispose();
    seq2seq.decoder.dispose();
  });

  it('encodes a padded batch exactly like encoder.predict', () => {
    tf.tidy(() => {
      const memory = encode(model, SENTENCES);
      const expected = seq2seq.encoder.predict(padded(SENTENCES).ids) as tf.Tensor[];
      const [h, c] = expected.slice(-2);
      expectClose(memory.h, h);
      expectClose(memory.c, c);
      expect(memory.attention !== undefined).toBe(attention);
      if (memory.attention) {
        expectClose(memory.attention.outputs, expected[0]);
        expectClose(memory.attention.keysT, tf.transpose(expected[1], [0, 2, 1]));
        expectClose(memory.attention.bias, padded(SENTENCES).bias);
      }
    });
  });

  it('decodes one step exactly like decoder.predict', () => {
    tf.tidy(() => {
      const memory = encode(model, SENTENCES);
      const [B, H] = memory.h.shape;
      const h = tf.randomNormal([B, H], 0, 1, 'float32', 1) as tf.Tensor2D;
      const c = tf.randomNormal([B, H], 0, 1, 'float32', 2) as tf.Tensor2D;
      const step = decodeStep(model, memory, tf.tensor1d(TOKENS, 'int32'), h, c);
      const a = memory.attention;
      const inputs = [tf.tensor2d(TOKENS, [B, 1], 'int32'), h, c, ...(a ? [a.outputs, tf.transpose(a.keysT, [0, 2, 1]), a.bias] : [])];
      const [probs, hExpected, cExpected, weights] = seq2seq.decoder.predict(inputs) as tf.Tensor[];
      expectClose(tf.exp(step.logProbs), tf.squeeze(probs, [1]));
      expectClose(step.h, hExpected);
      expectClose(step.c, cExpected);
      if (attention) expectClose(step.attention!, tf.squeeze(weights, [1]));
      else expect(step.attention).toBeUndefined();
    });
  });

  it('gives each sentence of a padded batch the result it gets alone', () => {
    tf.tidy(() => {
      const batch = encode(model, SENTENCES);
      const batchStep = decodeStep(model, batch, tf.tensor1d(TOKENS, 'int32'), batch.h, batch.c);
      SENTENCES.forEach((sentence, b) => {
        const alone = encode(model, [sentence]);
        const S = sentence.length;
        expectClose(rowOf(batch, b).h, alone.h);
        if (alone.attention) expectClose(tf.slice(rowOf(batch, b).attention!.outputs, [0, 0, 0], [1, S, -1]), alone.attention.outputs);
        const step = decodeStep(model, alone, tf.tensor1d([TOKENS[b]], 'int32'), alone.h, alone.c);
        expectClose(tf.slice(batchStep.logProbs, b, 1), step.logProbs);
        expectClose(tf.slice(batchStep.h, b, 1), step.h);
      });
    });
  });

  it('lets every row of a step share a one-sentence memory (beam hypotheses)', () => {
    tf.tidy(() => {
      const memory = encode(model, [SENTENCES[0]]);
      const tiled = encode(model, [SENTENCES[0], SENTENCES[0], SENTENCES[0]]);
      const tokens = tf.tensor1d(TOKENS, 'int32');
      const shared = decodeStep(model, memory, tokens, tiled.h, tiled.c);
      const perRow = decodeStep(model, tiled, tokens, tiled.h, tiled.c);
      expectClose(shared.logProbs, perRow.logProbs);
      expectClose(shared.h, perRow.h);
    });
  });

  it('keeps no tensors from a step', () => {
    const memory = encode(model, SENTENCES);
    const before = tf.memory().numTensors;
    const step = decodeStep(model, memory, tf.tensor1d(TOKENS, 'int32'), memory.h, memory.c);
    expect(tf.memory().numTensors).toBe(before + 1 + 3 + (attention ? 1 : 0)); // tokens + logProbs, h, c (+ weights)
    tf.dispose([step, memory]);
  });
});
