// The inference math (host LSTM cells, direct kernels, the decoder's own WASM products) computes what the exported
// LayersModels compute: to float32 rounding with float32 weights, to the quantization's error with int8 ones.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Precision } from '../../src/core/model/gemm.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
  type OutputLayer,
  type Rows,
} from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { initNodeBackend } from '../../train/backend.js';
import type { Seq2Seq } from '../../train/model.js';
import { randomSeq2Seq } from '../helpers/random-model.js';

const TOLERANCE: Record<Precision, number> = { float32: 1e-5, int8: 5e-3 };
const SENTENCES = [
  [5, 9, 4, 12],
  [7, 3],
  [11, 6, 8, 10, 13, 5],
]; // source ids, no padding
const TOKENS = [2, 9, 14]; // one previous target token a sentence
const [H, V] = [6, 17];

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function expectClose(
  actual: ArrayLike<number>,
  expected: tf.Tensor | ArrayLike<number>,
  tolerance = TOLERANCE.float32,
) {
  const want = expected instanceof tf.Tensor ? expected.dataSync() : expected;
  expect(actual.length).toBe(want.length);
  const diff = Math.max(...Array.from(actual, (a, i) => Math.abs(a - want[i])));
  expect(diff).toBeLessThan(tolerance);
}

/** Right-padded [B, S] ids tensor and the matching source bias [B, 1, S], as the Layers encoder takes them. */
function padded(sentences: number[][]) {
  const S = Math.max(...sentences.map((s) => s.length));
  const ids = sentences.map((s) => [...s, ...Array(S - s.length).fill(0)]);
  const bias = sentences.map((s) => [Array.from({ length: S }, (_, t) => (t < s.length ? 0 : -1e9))]);
  return { ids: tf.tensor2d(ids, undefined, 'int32'), bias: tf.tensor3d(bias) };
}

/** Seeded random states [n, H]. */
/** The rows of a [B, S, H] array at the sentences' real tokens, sentence after sentence. */
const realTokens = (x: Float32Array) => {
  const S = Math.max(...SENTENCES.map((s) => s.length));
  return SENTENCES.flatMap((s, b) => Array.from(x.subarray(b * S * H, (b * S + s.length) * H)));
};
const states = (n: number, seed: number) =>
  tf.tidy(() => tf.randomNormal([n, H], 0, 1, 'float32', seed).dataSync() as Float32Array);

/** An attentional vector a row feeds (input feeding) that depends on its token only, so a row's slice is its own. */
const fedFor = (tokens: ArrayLike<number>) =>
  Float32Array.from({ length: tokens.length * H }, (_, i) => Math.sin(tokens[Math.floor(i / H)] * 7 + (i % H)));

/** One step over sentences `sentences` of a memory, R rows each (their attentional vectors from fedFor, with input feeding). */
function step(
  model: InferenceModel,
  memory: ReturnType<typeof encode>,
  sentences: number[],
  R: number,
  rows: Rows,
  output = model.output,
) {
  return decodeStep(
    model,
    { memory, sentences, output },
    R,
    model.inputFeeding ? { ...rows, attentional: fedFor(rows.tokens) } : rows,
  );
}

const RECIPES = [
  { attention: true, bidirectional: false },
  { attention: false, bidirectional: false },
  { attention: true, bidirectional: true },
  { attention: true, bidirectional: false, inputFeeding: true },
];

describe.each(
  (['float32', 'int8'] as const).flatMap((precision) => RECIPES.map((recipe) => ({ ...recipe, precision }))),
)(
  'seq2seq inference math, $precision, attention $attention, bidirectional encoder $bidirectional, input feeding $inputFeeding',
  ({ attention, bidirectional, inputFeeding = false, precision }) => {
    let seq2seq: Seq2Seq;
    let model: InferenceModel;

    beforeAll(() => {
      seq2seq = randomSeq2Seq(
        {
          sourceVocabSize: 20,
          targetVocabSize: V,
          embeddingDim: 8,
          hiddenDim: H,
          attention,
          bidirectional,
          inputFeeding,
        },
        7,
      );
      model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, attention), precision);
    });
    afterAll(() => {
      disposeInferenceModel(model);
      seq2seq.encoder.dispose();
      seq2seq.decoder.dispose();
    });

    it('encodes a padded batch exactly like encoder.predict (float32 at either precision)', () => {
      const memory = encode(model, SENTENCES);
      tf.tidy(() => {
        const expected = seq2seq.encoder.predict(padded(SENTENCES).ids) as tf.Tensor[];
        const [h, c] = expected.slice(-2);
        expectClose(memory.h, h);
        expectClose(memory.c, c);
        expect(memory.attention !== undefined).toBe(attention);
        if (memory.attention) {
          expectClose(memory.attention.values, expected[0]);
          expectClose(realTokens(memory.attention.keys), realTokens(expected[1].dataSync() as Float32Array)); // 0 past the ends
        }
      });
    });

    it('decodes one step like decoder.predict', () => {
      const memory = encode(model, SENTENCES);
      const [h, c] = [states(3, 1), states(3, 2)];
      const out = step(model, memory, [0, 1, 2], 1, { tokens: TOKENS, h, c });
      tf.tidy(() => {
        const a = padded(SENTENCES);
        const expected = seq2seq.encoder.predict(a.ids) as tf.Tensor[];
        const fed = inputFeeding ? [tf.tensor3d(fedFor(TOKENS), [3, 1, H])] : [];
        const inputs = [
          tf.tensor2d(TOKENS, [3, 1], 'int32'),
          tf.tensor2d(h, [3, H]),
          tf.tensor2d(c, [3, H]),
          ...(attention ? [expected[0], expected[1], a.bias] : []),
          ...fed,
        ];
        const [probs, hExpected, cExpected, , attentional] = seq2seq.decoder.predict(inputs) as tf.Tensor[];
        expectClose(out.probs, probs, TOLERANCE[precision]);
        expectClose(out.h, hExpected, TOLERANCE[precision]);
        expectClose(out.c, cExpected, TOLERANCE[precision]);
        expect(out.attentional !== undefined).toBe(inputFeeding);
        if (inputFeeding) expectClose(out.attentional!, attentional, TOLERANCE[precision]);
      });
    });

    it('gives each sentence of a padded batch the result it gets alone', () => {
      const batch = encode(model, SENTENCES);
      const [h, c] = [states(3, 3), states(3, 4)];
      const together = step(model, batch, [0, 1, 2], 1, { tokens: TOKENS, h, c });
      SENTENCES.forEach((sentence, b) => {
        const alone = encode(model, [sentence]);
        expectClose(batch.h.subarray(b * H, (b + 1) * H), alone.h);
        const row = (x: Float32Array, width: number) => x.subarray(b * width, (b + 1) * width);
        const out = step(model, alone, [0], 1, { tokens: [TOKENS[b]], h: row(h, H), c: row(c, H) });
        expectClose(row(together.probs, V), out.probs, TOLERANCE[precision]);
        expectClose(row(together.h, H), out.h, TOLERANCE[precision]);
      });
    });

    it('lets R rows share a sentence (beam hypotheses) and repeat sentences of a memory', () => {
      const memory = encode(model, SENTENCES);
      const [h, c] = [states(3, 5), states(3, 6)];
      const shared = step(model, memory, [2], 3, { tokens: TOKENS, h, c });
      const repeated = step(model, memory, [2, 2, 2], 1, { tokens: TOKENS, h, c });
      expect(shared.probs).toEqual(repeated.probs); // a row's products do not depend on the others (../../src/core/model/gemm.ts)
      expect(shared.h).toEqual(repeated.h);
    });

    it('restricts the output layer to some columns, each sentence to its own softmax', () => {
      const memory = encode(model, SENTENCES);
      const [h, c] = [states(3, 7), states(3, 8)];
      const full = step(model, memory, [0, 1, 2], 1, { tokens: TOKENS, h, c });
      const ids = [
        [3, 5, 6, 9, 16],
        [3, 6, 16],
        [5, 6, 9],
      ].map((list) => Int32Array.from(list));
      const output: OutputLayer = {
        columns: ids.map((list) => ({ ids: list, emitted: new Uint8Array(list.length).fill(1) })),
      };
      const restricted = step(model, memory, [0, 1, 2], 1, { tokens: TOKENS, h, c }, output);
      let at = 0;
      ids.forEach((own, b) => {
        // The softmax over the sentence's own columns, from the full step's probabilities.
        const probs = Array.from(own, (id) => full.probs[b * V + id]);
        const total = probs.reduce((x, y) => x + y, 0);
        expectClose(
          restricted.probs.subarray(at, at + own.length),
          probs.map((p) => p / total),
        ); // the same products: exact
        at += own.length;
      });
      expect(restricted.probs.length).toBe(at);
    });

    it('keeps no tensors', () => {
      const before = tf.memory().numTensors;
      const memory = encode(model, SENTENCES);
      step(model, memory, [0, 1, 2], 1, { tokens: TOKENS, h: memory.h, c: memory.c });
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);
