// Translator: loading an artifact from bytes, translating text, owning its tensors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { beamSearch, maxOutputLength } from '../../src/core/decode.js';
import { readWeights } from '../../src/core/model/load.js';
import { createInferenceModel, disposeInferenceModel } from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { ArtifactError } from '../../src/core/artifact.js';
import { verifyFiles } from '../../src/core/open-artifact.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { InvalidOptionsError, TranslateInputError } from '../../src/core/translation.js';
import { REGISTER_BEAM, REGISTER_TAGS, withRegisterTag } from '../../src/core/register.js';
import { initNodeBackend } from '../../train/backend.js';
import { joinPieces } from '../../src/core/tokenize/subwords.js';
import { randomArtifact, SUBWORD_MERGES, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const config = SMALL_CONFIG;
let artifact: RandomArtifact;
let texts: string[];

beforeAll(async () => {
  await initNodeBackend('wasm');
  artifact = await randomArtifact({ config, seed: 4, scale: 1, sourceMaxLength: 8, targetMaxLength: 15 });
  const w = artifact.sourceWords;
  texts = [`${w[0]} ${w[5]} ${w[9]}`, `${w[3]} ${w[1]}`, `${w[7]} ${w[2]} ${w[20]} ${w[11]} ${w[30]} ${w[4]}`];
});

describe('loadTranslator', () => {
  it('translates like the model it was saved from', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    const { translations } = translator.translate(texts, { beam: 1 });
    const { seq2seq, manifest } = artifact;
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    const ids = texts.map((t) => t.split(' ').map((token) => 4 + artifact.sourceWords.indexOf(token)));
    const maxLengths = ids.map((s) => maxOutputLength(s.length, manifest.target.maxLength));
    const expected = beamSearch(model, encode(model, ids), model.output, {
      beam: 1,
      maxLengths,
      special: manifest.specialTokens,
    }).outputs.map(([hyp]) => hyp);
    expect(translations.map((t) => t.tokens)).toEqual(
      expected.map((hyp) => hyp.ids.map((id) => artifact.targetWords[id - 4])),
    );
    translations.forEach((t, i) => expect(t.score).toBeCloseTo(expected[i].logProb, 4));
    disposeInferenceModel(model);
    translator.dispose();
  });

  it.each(['float16', 'uint8'] as const)('reads %s-quantized weights', async (quantization) => {
    const quantized = await randomArtifact({ config, seed: 4, scale: 1, quantization });
    const translator = await loadTranslator(quantized.manifest, quantized.files);
    const { translations } = translator.translate(texts, { beam: 3 });
    expect(translations.every((t) => t.tokens.length > 0 && Number.isFinite(t.score))).toBe(true);
    translator.dispose();
  });

  it('rejects an artifact with a missing file', async () => {
    const { [artifact.manifest.target.vocab]: _, ...files } = artifact.files;
    await expect(loadTranslator(artifact.manifest, files)).rejects.toThrow(ArtifactError);
  });
});

describe('registers (a model trained with register tags)', () => {
  it.each(['first', 'around'] as const)(
    'reads the tag of the asked register %s the source, and gives alignments over the source words alone',
    async (placement) => {
      const tagged = await randomArtifact({ config, seed: 4, scale: 1, registers: true });
      const manifest = { ...tagged.manifest, source: { ...tagged.manifest.source, registerTag: placement } };
      const translator = await loadTranslator(manifest, tagged.files);
      expect(translator.supportsRegister).toBe(true);
      const text = tagged.sourceWords.slice(0, 3).join(' ');
      const polite = translator.translate([text], { beam: 1, register: 'polite', alignment: true }).translations[0]!;
      // Searched REGISTER_BEAM wide (and again REGISTER_WIDE_BEAM wide); no output of random words is polite, so the
      // first search's best comes first.
      const model = createInferenceModel(seq2seqWeights(tagged.seq2seq.encoder, tagged.seq2seq.decoder, true));
      const id = (token: string) => 4 + tagged.sourceWords.indexOf(token);
      const ids = withRegisterTag(text.split(' ').map(id), id(REGISTER_TAGS.polite), placement);
      const [[expected]] = beamSearch(model, encode(model, [ids]), model.output, {
        beam: REGISTER_BEAM,
        maxLengths: [maxOutputLength(3, tagged.manifest.target.maxLength)],
        special: tagged.manifest.specialTokens,
      }).outputs;
      expect(polite.tokens).toEqual(expected!.ids.map((i) => tagged.targetWords[i - 4]));
      expect(polite.alignment!.source).toEqual(text.split(' '));
      expect(polite.alignment!.weights.every((row) => row.length === 3)).toBe(true);
      disposeInferenceModel(model);
      translator.dispose();
    },
  );

  it('searches at least REGISTER_BEAM wide for a register, a request of any beam', async () => {
    const tagged = await randomArtifact({ config, seed: 4, scale: 1, registers: true });
    const translator = await loadTranslator(tagged.manifest, tagged.files);
    const texts = [tagged.sourceWords.slice(0, 4).join(' '), tagged.sourceWords.slice(5, 7).join(' ')];
    const asked = (beam: number) => translator.translate(texts, { beam, register: 'plain', nbest: 1 }).translations;
    expect(asked(1)).toEqual(asked(REGISTER_BEAM));
    translator.dispose();
  });

  it('searches a source again REGISTER_WIDE_BEAM wide when none of its outputs is in the asked register', async () => {
    const tagged = await randomArtifact({ config, seed: 4, scale: 1, registers: true });
    const translator = await loadTranslator(tagged.manifest, tagged.files);
    const texts = [tagged.sourceWords.slice(0, 4).join(' ')];
    const steps = (register: 'polite' | 'plain') => translator.translate(texts, { beam: 1, register }).steps;
    // Random words are plain: asked plain, one search; asked polite, none is, so a second, wider one.
    expect(steps('polite')).toBeGreaterThan(steps('plain'));
    translator.dispose();
  });

  it('a model without them cannot be asked for a register', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    expect(translator.supportsRegister).toBe(false);
    expect(() => translator.translate(texts, { beam: 1, register: 'plain' })).toThrow(InvalidOptionsError);
    translator.dispose();
  });
});

describe('readWeights', () => {
  /** The same files through the stock path: tf.loadLayersModel, decodeWeights, setWeights. */
  const stockLoad = (files: Record<string, Uint8Array>, prefix: string) =>
    tf.loadLayersModel({
      load: async () => {
        const json = JSON.parse(new TextDecoder().decode(files[`${prefix}/model.json`]));
        const weightSpecs = json.weightsManifest.flatMap((g: tf.io.WeightsManifestConfig[number]) => g.weights);
        return {
          modelTopology: json.modelTopology,
          weightSpecs,
          weightData: files[`${prefix}/weights.bin`].slice().buffer,
        };
      },
    });

  it.each(['float32', 'float16', 'uint8'] as const)(
    'reads %s weights by layer, exactly as tf.loadLayersModel decodes them',
    async (quantization) => {
      const { files } = await randomArtifact({ config, seed: 5, scale: 1, quantization });
      for (const prefix of ['encoder', 'decoder']) {
        const stock = await stockLoad(files, prefix);
        const ours = [...readWeights(`${prefix}/model.json`, files).values()].flat();
        expect(ours.map((w) => ({ name: w.name, shape: w.shape, values: Array.from(w.values()) }))).toEqual(
          stock.weights.map((w) => ({ name: w.originalName, shape: w.shape, values: Array.from(w.read().dataSync()) })),
        );
        stock.dispose();
      }
    },
  );

  it('rejects weight files that are short or long, and an artifact whose weights do not fit its manifest', async () => {
    const quantized = await randomArtifact({ config, seed: 5, quantization: 'float16' });
    const { files, manifest } = quantized;
    const bin = files['encoder/weights.bin'];
    const json = new TextDecoder().decode(files['encoder/model.json']);
    const read = (changes: Record<string, Uint8Array>) => () =>
      readWeights('encoder/model.json', { ...files, ...changes });
    expect(read({ 'encoder/weights.bin': bin.subarray(0, bin.length - 2) })).toThrow(
      /end inside "attention_key\/kernel"/,
    );
    expect(read({ 'encoder/weights.bin': new Uint8Array([...bin, 0, 0]) })).toThrow(/2 bytes more than the weights/);
    expect(read({ 'encoder/model.json': new TextEncoder().encode('{"modelTopology": {}}') })).toThrow(
      /no modelTopology or weightsManifest/,
    );
    const before = tf.memory().numTensors;
    const renamed = new TextEncoder().encode(json.replaceAll('"attention_key/', '"attention_keys/'));
    await expect(loadTranslator(manifest, { ...files, 'encoder/model.json': renamed })).rejects.toThrow(
      /encoder's weights \(encoder\/model.json\) have no layer "attention_key"/,
    );
    const wider = { ...manifest, model: { ...manifest.model, hiddenDim: 10 } };
    await expect(loadTranslator(wider, files)).rejects.toThrow(
      /weight "encoder_lstm\/kernel" has shape \[8,32\]; the manifest's model needs \[8,40\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Translator.translate', () => {
  it('returns text, tokens, score and unknown words for each input', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    expect(translator.id).toBe(`en-ja@${artifact.manifest.version}`);
    const { translations, timings } = translator.translate([`${texts[0]} zebra zebra quokka`, ''], { beam: 1 });
    expect(translations[0].unknownWords).toEqual(['zebra', 'quokka']);
    expect(translations[0].translation).toBe(translations[0].tokens.join('')); // japanese-spaced: no spaces
    expect(translations[0].tokens).not.toContain('<unk>');
    expect(translations[1]).toEqual({ translation: '', tokens: [], score: 0, unknownWords: [] });
    expect(Object.values(timings).every((ms) => ms >= 0)).toBe(true);
    translator.dispose();
  });

  it('decodes a greedy batch as each text alone, and beam search within the length budget', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    const batch = translator.translate(texts, { beam: 1 }).translations;
    for (const [i, text] of texts.entries()) {
      expect(translator.translate([text], { beam: 1 }).translations[0].tokens).toEqual(batch[i].tokens);
    }
    const beam5 = translator.translate(texts, { beam: 5 }).translations;
    expect(beam5.map((t, i) => t.tokens.length <= maxOutputLength(texts[i].split(' ').length, 15))).toEqual([
      true,
      true,
      true,
    ]);
    translator.dispose();
  });

  it('refuses texts longer than source.maxLength and beams outside 1..10', async () => {
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    const long = artifact.sourceWords.slice(0, 9).join(' ');
    expect(() => translator.translate([texts[0], long], { beam: 1 })).toThrow(
      'texts[1]: the text has 9 tokens, more than the 8 ',
    );
    expect(() => translator.translate([long], { beam: 1 })).toThrow(/^the text has 9 tokens/);
    for (const beam of [0, 11, 2.5])
      expect(() => translator.translate(texts, { beam })).toThrow(/beam must be an integer from 1 to 10/);
    translator.dispose();
  });

  it('keeps its tensor count steady across translations and frees everything on dispose', async () => {
    const start = tf.memory().numTensors;
    const translator = await loadTranslator(artifact.manifest, artifact.files);
    translator.translate(texts, { beam: 1 });
    const loaded = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      translator.translate(texts, { beam: 1 + 2 * i });
      expect(tf.memory().numTensors).toBe(loaded);
    }
    expect(() => translator.translate([texts[0], 'x '.repeat(20)], { beam: 1 })).toThrow(TranslateInputError);
    expect(tf.memory().numTensors).toBe(loaded);
    translator.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('an input-feeding model', () => {
  let feeding: RandomArtifact;
  beforeAll(async () => {
    feeding = await randomArtifact({
      config: { ...config, inputFeeding: true },
      seed: 6,
      scale: 1,
      sourceMaxLength: 8,
      targetMaxLength: 15,
    });
  });

  it('decodes greedily what the exported decoder gives stepped with its own attentional vectors', async () => {
    const translator = await loadTranslator(feeding.manifest, feeding.files);
    const { seq2seq, manifest, sourceWords, targetWords } = feeding;
    const { translations } = translator.translate(texts, { beam: 1 });
    texts.forEach((text, i) => {
      const ids = text.split(' ').map((token) => 4 + sourceWords.indexOf(token));
      const expected = tf.tidy(() => {
        const [outputs, keys, h0, c0] = seq2seq.encoder.predict(tf.tensor2d([ids], undefined, 'int32')) as tf.Tensor[];
        let [h, c, fed, token] = [h0, c0, tf.zeros([1, 1, config.hiddenDim]), manifest.specialTokens.start];
        const out: string[] = [];
        for (let t = 0; t < maxOutputLength(ids.length, manifest.target.maxLength); t++) {
          const inputs = [
            tf.tensor2d([[token]], undefined, 'int32'),
            h,
            c,
            outputs,
            keys,
            tf.zeros([1, 1, ids.length]),
            fed,
          ];
          const [probs, h2, c2, , attentional] = seq2seq.decoder.predict(inputs) as tf.Tensor[];
          const p = Array.from(probs.dataSync()).map((x, id) => ([0, 1, 2].includes(id) ? -1 : x)); // pad, unk, start banned
          token = p.indexOf(Math.max(...p));
          if (token === manifest.specialTokens.end) break;
          out.push(targetWords[token - 4]);
          [h, c, fed] = [h2, c2, attentional];
        }
        return out;
      });
      expect(translations[i].tokens).toEqual(expected);
    });
    translator.dispose();
  });

  it('searches a batch as each text alone, with alignments that sum to 1', async () => {
    const translator = await loadTranslator(feeding.manifest, feeding.files);
    const options = { beam: 3, nbest: 3, alignment: true };
    const batch = translator.translate(texts, options).translations;
    texts.forEach((text, i) => {
      const [alone] = translator.translate([text], options).translations;
      expect(batch[i].nbest!.map((alt) => alt.tokens)).toEqual(alone.nbest!.map((alt) => alt.tokens));
      expect(batch[i].score).toBeCloseTo(alone.score, 4);
      batch[i].alignment!.weights.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3));
    });
    translator.dispose();
  });
});

describe('a subword model', () => {
  let subwordArtifact: RandomArtifact;
  beforeAll(async () => {
    subwordArtifact = await randomArtifact({
      config: { ...config, sourceVocabSize: 70, targetVocabSize: 70 },
      seed: 5,
      scale: 1,
      sourceMaxLength: 12,
      targetMaxLength: 15,
      subwords: true,
    });
  });

  it('reads words as pieces and writes the pieces it emits back as words', async () => {
    const translator = await loadTranslator(subwordArtifact.manifest, subwordArtifact.files);
    const { seq2seq, manifest, sourceWords, targetWords } = subwordArtifact;
    const pieces = SUBWORD_MERGES.pieces(['cab', 'bad']).pieces;
    expect(pieces).toEqual(['c@@', 'ab', 'b@@', 'a@@', 'd']);
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    const ids = [pieces.map((p) => 4 + sourceWords.indexOf(p))];
    const maxLengths = [maxOutputLength(pieces.length, manifest.target.maxLength)];
    const [hyp] = beamSearch(model, encode(model, ids), model.output, {
      beam: 1,
      maxLengths,
      special: manifest.specialTokens,
    }).outputs[0];
    const { translations } = translator.translate(['cab bad'], { beam: 1, alignment: true });
    const words = joinPieces(hyp.ids.map((id) => targetWords[id - 4])).words;
    expect(translations[0].tokens).toEqual(words);
    expect(translations[0].unknownWords).toEqual([]);
    // the alignment is over words: one row per target word, one column per source word, each row summing to 1
    const { alignment } = translations[0];
    expect(alignment!.source).toEqual(['cab', 'bad']);
    expect(alignment!.target).toEqual(words);
    for (const row of alignment!.weights) {
      expect(row).toHaveLength(2);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    }
    disposeInferenceModel(model);
    translator.dispose();
  });

  it('names the words with a piece outside the vocabulary, and counts pieces against source.maxLength', async () => {
    const translator = await loadTranslator(subwordArtifact.manifest, subwordArtifact.files);
    expect(translator.translate(['cab b4d 7 bad'], { beam: 1 }).translations[0].unknownWords).toEqual(['b4d', '7']);
    expect(() => translator.translate(['abcdefg hijklm'], { beam: 1 })).toThrow(
      /^the text has 13 subword tokens, more than the 12 /,
    );
    translator.dispose();
  });
});

describe('verifyFiles', () => {
  it('accepts the files of the manifest', async () => {
    await expect(verifyFiles(artifact.manifest, artifact.files)).resolves.toBeUndefined();
  });

  it('names the file whose size or sha256 differs', async () => {
    const path = artifact.manifest.source.vocab;
    const bytes = artifact.files[path];
    const flipped = bytes.slice();
    flipped[0] ^= 1;
    await expect(verifyFiles(artifact.manifest, { ...artifact.files, [path]: flipped })).rejects.toThrow(
      `"${path}" has sha256`,
    );
    await expect(verifyFiles(artifact.manifest, { ...artifact.files, [path]: bytes.subarray(1) })).rejects.toThrow(
      `"${path}" has ${bytes.byteLength - 1} bytes, manifest says ${bytes.byteLength}`,
    );
    const { [path]: _, ...missing } = artifact.files;
    await expect(verifyFiles(artifact.manifest, missing)).rejects.toThrow(ArtifactError);
  });
});
