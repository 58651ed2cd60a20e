// Batched beam search against exhaustive search and hand-rolled greedy decoding on tiny random models, and a
// batch against each of its sentences searched alone.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, type ModelConfig } from '../../src/core/artifact.js';
import { beamSearch, maxOutputLength, normalizedScore, type Hypothesis } from '../../src/core/decode.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
  type Memory,
} from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { initNodeBackend } from '../../train/backend.js';
import { randomSeq2Seq } from '../helpers/random-model.js';

const special = SPECIAL_TOKENS;
const SENTENCES = [
  [5, 9, 4, 12],
  [7, 6],
  [11, 6, 8, 10, 13, 5, 4],
];

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** An inference model from seeded random weights; `outputBias` overrides entries of the output layer's bias. */
function tinyModel(
  config: ModelConfig,
  seed: number,
  scale: number,
  outputBias: Record<number, number> = {},
): InferenceModel {
  const seq2seq = randomSeq2Seq(config, seed, scale);
  const [kernel, bias] = seq2seq.layers.outputProjection.getWeights();
  const values = bias.arraySync() as number[];
  for (const [id, value] of Object.entries(outputBias)) values[Number(id)] = value;
  seq2seq.layers.outputProjection.setWeights([kernel, tf.tensor1d(values)]);
  const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, config.attention));
  seq2seq.encoder.dispose();
  seq2seq.decoder.dispose();
  return model;
}

const search = (model: InferenceModel, memory: Memory, beam: number, maxLengths: number[], alpha?: number) =>
  beamSearch(model, memory, model.output, { beam, maxLengths, special, alpha }).outputs;

/** A one-row step on the host's view: log-probabilities of every target id after `token` from states h, c. */
function stepAlone(model: InferenceModel, memory: Memory, token: number, h: Float32Array, c: Float32Array) {
  const context = { memory, output: model.output, sentences: [0] };
  const out = decodeStep(model, context, 1, { tokens: [token], h, c });
  return { logProbs: Array.from(out.probs, Math.log), h: out.h, c: out.c };
}

/** Every output the searches may produce (ends in </s>, or reaches maxLength), scored on the host. */
function allHypotheses(model: InferenceModel, memory: Memory, maxLength: number): Hypothesis[] {
  const all: Hypothesis[] = [];
  const content = Array.from({ length: model.targetVocabSize }, (_, id) => id).filter((id) => id > special.end);
  const expand = (prefix: Hypothesis, token: number, h: Float32Array, c: Float32Array) => {
    const step = stepAlone(model, memory, token, h, c);
    all.push({ ids: prefix.ids, logProb: prefix.logProb + step.logProbs[special.end], ended: true });
    for (const id of content) {
      const next = { ids: [...prefix.ids, id], logProb: prefix.logProb + step.logProbs[id], ended: false };
      if (next.ids.length === maxLength) all.push(next);
      else expand(next, id, step.h, step.c);
    }
  };
  expand({ ids: [], logProb: 0, ended: false }, special.start, memory.h, memory.c);
  return all;
}

/** Greedy decoding written out: the most probable token that is not <pad>, <unk> or <s>, until </s> or the limit. */
function greedyByHand(model: InferenceModel, memory: Memory, maxLength: number): Hypothesis {
  const hyp: Hypothesis = { ids: [], logProb: 0, ended: false };
  let [token, h, c] = [special.start, memory.h, memory.c];
  while (!hyp.ended && hyp.ids.length < maxLength) {
    const step = stepAlone(model, memory, token, h, c);
    const allowed = step.logProbs.map((lp, id) =>
      [special.pad, special.unk, special.start].includes(id) ? -Infinity : lp,
    );
    token = allowed.indexOf(Math.max(...allowed));
    hyp.logProb += allowed[token];
    if (token === special.end) hyp.ended = true;
    else hyp.ids.push(token);
    [h, c] = [step.h, step.c];
  }
  return hyp;
}

const key = (hyp: Hypothesis) => `${hyp.ids.join(' ')}${hyp.ended ? ' </s>' : ''}`;

describe.each([true, false])('search, attention %s', (attention) => {
  describe('on a 3-word target vocabulary', () => {
    const maxLength = 4;
    let model: InferenceModel;
    beforeAll(() => {
      // A large bias on </s> makes short and long outputs compete, so length normalisation matters.
      model = tinyModel({ sourceVocabSize: 16, targetVocabSize: 7, embeddingDim: 5, hiddenDim: 4, attention }, 3, 1.5, {
        [special.end]: 0.8,
      });
    });
    afterAll(() => disposeInferenceModel(model));

    it.each([0, 0.6, 1])(
      'with a beam wider than the search space equals exhaustive search, every sentence of a batch (alpha %s)',
      (alpha) => {
        const batch = search(
          model,
          encode(model, SENTENCES),
          200,
          SENTENCES.map(() => maxLength),
          alpha,
        );
        SENTENCES.forEach((sentence, b) => {
          const all = allHypotheses(model, encode(model, [sentence]), maxLength);
          expect(all).toHaveLength(1 + 3 + 9 + 27 + 81); // </s> after 0..3 words, or 4 words
          const found = batch[b];
          expect(found.map(key).sort()).toEqual(all.map(key).sort()); // every hypothesis, each with its own states
          const logProbs = new Map(all.map((hyp) => [key(hyp), hyp.logProb]));
          for (const hyp of found) expect(hyp.logProb).toBeCloseTo(logProbs.get(key(hyp))!, 4);
          const best = all.reduce((a, b) => (normalizedScore(b, alpha) > normalizedScore(a, alpha) ? b : a));
          expect(key(found[0])).toBe(key(best));
        });
      },
    );
  });

  describe('on a 26-word target vocabulary', () => {
    let model: InferenceModel;
    beforeAll(() => {
      model = tinyModel(
        { sourceVocabSize: 16, targetVocabSize: 30, embeddingDim: 8, hiddenDim: 8, attention },
        5,
        1.2,
        { [special.end]: 1.5 },
      );
    });
    afterAll(() => disposeInferenceModel(model));

    it('with beam 1 decodes greedily, a batch exactly as each sentence alone', () => {
      const maxLengths = SENTENCES.map((s) => maxOutputLength(s.length, 12));
      const batch = search(model, encode(model, SENTENCES), 1, maxLengths);
      SENTENCES.forEach((sentence, b) => {
        const greedy = greedyByHand(model, encode(model, [sentence]), maxLengths[b]);
        expect(batch[b]).toEqual([{ ...greedy, logProb: expect.closeTo(greedy.logProb, 4) }]);
      });
      expect(new Set(batch.map(([hyp]) => hyp.ids.length)).size).toBeGreaterThan(1); // rows stopped at different steps
    });

    it.each([2, 4, 10])('with beam %i searches a batch exactly as each sentence alone', (beam) => {
      const maxLengths = SENTENCES.map((s) => maxOutputLength(s.length, 12));
      const batch = search(model, encode(model, SENTENCES), beam, maxLengths);
      SENTENCES.forEach((sentence, b) => {
        const [alone] = search(model, encode(model, [sentence]), beam, [maxLengths[b]]);
        expect(batch[b].map(key)).toEqual(alone.map(key));
        batch[b].forEach((hyp, i) => expect(hyp.logProb).toBeCloseTo(alone[i].logProb, 4));
      });
    });

    it('scores outputs with the model log-probabilities', () => {
      const memory = encode(model, [SENTENCES[0]]);
      const [[found]] = search(model, memory, 4, [12]);
      const targets = [...found.ids, ...(found.ended ? [special.end] : [])];
      let [token, h, c, total] = [special.start, memory.h, memory.c, 0];
      for (const target of targets) {
        const step = stepAlone(model, memory, token, h, c);
        total += step.logProbs[target];
        [token, h, c] = [target, step.h, step.c];
      }
      expect(found.ended).toBe(true);
      expect(found.logProb).toBeCloseTo(total, 4);
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      search(model, encode(model, SENTENCES), 1, [5, 9, 20]);
      search(model, encode(model, SENTENCES), 5, [5, 9, 20]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  describe('on a model that prefers special tokens', () => {
    it('never emits <unk>, <pad> or <s>', () => {
      const bias = { [special.pad]: 20, [special.unk]: 30, [special.start]: 20, [special.end]: -5 };
      const model = tinyModel(
        { sourceVocabSize: 16, targetVocabSize: 12, embeddingDim: 6, hiddenDim: 6, attention },
        9,
        0.5,
        bias,
      );
      const outputs = [1, 4].flatMap((beam) => search(model, encode(model, SENTENCES), beam, [10, 10, 10]).flat());
      for (const hyp of outputs) {
        expect(hyp.ids.length).toBeGreaterThan(0);
        expect(hyp.ids.filter((id) => id <= special.end)).toEqual([]);
      }
      disposeInferenceModel(model);
    });

    it('stops at the length limit when </s> never wins', () => {
      const model = tinyModel(
        { sourceVocabSize: 16, targetVocabSize: 12, embeddingDim: 6, hiddenDim: 6, attention },
        11,
        0.5,
        { [special.end]: -50 },
      );
      const greedy = search(model, encode(model, SENTENCES), 1, [1, 4, 7]);
      expect(greedy.map(([hyp]) => [hyp.ended, hyp.ids.length])).toEqual([
        [false, 1],
        [false, 4],
        [false, 7],
      ]);
      for (const beam of [1, 3]) {
        const found = search(model, encode(model, SENTENCES), beam, [6, 3, 6]);
        expect(found.map((list) => list.map((hyp) => [hyp.ended, hyp.ids.length]))).toEqual(
          [6, 3, 6].map((n) => Array(beam).fill([false, n])),
        );
      }
      disposeInferenceModel(model);
    });
  });
});

describe('maxOutputLength', () => {
  it('is twice the source length plus 10, capped by the target maximum', () => {
    expect(maxOutputLength(3, 50)).toBe(16);
    expect(maxOutputLength(30, 50)).toBe(50);
  });
});
