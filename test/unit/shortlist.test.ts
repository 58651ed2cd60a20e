// The lexical shortlist: IBM Model 1's ranking on a corpus whose translations are known, the file's checks, the
// export writing it, and decoding with it against greedy decoding written out on the full vocabulary's probabilities.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError, validateManifest, type Manifest } from '../../src/core/artifact.js';
import { maxOutputLength } from '../../src/core/decode.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
} from '../../src/core/model/seq2seq.js';
import { encode } from '../../src/core/model/encoder.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { sha256Hex, verifyFiles } from '../../src/core/open-artifact.js';
import { Shortlist } from '../../src/core/shortlist.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { Vocab } from '../../src/core/vocab.js';
import { initNodeBackend } from '../../train/backend.js';
import { exportArtifacts } from '../../train/export.js';
import { buildShortlist, SHORTLIST_DEFAULTS, SHORTLIST_FILE } from '../../train/shortlist.js';
import { randomArtifact, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const special = { pad: 0, unk: 1, start: 2, end: 3 };

describe('buildShortlist (IBM Model 1)', () => {
  // Source words 4..7 translate to targets 10..13; every target sentence also has the particle 20, and source 8
  // (a word with no counterpart) comes along in half the sentences.
  const pairs = [
    [
      [4, 5],
      [10, 20, 11],
    ],
    [
      [5, 6],
      [11, 20, 12],
    ],
    [
      [6, 7, 8],
      [12, 13, 20],
    ],
    [
      [7, 4],
      [20, 13, 10],
    ],
    [
      [4, 6, 8],
      [10, 12, 20],
    ],
    [
      [5, 7, 8],
      [20, 11, 13],
    ],
  ].map(([source, target]) => ({ source, target }));

  it("ranks each word's translation first, above the particle every sentence has, best first in uint16 rows", () => {
    const { bytes, config } = buildShortlist(
      pairs,
      { source: 10, target: 24 },
      { perSource: 3, frequent: 2, normalizing: 5, iterations: 10 },
    );
    expect(config).toMatchObject({ file: SHORTLIST_FILE, perSource: 3, frequent: 2, normalizing: 5 });
    expect(bytes.length).toBe(10 * 3 * 2);
    const rows = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    const row = (source: number) => Array.from(rows.subarray(source * 3, source * 3 + 3));
    [4, 5, 6, 7].forEach((source) => expect(row(source)[0]).toBe(source + 6));
    expect(row(9)).toEqual([0, 0, 0]); // never seen: no candidates
  });
});

describe('Shortlist', () => {
  const config = { file: SHORTLIST_FILE, perSource: 2, frequent: 1, normalizing: 3 };
  const vocab = { source: 6, target: 12 };
  const table = Uint16Array.from([0, 0, 0, 0, 0, 0, 0, 0, 9, 10, 11, 0]); // source 4 -> 9, 10; source 5 -> 11
  const shortlist = Shortlist.parse(new Uint8Array(table.buffer), config, vocab, special);

  it("gives a sentence </s>, <unk>, the frequent tokens and its words' candidates; scores the normalizing ones too", () => {
    const [{ ids, emitted }] = shortlist.candidates([[4]]);
    expect(Array.from(shortlist.fixed)).toEqual([1, 3, 4, 5, 6]); // 4 is frequent; 5 and 6 only normalize
    expect(Array.from(ids)).toEqual([1, 3, 4, 5, 6, 9, 10]);
    expect(Array.from(emitted)).toEqual([1, 1, 1, 0, 0, 1, 1]);
  });

  it('gives each sentence of a batch its own columns, as it would have alone, and the forced ids', () => {
    const columns = shortlist.candidates([[4], [5, 5]]);
    expect(columns).toEqual([...shortlist.candidates([[4]]), ...shortlist.candidates([[5, 5]])]);
    expect(columns.map((c) => Array.from(c.ids))).toEqual([
      [1, 3, 4, 5, 6, 9, 10],
      [1, 3, 4, 5, 6, 11],
    ]);
    expect(columns.map((c) => Array.from(c.emitted))).toEqual([
      [1, 1, 1, 0, 0, 1, 1],
      [1, 1, 1, 0, 0, 1],
    ]);
    const [forced] = shortlist.candidates([[5]], [[6, 2]]);
    expect([Array.from(forced.ids), Array.from(forced.emitted)]).toEqual([
      [1, 2, 3, 4, 5, 6, 11],
      [1, 1, 1, 1, 0, 1, 1],
    ]);
  });

  it('rejects a file of the wrong size or with ids outside the target vocabulary', () => {
    expect(() => Shortlist.parse(new Uint8Array(10), config, vocab, special)).toThrow(ArtifactError);
    const bad = Uint16Array.from(table, (id, i) => (i === 8 ? 12 : id));
    expect(() => Shortlist.parse(new Uint8Array(bad.buffer), config, vocab, special)).toThrow(
      /target id 12 is outside/,
    );
  });
});

describe('an artifact with a shortlist', () => {
  const modelConfig = SMALL_CONFIG;
  const shortlistConfig = { file: SHORTLIST_FILE, perSource: 4, frequent: 3, normalizing: 10 };
  let artifact: RandomArtifact;
  let manifest: Manifest;
  let files: Record<string, Uint8Array>;
  let texts: string[];

  beforeAll(async () => {
    await initNodeBackend('wasm');
    artifact = await randomArtifact({
      config: modelConfig,
      seed: 4,
      scale: 1,
      sourceMaxLength: 8,
      targetMaxLength: 15,
    });
    const table = Uint16Array.from({ length: 40 * 4 }, (_, i) => 4 + ((i * 7) % 46)); // source s -> 4 arbitrary targets
    const bytes = new Uint8Array(table.buffer);
    files = { ...artifact.files, [SHORTLIST_FILE]: bytes };
    manifest = validateManifest({
      ...artifact.manifest,
      shortlist: shortlistConfig,
      files: { ...artifact.manifest.files, [SHORTLIST_FILE]: { sha256: await sha256Hex(bytes), bytes: bytes.length } },
    });
    const w = artifact.sourceWords;
    texts = [`${w[0]} ${w[5]} ${w[9]}`, `${w[3]} ${w[1]}`, `${w[7]} ${w[2]} ${w[20]} ${w[11]} ${w[30]} ${w[4]}`];
  });

  it('must list its shortlist file', () => {
    expect(() => validateManifest({ ...manifest, files: artifact.manifest.files })).toThrow(
      /files.shortlist.bin" must be listed/,
    );
  });

  it("decodes greedily as by hand over its sentences' softmax on the whole vocabulary's probabilities", async () => {
    const translator = await loadTranslator(manifest, files);
    const batch = translator.translate(texts, { beam: 1 }).translations;
    const model = createInferenceModel(seq2seqWeights(artifact.seq2seq.encoder, artifact.seq2seq.decoder, true));
    const shortlist = Shortlist.parse(files[SHORTLIST_FILE], shortlistConfig, { source: 40, target: 50 }, special);
    texts.forEach((text, b) => {
      const ids = text.split(' ').map((token) => 4 + artifact.sourceWords.indexOf(token));
      const [{ ids: columns, emitted }] = shortlist.candidates([ids]);
      const hyp = greedyOverColumns(
        model,
        ids,
        Array.from(columns),
        Array.from(columns).filter((id, col) => emitted[col] && id !== special.unk),
      );
      expect(batch[b].tokens).toEqual(hyp.ids.map((id) => artifact.targetWords[id - 4]));
      expect(batch[b].score).toBeCloseTo(hyp.logProb, 4);
    });
    const full = translator.translate(texts, { beam: 1, shortlist: false }).translations;
    expect(full.map((t) => t.tokens)).not.toEqual(batch.map((t) => t.tokens)); // the shortlist changed something
    disposeInferenceModel(model);
    translator.dispose();
  });

  it('scores the whole vocabulary with shortlist: false, as an artifact without one', async () => {
    const [withList, without] = await Promise.all([
      loadTranslator(manifest, files),
      loadTranslator(artifact.manifest, artifact.files),
    ]);
    for (const beam of [1, 3])
      expect(withList.translate(texts, { beam, shortlist: false }).translations).toEqual(
        without.translate(texts, { beam }).translations,
      );
    withList.dispose();
    without.dispose();
  });

  it('is written by the export, listed and verified like every file', async () => {
    const vocabulary = (path: string) => Vocab.parse(new TextDecoder().decode(artifact.files[path]));
    const { source, target } = artifact.manifest;
    const pairs = [
      { source: [4, 5, 6], target: [7, 8] },
      { source: [5, 9], target: [8, 10, 11] },
    ];
    const shortlist = buildShortlist(pairs, { source: 40, target: 50 }, SHORTLIST_DEFAULTS);
    const exported = await exportArtifacts({
      model: artifact.seq2seq,
      source: { ...source, vocabulary: vocabulary(source.vocab) },
      target: { ...target, vocabulary: vocabulary(target.vocab) },
      quantization: 'float32',
      training: {},
      metrics: {},
      shortlist,
    });
    expect(exported.manifest.shortlist).toEqual(shortlist.config);
    await expect(verifyFiles(validateManifest(exported.manifest), exported.files)).resolves.toBeUndefined();
    const translator = await loadTranslator(exported.manifest, exported.files);
    expect(translator.translate(texts, { beam: 2 }).translations).toHaveLength(3);
    translator.dispose();
  });

  it('keeps its tensor count steady', async () => {
    const translator = await loadTranslator(manifest, files);
    translator.translate(texts, { beam: 1 });
    const loaded = tf.memory().numTensors;
    for (const beam of [1, 4])
      translator.translate(texts, { beam, nbest: beam, alignment: true, replaceUnknown: true });
    expect(tf.memory().numTensors).toBe(loaded);
    translator.dispose();
  });
});

/**
 * Greedy decoding written out on the full vocabulary: each step's probabilities renormalized over `scored` ids,
 * the most probable of `emitted` chosen, until </s> or the length limit.
 */
function greedyOverColumns(model: InferenceModel, sourceIds: number[], scored: number[], emitted: number[]) {
  const memory = encode(model, [sourceIds]);
  const context = { memory, output: model.output, sentences: [0] };
  const hyp = { ids: [] as number[], logProb: 0 };
  let rows = { tokens: [special.start], h: memory.h, c: memory.c };
  for (let t = 0; t < maxOutputLength(sourceIds.length, 15); t++) {
    const { probs, h, c } = decodeStep(model, context, 1, rows);
    const total = scored.reduce((sum, id) => sum + probs[id], 0);
    const best = emitted.reduce((a, b) => (probs[b] > probs[a] ? b : a));
    hyp.logProb += Math.log(probs[best] / total);
    if (best === special.end) break;
    hyp.ids.push(best);
    rows = { tokens: [best], h, c };
  }
  return hyp;
}
