// Reranking the beam's outputs with the other direction's model: the teacher-forced score of src/core/decode.ts,
// Translator.meanLogProbs, the `rerank` and `lengthPenalty` options, and the document layer's `reverseWeight`.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_TOKEN_TEXT, SPECIAL_TOKENS } from '../../src/core/artifact.js';
import { beamSearch } from '../../src/core/decode.js';
import { scoreOutputs } from '../../src/core/forced.js';
import { translateDocuments } from '../../src/core/document/translate-documents.js';
import {
  createInferenceModel,
  disposeInferenceModel,
  decodeStep,
  type InferenceModel,
  type Memory,
  type Rows,
} from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import type { Translator } from '../../src/core/translator.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { InvalidOptionsError, type Alternative } from '../../src/core/translation.js';
import { initNodeBackend } from '../../train/backend.js';
import { randomArtifact, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const special = SPECIAL_TOKENS;
const config = SMALL_CONFIG;
let forward: RandomArtifact;
let enJa: Translator;
let jaEn: Translator;
let texts: string[];

beforeAll(async () => {
  await initNodeBackend('wasm');
  forward = await randomArtifact({ config, seed: 4, scale: 1, sourceMaxLength: 8, targetMaxLength: 15 });
  const backward = await randomArtifact({
    config: { ...config, sourceVocabSize: 50, targetVocabSize: 40 },
    seed: 9,
    scale: 1,
    direction: 'ja-en',
  });
  enJa = await loadTranslator(forward.manifest, forward.files);
  jaEn = await loadTranslator(backward.manifest, backward.files);
  const w = forward.sourceWords;
  texts = [w.slice(0, 5).join(' '), w.slice(3, 6).join(' '), w.slice(7, 14).join(' ')];
}, 60_000);

afterAll(() => {
  enJa.dispose();
  jaEn.dispose();
});

const ranked = (alt: Alternative, weight: number) => alt.normalizedScore + weight * alt.reverseScore!;

describe('scoreOutputs', () => {
  it("gives the search's own log-prob for the outputs it found, batched across sentences as alone", () => {
    const model = createInferenceModel(seq2seqWeights(forward.seq2seq.encoder, forward.seq2seq.decoder, true));
    const sentences = [
      [5, 9, 4, 12],
      [7, 6],
      [8, 8, 8],
    ];
    const memory = encode(model, sentences);
    const { outputs } = beamSearch(model, memory, model.output, { beam: 3, maxLengths: [12, 12, 12], special });
    const found = outputs.flatMap((list, sentence) => list.map((hyp) => ({ sentence, hyp })));
    const before = tf.memory().numTensors;
    const scores = scoreOutputs(
      model,
      memory,
      model.output,
      found.map(({ sentence, hyp }) => ({ sentence, ids: hyp.ids })),
      special,
    );
    expect(tf.memory().numTensors).toBe(before);
    found.forEach(({ sentence, hyp }, i) => {
      // Alone: the search's log-prob, plus </s> where the length limit ended it first.
      const alone = encode(model, [sentences[sentence]!]);
      const end = hyp.ended ? 0 : Math.log(lastStepProb(model, alone, hyp.ids, special.end));
      expect(scores[i]).toBeCloseTo(hyp.logProb + end, 4);
    });
    expect(scoreOutputs(model, memory, model.output, [], special)).toEqual([]);
    disposeInferenceModel(model);
  });
});

/** P(token | ids) after feeding <s> and `ids`, one row on its own, step by step. */
function lastStepProb(model: InferenceModel, memory: Memory, ids: number[], token: number): number {
  const context = { memory, output: model.output, sentences: [0] };
  let rows: Rows = { tokens: [special.start], h: memory.h, c: memory.c };
  for (const id of ids) rows = { ...decodeStep(model, context, 1, rows), tokens: [id] };
  return decodeStep(model, context, 1, rows).probs[token]!;
}

describe('Translator.meanLogProbs', () => {
  it('is the log-prob of the tokens and </s> per token, -Infinity for an empty source', () => {
    const [t] = enJa.translate([texts[0]!], { beam: 1 }).translations;
    const tokens = t!.tokens.slice(0, 3);
    const [mean, empty] = enJa.meanLogProbs([texts[0]!, ''], [tokens, tokens]);
    const model = createInferenceModel(seq2seqWeights(forward.seq2seq.encoder, forward.seq2seq.decoder, true));
    const ids = (words: string[], vocab: string[]) => words.map((w) => vocab.indexOf(w) + SPECIAL_TOKEN_TEXT.length);
    const memory = encode(model, [ids(texts[0]!.split(' '), forward.sourceWords)]);
    const [total] = scoreOutputs(
      model,
      memory,
      model.output,
      [{ sentence: 0, ids: ids(tokens, forward.targetWords) }],
      special,
    );
    disposeInferenceModel(model);
    expect(mean).toBeCloseTo(total! / (tokens.length + 1), 5);
    expect(empty).toBe(-Infinity);
  });
});

describe('rerank option', () => {
  it('with weight 0 ranks as the beam does, and scores every output with the reverse model', () => {
    const plain = enJa.translate(texts, { beam: 4, nbest: 4 }).translations;
    const reranked = enJa.translate(texts, { beam: 4, nbest: 4, rerank: { reverse: jaEn, weight: 0 } }).translations;
    reranked.forEach((t, i) => {
      expect(t.nbest!.map((a) => a.translation)).toEqual(plain[i]!.nbest!.map((a) => a.translation));
      const sourceTokens = jaEn.targetTokens(texts[i]!);
      expect(t.nbest!.map((a) => a.reverseScore)).toEqual(
        jaEn
          .meanLogProbs(
            t.nbest!.map((a) => a.translation),
            t.nbest!.map(() => sourceTokens),
          )
          .map((s) => expect.closeTo(s, 5)),
      );
    });
  });

  it('ranks the outputs by normalizedScore + weight * reverseScore and keeps nbest of them', () => {
    const all = enJa.translate(texts, { beam: 4, nbest: 4, rerank: { reverse: jaEn, weight: 3 } }).translations;
    const two = enJa.translate(texts, { beam: 4, nbest: 2, rerank: { reverse: jaEn, weight: 3 } }).translations;
    const one = enJa.translate(texts, { beam: 4, rerank: { reverse: jaEn, weight: 3 } }).translations;
    all.forEach((t, i) => {
      const scores = t.nbest!.map((a) => ranked(a, 3));
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(two[i]!.nbest).toEqual(t.nbest!.slice(0, 2));
      expect(one[i]!.translation).toBe(t.nbest![0]!.translation);
    });
  });

  it('lengthPenalty changes what normalizedScore divides by', () => {
    const [t] = enJa.translate([texts[2]!], { beam: 4, nbest: 4, lengthPenalty: 0 }).translations;
    for (const alt of t!.nbest!) expect(alt.normalizedScore).toBe(alt.score);
    const scores = t!.nbest!.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a)); // alpha 0: plain total log-prob
  });

  it('refuses a model of the wrong direction, a negative weight and a length penalty out of range', () => {
    expect(() => enJa.translate(texts, { beam: 4, rerank: { reverse: enJa, weight: 1 } })).toThrow(
      new InvalidOptionsError('reranking en-ja needs a ja-en model, got en-ja'),
    );
    expect(() => enJa.translate(texts, { beam: 4, rerank: { reverse: jaEn, weight: -1 } })).toThrow(
      InvalidOptionsError,
    );
    expect(() => enJa.translate(texts, { beam: 4, lengthPenalty: 3 })).toThrow(
      'lengthPenalty must be a number from 0 to 2, got 3',
    );
  });
});

describe('translateDocuments reverseWeight', () => {
  const translatorFor = async (direction: string) => (direction === 'en-ja' ? enJa : jaEn);
  const reverseScores = (doc: { nbest?: Alternative[] }) => doc.nbest?.map((a) => a.reverseScore);

  it('reranks with the reverse direction when it is served and the search is a beam', async () => {
    const request = [{ text: texts[0]!, direction: 'en-ja' }];
    const {
      documents: [reranked],
    } = await translateDocuments(request, ['en-ja', 'ja-en'], translatorFor, { beam: 4, nbest: 2, reverseWeight: 1 });
    expect(reverseScores(reranked!)).toEqual([expect.any(Number), expect.any(Number)]);
    const unserved = await translateDocuments(request, ['en-ja'], translatorFor, {
      beam: 4,
      nbest: 2,
      reverseWeight: 1,
    });
    const greedy = await translateDocuments(request, ['en-ja', 'ja-en'], translatorFor, {
      beam: 1,
      nbest: 1,
      reverseWeight: 1,
    });
    expect(reverseScores(unserved.documents[0]!)).toEqual([undefined, undefined]);
    expect(reverseScores(greedy.documents[0]!)).toEqual([undefined]);
  });
});
