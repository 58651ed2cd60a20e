// Greedy and beam search against exhaustive search on tiny random models.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, type ModelConfig } from '../../src/core/artifact.js';
import { beamSearch, greedyDecode, maxOutputLength, normalizedScore, type Hypothesis } from '../../src/core/decode.js';
import { createInferenceModel, decodeStep, disposeInferenceModel, encode, type InferenceModel, type Memory } from '../../src/core/model/seq2seq.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { initNodeBackend } from '../../train/backend.js';
import { randomSeq2Seq } from '../helpers/random-model.js';

const special = SPECIAL_TOKENS;
const SENTENCES = [[5, 9, 4, 12], [7, 6], [11, 6, 8, 10, 13, 5, 4]];

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** An inference model from seeded random weights; `outputBias` overrides entries of the output layer's bias. */
function tinyModel(config: ModelConfig, seed: number, scale: number, outputBias: Record<number, number> = {}): InferenceModel {
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

/** Every output the searches may produce (ends in </s>, or reaches maxLength), scored on the host. */
function allHypotheses(model: InferenceModel, memory: Memory, maxLength: number): Hypothesis[] {
  const all: Hypothesis[] = [];
  const content = Array.from({ length: model.targetVocabSize }, (_, id) => id).filter((id) => id > special.end);
  const expand = (prefix: Hypothesis, token: number, h: tf.Tensor2D, c: tf.Tensor2D) => {
    const step = decodeStep(model, memory, tf.tensor1d([token], 'int32'), h, c);
    const logProbs = step.logProbs.dataSync();
    all.push({ ids: prefix.ids, logProb: prefix.logProb + logProbs[special.end], ended: true });
    for (const id of content) {
      const next = { ids: [...prefix.ids, id], logProb: prefix.logProb + logProbs[id], ended: false };
      if (next.ids.length === maxLength) all.push(next);
      else expand(next, id, step.h, step.c);
    }
  };
  tf.tidy(() => expand({ ids: [], logProb: 0, ended: false }, special.start, memory.h, memory.c));
  return all;
}

describe.each([true, false])('search, attention %s', (attention) => {
  describe('on a 3-word target vocabulary', () => {
    const maxLength = 4;
    let model: InferenceModel;
    beforeAll(() => {
      // A large bias on </s> makes short and long outputs compete, so length normalisation matters.
      model = tinyModel({ sourceVocabSize: 16, targetVocabSize: 7, embeddingDim: 5, hiddenDim: 4, attention }, 3, 1.5, { [special.end]: 0.8 });
    });
    afterAll(() => disposeInferenceModel(model));

    it.each([0, 0.6, 1])('with a beam wider than the search space equals exhaustive search (alpha %s)', (alpha) => {
      const key = (hyp: Hypothesis) => `${hyp.ids.join(' ')}${hyp.ended ? ' </s>' : ''}`;
      for (const sentence of SENTENCES) {
        const memory = encode(model, [sentence]);
        const all = allHypotheses(model, memory, maxLength);
        expect(all).toHaveLength(1 + 3 + 9 + 27 + 81); // </s> after 0..3 words, or 4 words
        const found = beamSearch(model, memory, { beam: 200, maxLength, special, alpha });
        expect(found.map(key).sort()).toEqual(all.map(key).sort()); // every hypothesis, each with its own states
        const logProbs = new Map(all.map((hyp) => [key(hyp), hyp.logProb]));
        for (const hyp of found) expect(hyp.logProb).toBeCloseTo(logProbs.get(key(hyp))!, 4);
        const best = all.reduce((a, b) => (normalizedScore(b, alpha) > normalizedScore(a, alpha) ? b : a));
        expect(key(found[0])).toBe(key(best));
        tf.dispose(memory);
      }
    });
  });

  describe('on a 26-word target vocabulary', () => {
    let model: InferenceModel;
    beforeAll(() => {
      model = tinyModel({ sourceVocabSize: 16, targetVocabSize: 30, embeddingDim: 8, hiddenDim: 8, attention }, 5, 1.2, { [special.end]: 1.5 });
    });
    afterAll(() => disposeInferenceModel(model));

    it('decodes a batch greedily exactly as each sentence alone', () => {
      const maxLengths = SENTENCES.map((s) => maxOutputLength(s.length, 12));
      const memory = encode(model, SENTENCES);
      const batch = greedyDecode(model, memory, maxLengths, special);
      SENTENCES.forEach((sentence, b) => {
        const alone = encode(model, [sentence]);
        const [hyp] = greedyDecode(model, alone, [maxLengths[b]], special);
        expect(batch[b].ids).toEqual(hyp.ids);
        expect(batch[b].logProb).toBeCloseTo(hyp.logProb, 4);
        tf.dispose(alone);
      });
      expect(new Set(batch.map((hyp) => hyp.ids.length)).size).toBeGreaterThan(1); // rows stopped at different steps
      tf.dispose(memory);
    });

    it('with beam 1 equals greedy decoding', () => {
      for (const sentence of SENTENCES) {
        const memory = encode(model, [sentence]);
        const [greedy] = greedyDecode(model, memory, [12], special);
        expect(beamSearch(model, memory, { beam: 1, maxLength: 12, special })).toEqual([{ ...greedy, logProb: expect.closeTo(greedy.logProb, 4) }]);
        tf.dispose(memory);
      }
    });

    it('scores outputs with the model log-probabilities', () => {
      const memory = encode(model, [SENTENCES[0]]);
      const [found] = beamSearch(model, memory, { beam: 4, maxLength: 12, special });
      const targets = [...found.ids, ...(found.ended ? [special.end] : [])];
      const logProb = tf.tidy(() => {
        let [token, h, c, total] = [special.start, memory.h, memory.c, 0];
        for (const target of targets) {
          const step = decodeStep(model, memory, tf.tensor1d([token], 'int32'), h, c);
          total += step.logProbs.dataSync()[target];
          [token, h, c] = [target, step.h, step.c];
        }
        return total;
      });
      expect(found.ended).toBe(true);
      expect(found.logProb).toBeCloseTo(logProb, 4);
      tf.dispose(memory);
    });

    it('leaves no tensors behind', () => {
      const memory = encode(model, SENTENCES);
      const before = tf.memory().numTensors;
      greedyDecode(model, memory, [5, 9, 20], special);
      const one = encode(model, [SENTENCES[0]]);
      beamSearch(model, one, { beam: 5, maxLength: 9, special });
      tf.dispose(one);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(memory);
    });
  });

  describe('on a model that prefers special tokens', () => {
    it('never emits <unk>, <pad> or <s>', () => {
      const bias = { [special.pad]: 20, [special.unk]: 30, [special.start]: 20, [special.end]: -5 };
      const model = tinyModel({ sourceVocabSize: 16, targetVocabSize: 12, embeddingDim: 6, hiddenDim: 6, attention }, 9, 0.5, bias);
      tf.tidy(() => {
        const outputs = [
          ...greedyDecode(model, encode(model, SENTENCES), [10, 10, 10], special),
          ...SENTENCES.flatMap((s) => beamSearch(model, encode(model, [s]), { beam: 4, maxLength: 10, special })),
        ];
        for (const hyp of outputs) {
          expect(hyp.ids.length).toBeGreaterThan(0);
          expect(hyp.ids.filter((id) => id <= special.end)).toEqual([]);
        }
      });
      disposeInferenceModel(model);
    });

    it('stops at the length limit when </s> never wins', () => {
      const model = tinyModel({ sourceVocabSize: 16, targetVocabSize: 12, embeddingDim: 6, hiddenDim: 6, attention }, 11, 0.5, { [special.end]: -50 });
      tf.tidy(() => {
        const greedy = greedyDecode(model, encode(model, SENTENCES), [1, 4, 7], special);
        expect(greedy.map((hyp) => [hyp.ended, hyp.ids.length])).toEqual([[false, 1], [false, 4], [false, 7]]);
        for (const beam of [1, 3]) {
          const found = beamSearch(model, encode(model, [SENTENCES[0]]), { beam, maxLength: 6, special });
          expect(found.map((hyp) => [hyp.ended, hyp.ids.length])).toEqual(Array(beam).fill([false, 6]));
        }
      });
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
