// Alignments, n-best lists and unknown-word replacement: the pure helpers of src/core/align.ts, the attention rows the
// search keeps (src/core/decode.ts), and Translator.translate's nbest / alignment / replaceUnknown options.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignmentOf, mostAttended, replaceUnknown } from '../../src/core/align.js';
import { SPECIAL_TOKENS, type Manifest } from '../../src/core/artifact.js';
import { beamSearch, normalizedScore } from '../../src/core/decode.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
  type Memory,
  type Rows,
} from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import { Translator } from '../../src/core/translator.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { Vocab } from '../../src/core/vocab.js';
import { initNodeBackend } from '../../train/backend.js';
import { randomArtifact, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const special = SPECIAL_TOKENS;
const config = SMALL_CONFIG;
let artifact: RandomArtifact;
let text: string;

beforeAll(async () => {
  await initNodeBackend('wasm');
  artifact = await randomArtifact({ config, seed: 4, scale: 1, sourceMaxLength: 8, targetMaxLength: 15 });
  text = artifact.sourceWords.slice(0, 5).join(' ');
}, 60_000);

const sum = (row: ArrayLike<number>) => Array.from(row).reduce((a, b) => a + b, 0);

describe('align helpers', () => {
  it('mostAttended picks the largest weight, the first on ties', () => {
    expect(mostAttended([0.1, 0.7, 0.2])).toBe(1);
    expect(mostAttended([0.4, 0.4, 0.2])).toBe(0);
  });

  it('replaceUnknown swaps each <unk> for its most-attended source token and leaves the rest', () => {
    const rows = [
      [0.9, 0.1],
      [0.2, 0.8],
      [0.5, 0.5],
    ];
    expect(
      replaceUnknown([7, special.unk, special.unk], ['A', '<unk>', '<unk>'], rows, ['tokyo', 'osaka'], special.unk),
    ).toEqual(['A', 'osaka', 'tokyo']);
    expect(replaceUnknown([special.unk], ['<unk>'], [], ['tokyo'], special.unk)).toEqual(['<unk>']); // no attention: kept
  });

  it('alignmentOf cuts rows to the source tokens (batch padding) and rounds them', () => {
    const alignment = alignmentOf(['a', 'b'], ['X'], [Float32Array.from([0.123456, 0.876544, 0])]);
    expect(alignment).toEqual({ source: ['a', 'b'], target: ['X'], weights: [[0.1235, 0.8765]] });
  });
});

/** The attention rows behind `ids` for sentence `sentence` of `memory`, decoding it teacher-forced, one row alone. */
function forcedRows(model: InferenceModel, memory: Memory, sentence: number, ids: number[]): Float32Array[] {
  const H = model.hiddenDim;
  let rows: Rows = {
    tokens: [special.start],
    h: memory.h.slice(sentence * H, (sentence + 1) * H),
    c: memory.c.slice(sentence * H, (sentence + 1) * H),
  };
  return ids.map((id) => {
    const step = decodeStep(model, { memory, output: model.output, sentences: [sentence] }, 1, rows);
    rows = { tokens: [id], h: step.h, c: step.c };
    return step.weights!;
  });
}

describe('the attention rows a search keeps', () => {
  it('are one row per output token over the source, summing to 1, as a teacher-forced decoding computes them', async () => {
    const { seq2seq } = artifact;
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    const sentences = [
      [5, 9, 4, 12],
      [7, 6],
    ];
    const memory = encode(model, sentences);
    const before = tf.memory().numTensors;
    for (const beam of [1, 3]) {
      const { outputs } = beamSearch(model, memory, model.output, {
        beam,
        maxLengths: [6, 6],
        special,
        keepRows: [true, true],
      });
      expect(tf.memory().numTensors).toBe(before);
      outputs.forEach((hyps, b) => {
        for (const hyp of hyps) {
          expect(hyp.rows).toHaveLength(hyp.ids.length);
          hyp.rows!.forEach((row) => {
            expect(row).toHaveLength(4); // the padded source length
            expect(sum(row.subarray(0, sentences[b].length))).toBeCloseTo(1, 5);
            expect(Array.from(row.subarray(sentences[b].length))).toEqual(new Array(4 - sentences[b].length).fill(0));
          });
          expect(hyp.rows).toEqual(forcedRows(model, memory, b, hyp.ids)); // the same states: the same rows, exactly
        }
      });
    }
    const plain = beamSearch(model, memory, model.output, {
      beam: 3,
      maxLengths: [6, 6],
      special,
      keepRows: [false, true],
    }).outputs;
    expect(plain[0].every((hyp) => hyp.rows === undefined) && plain[1].every((hyp) => hyp.rows !== undefined)).toBe(
      true,
    );
    disposeInferenceModel(model);
  });
});

describe('Translator.translate options', () => {
  it('adds nothing by default', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    const [t] = translator.translate([text], { beam: 3 }).translations;
    expect(Object.keys(t).sort()).toEqual(['score', 'tokens', 'translation', 'unknownWords']);
    translator.dispose();
  });

  it('returns the n best outputs, best first by normalized score, the first being the translation', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    const [t] = translator.translate([text], { beam: 5, nbest: 4 }).translations;
    expect(t.nbest).toHaveLength(4);
    expect(t.nbest?.[0]).toMatchObject({ translation: t.translation, tokens: t.tokens, score: t.score });
    const ranks = t.nbest?.map((alt) => alt.normalizedScore) ?? [];
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(t.nbest?.map((alt) => alt.tokens.join(' '))).size).toBe(4);
    expect(translator.translate([text], { beam: 1, nbest: 1 }).translations[0].nbest).toHaveLength(1);
    expect(() => translator.translate([text], { beam: 2, nbest: 3 })).toThrow(
      'nbest must be an integer from 1 to the beam width 2',
    );
    translator.dispose();
  });

  it('returns the alignment matrix: a row per target token, a column per source token, rows summing to 1', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    for (const beam of [1, 4]) {
      const [t, short] = translator.translate([text, artifact.sourceWords.slice(3, 5).join(' ')], {
        beam,
        alignment: true,
      }).translations;
      expect(t.alignment?.source).toEqual(text.split(' '));
      expect(t.alignment?.target).toEqual(t.tokens);
      expect(t.alignment?.weights).toHaveLength(t.tokens.length);
      for (const row of t.alignment?.weights ?? []) expect(sum(row)).toBeCloseTo(1, 3);
      for (const row of short.alignment?.weights ?? []) expect(row).toHaveLength(2); // padding cut off
    }
    translator.dispose();
  });

  it('keeps its tensor count steady with every option', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    translator.translate([text], { beam: 1 });
    const loaded = tf.memory().numTensors;
    for (const beam of [1, 3])
      translator.translate([text, text], { beam, nbest: beam, alignment: true, replaceUnknown: true });
    expect(tf.memory().numTensors).toBe(loaded);
    translator.dispose();
  });
});

describe('beam search n-best', () => {
  it('returns distinct finished hypotheses ranked by normalized score', () => {
    const { seq2seq } = artifact;
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    tf.tidy(() => {
      const [found] = beamSearch(model, encode(model, [[5, 9, 4]]), model.output, {
        beam: 6,
        maxLengths: [8],
        special,
      }).outputs;
      expect(found.length).toBeGreaterThanOrEqual(6);
      const scores = found.map((hyp) => normalizedScore(hyp));
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });
    disposeInferenceModel(model);
  });
});

describe('unknown-word replacement', () => {
  let translator: Translator;
  beforeAll(() => {
    // The same random model with a large output bias on <unk>: it "wants" to say <unk> everywhere.
    const { seq2seq, manifest, files } = artifact;
    const [kernel, bias] = seq2seq.layers.outputProjection.getWeights();
    const values = bias.arraySync() as number[];
    values[special.unk] = 30;
    seq2seq.layers.outputProjection.setWeights([kernel, tf.tensor1d(values)]);
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    const side = (s: Manifest['source']) => ({
      vocab: Vocab.parse(new TextDecoder().decode(files[s.vocab])),
      tokenizer: getTokenizer(s.tokenizer),
    });
    translator = new Translator(manifest, model, side(manifest.source), side(manifest.target));
  });
  afterAll(() => translator.dispose());

  it('replaces each emitted <unk> by a source word it could not read, never by one it read (a particle is never pasted)', () => {
    const withName = `${text} zebra`;
    for (const beam of [1, 3]) {
      const [t] = translator.translate([withName], { beam, replaceUnknown: true, alignment: true }).translations;
      expect(t.tokens.length).toBeGreaterThan(0);
      expect(t.tokens.every((token) => token === 'zebra')).toBe(true); // the only word outside the vocabulary
    }
  });

  it('gives two <unk>s two different unknown words, each the one it attends to most among those not yet taken', () => {
    const rows = [
      [0.1, 0.6, 0.3],
      [0.1, 0.7, 0.2],
      [0.5, 0.2, 0.3],
    ];
    expect(
      replaceUnknown([1, 1, 1], ['<unk>', '<unk>', '<unk>'], rows, ['the', 'pizza', 'salads'], 1, [false, true, true]),
    ).toEqual(['pizza', 'salads', 'salads']);
    expect(
      replaceUnknown(
        [1, 5],
        ['<unk>', 'x'],
        [
          [0.9, 0.1],
          [1, 0],
        ],
        ['the', 'zebra'],
        1,
        [false, true],
      ),
    ).toEqual(['zebra', 'x']);
    expect(replaceUnknown([1], ['<unk>'], [[0.9, 0.1]], ['the', 'zebra'], 1)).toEqual(['the']); // no list: the most attended
  });

  it('never emits <unk> in a sentence the model reads whole, even with replacement on: there is nothing to copy', () => {
    for (const beam of [1, 3]) {
      const [t] = translator.translate([text], { beam, replaceUnknown: true }).translations;
      expect(t.tokens.filter((token) => token === '<unk>' || artifact.sourceWords.includes(token))).toEqual([]);
    }
  });

  it('never emits <unk> when replacement is off (the default)', () => {
    for (const beam of [1, 3]) {
      const [t] = translator.translate([text], { beam }).translations;
      expect(t.tokens.filter((token) => token === '<unk>' || artifact.sourceWords.includes(token))).toEqual([]);
    }
  });
});
