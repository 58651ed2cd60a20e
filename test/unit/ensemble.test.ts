// Ensembles: an artifact of several models (train/ensemble.ts withMember, manifest `ensemble`), decoded together by
// src/core/decode.ts, each step's log-probs the mean of every model's.
import { beforeAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/core/artifact.js';
import { maxOutputLength } from '../../src/core/decode.js';
import { encode } from '../../src/core/model/encoder.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
} from '../../src/core/model/seq2seq.js';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { initNodeBackend } from '../../train/backend.js';
import { withMember } from '../../train/ensemble.js';
import { randomArtifact, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const config = SMALL_CONFIG;
let [first, second]: RandomArtifact[] = [];
let texts: string[];

beforeAll(async () => {
  await initNodeBackend('wasm');
  [first, second] = [
    await randomArtifact({ config, seed: 4, scale: 1 }),
    await randomArtifact({ config: { ...config, bidirectional: true }, seed: 8, scale: 1 }),
  ];
  const w = first.sourceWords;
  texts = [w.slice(0, 5).join(' '), w.slice(3, 6).join(' '), w.slice(7, 14).join(' ')];
});

/** Greedy decoding by hand: each step's token the argmax of the summed log-probs of every model (whole vocabulary). */
function greedy(
  models: InferenceModel[],
  ids: number[],
  maxLength: number,
  special = first.manifest.specialTokens,
): string[] {
  const memories = models.map((m) => encode(m, [ids]));
  let rows = memories.map((memory) => ({ tokens: [special.start], h: memory.h, c: memory.c }));
  const out: number[] = [];
  while (out.length < maxLength) {
    const steps = models.map((m, i) => decodeStep(m, { memory: memories[i], sentences: [0], output: {} }, 1, rows[i]));
    const score = (id: number) => steps.reduce((sum, s) => sum + Math.log(s.probs[id]), 0);
    const ids = Array.from({ length: steps[0].probs.length }, (_, id) => id).filter(
      (id) => ![special.pad, special.start, special.unk].includes(id),
    );
    const best = ids.reduce((a, b) => (score(b) > score(a) ? b : a));
    if (best === special.end) break;
    out.push(best);
    rows = steps.map((s) => ({ tokens: [best], h: s.h, c: s.c }));
  }
  return out.map((id) => first.targetWords[id - 4]);
}

describe('an ensemble artifact', () => {
  it("decodes with the mean of its models' log-probs, and with its first model alone on ensemble: false", async () => {
    const { manifest, files } = await withMember(first, second);
    expect(manifest.ensemble?.map((m) => m.version)).toEqual([second.manifest.version]);
    expect(manifest.version).toMatch(new RegExp(`^${first.manifest.version.replace('.', '\\.')}\\.en[0-9a-f]{6}$`));
    const translator = await loadTranslator(manifest, files);
    const alone = await loadTranslator(first.manifest, first.files);
    const models = [first, second].map((a) =>
      createInferenceModel(seq2seqWeights(a.seq2seq.encoder, a.seq2seq.decoder, true)),
    );
    const together = translator.translate(texts, { beam: 1 }).translations;
    texts.forEach((text, i) => {
      const ids = text.split(' ').map((token) => 4 + first.sourceWords.indexOf(token));
      expect(together[i].tokens).toEqual(
        greedy(models, ids, maxOutputLength(ids.length, first.manifest.target.maxLength)),
      );
    });
    expect(translator.translate(texts, { beam: 3, ensemble: false }).translations).toEqual(
      alone.translate(texts, { beam: 3 }).translations,
    );
    expect(together.map((t) => t.tokens)).not.toEqual(
      alone.translate(texts, { beam: 1 }).translations.map((t) => t.tokens),
    );
    models.forEach(disposeInferenceModel);
    [translator, alone].forEach((t) => t.dispose());
  });

  it('searches a batch as each text alone, with n-best and alignments', async () => {
    const { manifest, files } = await withMember(first, second);
    const translator = await loadTranslator(manifest, files);
    const options = { beam: 3, nbest: 3, alignment: true };
    const batch = translator.translate(texts, options).translations;
    texts.forEach((text, i) => expect(batch[i]).toEqual(translator.translate([text], options).translations[0]));
    translator.dispose();
  });

  it("reads the mean of its models' attention when every one was trained to align, else the first model's", async () => {
    const guided = (a: RandomArtifact): RandomArtifact => ({
      ...a,
      manifest: { ...a.manifest, training: { ...a.manifest.training, config: { guidedAlignment: 0.25 } } },
    });
    const alone = await Promise.all([first, second].map((a) => loadTranslator(a.manifest, a.files)));
    const targets = texts.map((_, i) => first.targetWords.slice(i, i + 4));
    const [a, b] = alone.map((t) => t.forcedAlignment(texts, targets));
    for (const [pair, expected] of [
      [[guided(first), guided(second)], (s: number, t: number, j: number) => (a![s]![t]![j]! + b![s]![t]![j]!) / 2],
      [[first, guided(second)], (s: number, t: number, j: number) => a![s]![t]![j]!],
    ] as const) {
      const { manifest, files } = await withMember(pair[0], pair[1]);
      const translator = await loadTranslator(manifest, files);
      translator
        .forcedAlignment(texts, targets)
        .forEach((sentence, s) =>
          sentence.forEach((row, t) => row.forEach((w, j) => expect(w).toBeCloseTo(expected(s, t, j), 5))),
        );
      const { alignment } = translator.translate([texts[0]!], { beam: 2, alignment: true }).translations[0]!;
      for (const row of alignment!.weights) expect(row.reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 2);
      translator.dispose();
    }
    alone.forEach((t) => t.dispose());
  });

  it('of a model with itself translates as the model alone', async () => {
    const { manifest, files } = await withMember(first, { ...first, manifest: { ...first.manifest, version: 'copy' } });
    const [twice, once] = [await loadTranslator(manifest, files), await loadTranslator(first.manifest, first.files)];
    const [a, b] = [twice.translate(texts, { beam: 3 }).translations, once.translate(texts, { beam: 3 }).translations];
    expect(a.map((t) => t.tokens)).toEqual(b.map((t) => t.tokens));
    a.forEach((t, i) => expect(t.score).toBeCloseTo(b[i].score, 4));
    [twice, once].forEach((t) => t.dispose());
  });

  it('refuses a member of other vocabularies, and a manifest whose member files are not listed', async () => {
    const other = await randomArtifact({ config: { ...config, targetVocabSize: 45 }, seed: 5 });
    await expect(withMember(first, other)).rejects.toThrow(/must have the direction and vocabulary files/);
    const { manifest } = await withMember(first, second);
    const { [manifest.ensemble![0].decoder]: _, ...files } = manifest.files;
    expect(() => validateManifest({ ...manifest, files })).toThrow(/must be listed/);
  });
});
