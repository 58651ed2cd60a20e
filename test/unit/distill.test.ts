// Distillation (train/distill.ts): the teacher's outputs as training targets, <unk> kept where it emitted one; and
// --init (train/init.ts): a run that starts from an exported model's weights and vocabularies.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Manifest, Quantization } from '../../src/core/artifact.js';
import { Vocab } from '../../src/core/vocab.js';
import type { Translator } from '../../src/core/translator.js';
import { loadTranslator } from '../../src/core/load-translator.js';
import { initNodeBackend } from '../../train/backend.js';
import { UsageError } from '../../train/cli.js';
import { teacherOutputs } from '../../train/distill.js';
import { exportArtifacts, writeArtifacts } from '../../train/export.js';
import { unflatten } from '../../train/flat.js';
import { startingModel, startingWeights } from '../../train/init.js';
import { buildSeq2Seq, initialWeights, type Seq2Seq } from '../../train/model.js';
import { randomArtifact, type RandomArtifact, SMALL_CONFIG } from '../helpers/random-model.js';

const config = SMALL_CONFIG;
let artifact: RandomArtifact;
let teacher: Translator;
let dir: string;
const shaping = { embeddingDim: 8, hiddenDim: 8, attention: true };

beforeAll(async () => {
  await initNodeBackend('wasm');
  // A random model that says <unk> now and then (a random one never does), stored as uint8.
  const random = await randomArtifact({ config, seed: 3, scale: 1 });
  const [kernel, bias] = random.seq2seq.layers.outputProjection.getWeights();
  const values = bias.arraySync() as number[];
  values[random.manifest.specialTokens.unk] = 2.5;
  random.seq2seq.layers.outputProjection.setWeights([kernel, tf.tensor1d(values)]);
  artifact = { ...random, ...(await exported(random.seq2seq, random, 'uint8')) };
  teacher = await loadTranslator(artifact.manifest, artifact.files);
  dir = await mkdtemp(join(tmpdir(), 'distill-test-'));
  await writeArtifacts(join(dir, 'model'), artifact);
});

afterAll(async () => {
  teacher.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('teacherOutputs', () => {
  it('gives each text the tokens the service would, <unk> left where the model emitted it', async () => {
    const w = artifact.sourceWords;
    // "zz", "qq" are outside the vocabulary: there the model may emit <unk> (replacement copies a source word for it).
    const texts = Array.from({ length: 12 }, (_, i) =>
      [w[i], 'zz', w[i + 3], w[i + 7], 'qq', w[i + 1]].join(' '),
    ).concat(w.slice(0, 4).join(' '));
    const outputs = await teacherOutputs(teacher, texts, 2);
    const replaced = teacher.translate(texts, { beam: 2, replaceUnknown: true }).translations;
    outputs.forEach((tokens, i) => {
      expect(tokens).toHaveLength(replaced[i].tokens.length);
      tokens!.forEach((token, k) =>
        expect(token === '<unk>' ? texts[i].split(' ') : [token]).toContain(replaced[i].tokens[k]),
      );
    });
    expect(outputs.flat().filter((t) => t === '<unk>').length).toBeGreaterThan(0);
    expect(outputs.at(-1)).not.toContain('<unk>'); // a text read whole never gets one
  });

  it('decodes in batches exactly as text by text', async () => {
    const texts = Array.from({ length: 70 }, (_, i) =>
      artifact.sourceWords.slice(i % 30, (i % 30) + 1 + (i % 5)).join(' '),
    );
    const alone = await Promise.all(texts.map(async (text) => (await teacherOutputs(teacher, [text], 2))[0]));
    expect(await teacherOutputs(teacher, texts, 2)).toEqual(alone);
  });
});

describe('--init', () => {
  it('starts from the model exactly: its vocabularies, and weights that decode as it does', async () => {
    initialWeights(config); // a model built before: the run's variable names carry "_<n>" suffixes
    const start = await startingModel(join(dir, 'model'), shaping);
    expect(start.texts).toEqual({ sourceVocab: text('vocab.en.txt'), targetVocab: text('vocab.ja.txt') });
    const model = buildSeq2Seq(config);
    expect(model.weights.some((w) => /_\d+$/.test(w.name))).toBe(true);
    const tensors = unflatten(startingWeights(start, initialWeights(config)));
    model.weights.forEach((w, i) => w.write(tensors[i]));
    const student = await exported(model, artifact, 'float32');
    const [a, b] = [
      await loadTranslator(artifact.manifest, artifact.files, 'float32'),
      await loadTranslator(student.manifest, student.files, 'float32'),
    ];
    const texts = [0, 5, 10].map((i) => artifact.sourceWords.slice(i, i + 6).join(' '));
    expect(b.translate(texts, { beam: 3, nbest: 3 }).translations).toEqual(
      a.translate(texts, { beam: 3, nbest: 3 }).translations,
    );
    [a, b].forEach((t) => t.dispose());
    tf.dispose(tensors);
  });

  it("refuses a run whose model settings are not the model's, naming them", async () => {
    await expect(startingModel(join(dir, 'model'), { ...shaping, hiddenDim: 16, bidirectional: true })).rejects.toThrow(
      new UsageError(
        `--init ${join(dir, 'model')}: its model has hiddenDim 8, bidirectional false, this run hiddenDim 16, bidirectional true; give the model's settings`,
      ),
    );
  });

  it('refuses a model that lacks a weight of the run', async () => {
    const start = await startingModel(join(dir, 'model'), shaping);
    start.weights.delete('attention_key/kernel');
    expect(() => startingWeights(start, initialWeights(config))).toThrow(
      /has no weight "attention_key\/kernel(_\d+)?", this run needs \[8,8\]/,
    );
  });
});

const text = (path: string) => new TextDecoder().decode(artifact.files[path]);

/** `model` exported with the sides and vocabularies of the artifact `like`. */
async function exported(model: Seq2Seq, like: Pick<RandomArtifact, 'manifest' | 'files'>, quantization: Quantization) {
  const side = (s: Manifest['source']) => ({
    ...s,
    vocabulary: Vocab.parse(new TextDecoder().decode(like.files[s.vocab])),
  });
  return exportArtifacts({
    model,
    source: side(like.manifest.source),
    target: side(like.manifest.target),
    quantization,
    training: {},
    metrics: {},
  });
}
